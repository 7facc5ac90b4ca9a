#ifndef SHELL_NETWORK_FLAGS_H_
#define SHELL_NETWORK_FLAGS_H_

#include <optional>
#include <string>
#include <vector>

namespace prewarm {

// The flags with which `load`, `demo` and `fetch` reach any server, as
// Chromium spells them:
//   --host-resolver-rules=RULES   ("MAP * 127.0.0.1, EXCLUDE a.test", ...)
//   --ca-file=PEM                 extra trust anchors; verification stays on
//   --ignore-certificate-errors-spki-list=BASE64[,BASE64...]
// Parse() takes them one argument at a time; Finish() reads the CA file and
// checks every value, so a typo is a usage error before anything connects. A
// value type.
class NetworkFlags {
 public:
  // The flags' usage text, for the commands' own.
  static constexpr char kUsage[] =
      "[--host-resolver-rules=RULES] [--ca-file=PEM] "
      "[--ignore-certificate-errors-spki-list=BASE64,...]";

  NetworkFlags();
  NetworkFlags(const NetworkFlags&);
  NetworkFlags& operator=(const NetworkFlags&);
  ~NetworkFlags();

  // True when `arg` is one of the flags (then taken, or *problem set for an
  // empty value).
  bool Parse(const std::string& arg, std::optional<std::string>* problem);

  // Reads --ca-file and validates all three; a problem to report, or
  // nullopt.
  std::optional<std::string> Finish();

  const std::string& host_resolver_rules() const {
    return host_resolver_rules_;
  }
  // The CA file's PEM ("" without --ca-file).
  const std::string& additional_trust_anchors_pem() const {
    return additional_trust_anchors_pem_;
  }
  const std::string& ignore_certificate_errors_spki_list() const {
    return spki_list_;
  }
  // The list, parsed (raw SHA-256 digests); set by Finish().
  const std::vector<std::string>& spki_hashes() const { return spki_hashes_; }

 private:
  std::string host_resolver_rules_;
  std::string ca_file_;
  std::string additional_trust_anchors_pem_;
  std::string spki_list_;
  std::vector<std::string> spki_hashes_;
};

}  // namespace prewarm

#endif  // SHELL_NETWORK_FLAGS_H_
