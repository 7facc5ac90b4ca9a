#ifndef NET_BASE_URL_H_
#define NET_BASE_URL_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace net {

// A parsed, canonical http, https, ws or wss URL, in the manner of Chromium's
// GURL. Parsing follows the WHATWG URL Standard's basic URL parser for these
// special schemes, as browsers do (the steps are in whatwg_url_steps.h):
//  - leading and trailing C0 controls and spaces are stripped, tabs and
//    newlines removed, a backslash is a slash, and any number of slashes may
//    follow "scheme:" ("http:x", "http:\\\\x" and "http://x" are one URL);
//  - the host is percent-decoded, then goes through UTS #46 (ICU,
//    nontransitional, CheckBidi, CheckJoiners) to lowercase ASCII; a host
//    that maps to nothing or contains a forbidden domain code point is an
//    error;
//  - a host ending in a number must be an IPv4 address; the legacy forms
//    ("127.1", "0x7f.0.0.1", octal parts) become a dotted quad; IPv6 literals
//    are kept in brackets in spec(), without them in host();
//  - the port is always known: port() gives the explicit port or the scheme's
//    default, and spec() leaves a default port out; port 0 is refused with
//    ERR_UNSAFE_PORT (browsers parse it but never connect to it);
//  - userinfo ("user:pass@") is accepted and dropped: it is never part of
//    host, port or spec(), because prewarm sends no HTTP auth and specs reach
//    logs and reports;
//  - the path's dot segments are resolved and path and query are
//    percent-encoded with the standard's sets; the fragment is dropped (it
//    never reaches the network).
// spec() always parses back to an equal Url. An invalid URL keeps an error
// code (ERR_INVALID_URL, ERR_UNKNOWN_URL_SCHEME for a scheme other than the
// four above, or ERR_UNSAFE_PORT) and a message that says what is wrong; its
// other accessors return empty values. Parsing never throws or crashes on any
// input.
class Url {
 public:
  Url() = default;  // Invalid, with ERR_INVALID_URL and "empty URL".

  static Url Parse(std::string_view spec);
  // Parses `input` relative to `base`, as a page's links are: a reference
  // without a scheme, or with base's scheme and no "//" after it ("http:x"
  // against an http base), is resolved against base; anything else parses
  // as an absolute URL. An invalid base leaves only absolute inputs valid.
  static Url Resolve(const Url& base, std::string_view input);

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
  // "scheme://host[:port]", the part of spec() before the path.
  std::string SchemeHostPort() const;

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
