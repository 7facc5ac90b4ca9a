#ifndef NET_SSL_SSL_CONFIG_H_
#define NET_SSL_SSL_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

namespace net {

// What a TLS client connection may negotiate and what it trusts. A value type
// copied into each SslClientSocket. Certificate verification is always on: the
// knobs are *which* roots are trusted (the system store or a test CA, plus
// extra anchors) and Chromium's SPKI allowlist for servers whose key the user
// named; never whether to verify.
struct SslConfig {
  // Wire versions as BoringSSL spells them (TLS1_2_VERSION = 0x0303,
  // TLS1_3_VERSION = 0x0304). TLS 1.3 is preferred whenever the server offers
  // it.
  static constexpr uint16_t kTls12 = 0x0303;
  static constexpr uint16_t kTls13 = 0x0304;
  // The directory of hashed system roots that Debian's ca-certificates
  // maintains.
  static constexpr const char kSystemCaDirectory[] = "/etc/ssl/certs";

  SslConfig();
  SslConfig(const SslConfig&);
  SslConfig& operator=(const SslConfig&);
  ~SslConfig();

  uint16_t version_min = kTls12;
  uint16_t version_max = kTls13;

  // ALPN protocols offered, in preference order: HTTP/2 first, as browsers
  // do; the server picks.
  std::vector<std::string> alpn_protocols = {"h2", "http/1.1"};

  // When non-empty, one or more PEM certificates that replace the system store
  // as the trusted roots (tests trust their runtime CA this way). PEM without a
  // parsable certificate makes Connect() fail with ERR_INVALID_ARGUMENT; it
  // never falls back to the system store.
  std::string trusted_root_certificates_pem;

  // Extra trust anchors (PEM, one or more certificates) added to the roots
  // above - the system store, or trusted_root_certificates_pem - rather than
  // replacing them: --ca-file. Verification stays on. PEM without a parsable
  // certificate makes Connect() fail with ERR_INVALID_ARGUMENT.
  std::string additional_trust_anchors_pem;

  // Chromium's --ignore-certificate-errors-spki-list, parsed by
  // ParseSpkiHashList (raw SHA-256 digests of SubjectPublicKeyInfos): a
  // certificate error is ignored when the leaf or a certificate the server
  // sent with it has one of these keys. Nothing else is relaxed.
  std::vector<std::string> ignore_certificate_errors_spki_hashes;
};

}  // namespace net

#endif  // NET_SSL_SSL_CONFIG_H_
