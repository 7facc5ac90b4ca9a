#ifndef NET_BASE_URL_H_
#define NET_BASE_URL_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace net {

// A parsed, canonical http, https, ws or wss URL, in the manner of Chromium's
// GURL. Parsing uses Boost.URL (RFC 3986) and libidn2 (IDNA 2008 with UTS #46
// mapping):
//  - scheme and host are lowercased; an internationalized host becomes
//  punycode;
//  - IPv4 and IPv6 literals are accepted (IPv6 kept in brackets in spec(),
//  without them
//    in host());
//  - the port is always known: port() gives the explicit port or the scheme's
//  default,
//    and spec() leaves a default port out, as browsers do; port 0 is refused
//    with ERR_UNSAFE_PORT (browsers parse it but never connect to it);
//  - userinfo ("user:pass@") is accepted and dropped: it is never part of host,
//  port or
//    spec(), because prewarm sends no HTTP auth and specs reach logs and
//    reports;
//  - a host ending in a number must be an IPv4 address; the legacy forms
//  browsers accept
//    ("127.1", "0x7f.0.0.1") are canonicalised to a dotted quad;
//  - an empty path becomes "/"; the fragment is dropped (it never reaches the
//  network).
// An invalid URL keeps an error code (ERR_INVALID_URL, ERR_UNKNOWN_URL_SCHEME
// for a scheme other than the four above, or ERR_UNSAFE_PORT) and a message
// that says what is wrong; its other accessors return empty values. Parsing
// never throws or crashes on any input.
class Url {
 public:
  Url() = default;  // Invalid, with ERR_INVALID_URL and "empty URL".

  static Url Parse(std::string_view spec);

  bool is_valid() const { return error_ == 0; }
  int error() const { return error_; }
  const std::string& error_message() const { return error_message_; }

  // The canonical serialisation, e.g. "https://xn--bcher-kva.example/a?b".
  const std::string& spec() const { return spec_; }
  const std::string& scheme() const { return scheme_; }
  // Lowercase ASCII; an IPv6 literal without brackets.
  const std::string& host() const { return host_; }
  uint16_t port() const { return port_; }
  // True if the URL names a port other than the scheme's default.
  bool has_explicit_port() const { return has_explicit_port_; }
  const std::string& path() const { return path_; }
  // Without the leading '?'; empty when there is none or it is empty.
  const std::string& query() const { return query_; }
  bool has_query() const { return has_query_; }
  // Path plus "?query": the HTTP request target.
  std::string PathForRequest() const;

  bool SchemeIsHttpOrHttps() const;
  bool SchemeIsCryptographic() const;  // https or wss
  bool HostIsIPAddress() const { return host_is_ip_; }
  bool HostIsIPv6() const { return host_is_ipv6_; }

  // The scheme's default port: 80 for http/ws, 443 for https/wss, 0 otherwise.
  static uint16_t DefaultPortForScheme(std::string_view scheme);

  friend bool operator==(const Url& a, const Url& b) {
    return a.spec_ == b.spec_;
  }

 private:
  int error_ = -300;  // ERR_INVALID_URL
  std::string error_message_ = "empty URL";
  std::string spec_;
  std::string scheme_;
  std::string host_;
  uint16_t port_ = 0;
  bool has_explicit_port_ = false;
  bool host_is_ip_ = false;
  bool host_is_ipv6_ = false;
  std::string path_;
  bool has_query_ = false;
  std::string query_;
};

}  // namespace net

#endif  // NET_BASE_URL_H_
