#include "shell/network_flags.h"

#include <fstream>
#include <sstream>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "net/base/net_errors.h"
#include "net/dns/host_resolver_rules.h"
#include "net/ssl/pem_certificates.h"
#include "net/ssl/spki_hash.h"

namespace prewarm {

namespace {

// The value of `--name=value`, when `arg` is that flag.
std::optional<std::string> FlagValue(const std::string& arg,
                                     std::string_view name) {
  if (arg.size() <= name.size() || arg.compare(0, name.size(), name) != 0 ||
      arg[name.size()] != '=') {
    if (arg == name)
      return std::string();
    return std::nullopt;
  }
  return arg.substr(name.size() + 1);
}

}  // namespace

NetworkFlags::NetworkFlags() = default;
NetworkFlags::NetworkFlags(const NetworkFlags&) = default;
NetworkFlags& NetworkFlags::operator=(const NetworkFlags&) = default;
NetworkFlags::~NetworkFlags() = default;

bool NetworkFlags::Parse(const std::string& arg,
                         std::optional<std::string>* problem) {
  struct Flag {
    const char* name;
    std::string* value;
  };
  const Flag flags[] = {
      {"--host-resolver-rules", &host_resolver_rules_},
      {"--ca-file", &ca_file_},
      {"--ignore-certificate-errors-spki-list", &spki_list_},
  };
  for (const Flag& flag : flags) {
    std::optional<std::string> value = FlagValue(arg, flag.name);
    if (!value)
      continue;
    if (value->empty())
      *problem =
          absl::StrCat(flag.name, " needs a value (", flag.name, "=...)");
    *flag.value = std::move(*value);
    return true;
  }
  return false;
}

std::optional<std::string> NetworkFlags::Finish() {
  std::string message;
  net::HostResolverRules rules;
  if (net::HostResolverRules::Parse(host_resolver_rules_, &rules, &message) !=
      net::OK) {
    return absl::StrCat("--host-resolver-rules: ", message);
  }
  if (net::ParseSpkiHashList(spki_list_, &spki_hashes_, &message) != net::OK)
    return message;
  if (ca_file_.empty())
    return std::nullopt;
  std::ifstream file(ca_file_, std::ios::binary);
  std::ostringstream pem;
  pem << file.rdbuf();
  if (!file.is_open() || file.bad())
    return absl::StrCat("cannot read --ca-file '", ca_file_, "'");
  if (net::AddPemCertificates(pem.str(), nullptr) == 0) {
    return absl::StrCat("--ca-file '", ca_file_, "' holds no PEM certificate");
  }
  additional_trust_anchors_pem_ = pem.str();
  return std::nullopt;
}

}  // namespace prewarm
