#include "net/base/url.h"

#include <arpa/inet.h>
#include <idn2.h>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <cstdlib>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "net/base/ip_address.h"
#include "net/base/net_errors.h"

namespace net {

namespace {

constexpr size_t kMaxHostLength = 253;
constexpr size_t kMaxLabelLength = 63;

// Debian's Abseil has its own string_view type; our API uses std::string_view.
absl::string_view AsAbsl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

bool IsSupportedScheme(std::string_view scheme) {
  return scheme == "http" || scheme == "https" || scheme == "ws" ||
         scheme == "wss";
}

// RFC 3986 scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool IsValidSchemeSyntax(std::string_view scheme) {
  if (scheme.empty() || !absl::ascii_isalpha(scheme[0]))
    return false;
  for (char c : scheme) {
    if (!absl::ascii_isalnum(c) && c != '+' && c != '-' && c != '.')
      return false;
  }
  return true;
}

// The WHATWG URL standard's forbidden host code points (ASCII ones; the
// non-ASCII ones are IDNA's business), plus DEL and the C0 controls.
std::optional<char> FindForbiddenHostCharacter(std::string_view host) {
  for (char c : host) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f)
      return c;
    switch (c) {
      case ' ':
      case '#':
      case '%':
      case '/':
      case ':':
      case '<':
      case '>':
      case '?':
      case '@':
      case '[':
      case '\\':
      case ']':
      case '^':
      case '|':
        return c;
      default:
        break;
    }
  }
  return std::nullopt;
}

std::string DescribeCharacter(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  if (u < 0x20 || u == 0x7f)
    return absl::StrFormat("control character 0x%02X", u);
  if (c == ' ')
    return "space";
  return absl::StrFormat("'%c'", c);
}

bool HasNonAsciiByte(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80)
      return true;
  }
  return false;
}

bool HasPunycodeLabel(std::string_view host) {
  for (absl::string_view label : absl::StrSplit(AsAbsl(host), '.')) {
    if (absl::StartsWithIgnoreCase(label, "xn--"))
      return true;
  }
  return false;
}

// Boost.URL parses RFC 3986, which has no room for raw non-ASCII. Browsers
// accept it (UTF-8, percent-encoded in path and query, IDNA in the host), so
// percent-encode those bytes first; the host is decoded again before IDNA.
std::string PercentEncodeNonAscii(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x80)
      absl::StrAppendFormat(&out, "%%%02X", u);
    else
      out.push_back(c);
  }
  return out;
}

// WHATWG: a host whose last label is a number must be an IPv4 address.
// Accepting it as a name would let "127.1" and "127.0.0.1" be two different
// origins for one server.
bool EndsInANumber(std::string_view host) {
  if (host.ends_with('.'))
    host.remove_suffix(1);
  const size_t dot = host.rfind('.');
  std::string_view last =
      dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (last.empty())
    return false;
  if (absl::StartsWithIgnoreCase(AsAbsl(last), "0x")) {
    last.remove_prefix(2);
    for (char c : last) {
      if (!absl::ascii_isxdigit(c))
        return false;
    }
    return true;
  }
  for (char c : last) {
    if (!absl::ascii_isdigit(c))
      return false;
  }
  return true;
}

// The legacy IPv4 forms browsers accept ("127.1", "0x7f.0.0.1", octal parts)
// are the ones inet_aton accepts; the result is printed as a dotted quad.
std::optional<std::string> CanonicalizeLegacyIPv4(const std::string& host) {
  std::string text = host;
  if (text.ends_with('.'))
    text.pop_back();
  in_addr address;
  if (inet_aton(text.c_str(), &address) == 0)
    return std::nullopt;
  char buffer[INET_ADDRSTRLEN] = {};
  if (!inet_ntop(AF_INET, &address, buffer, sizeof(buffer)))
    return std::nullopt;
  return std::string(buffer);
}

// Returns an error message, or nullopt if the ASCII host is within DNS's
// limits.
std::optional<std::string> CheckHostLength(std::string_view host) {
  if (host.ends_with('.'))
    host.remove_suffix(1);
  if (host.size() > kMaxHostLength) {
    return absl::StrCat("host is ", host.size(),
                        " characters long (the limit is 253)");
  }
  for (absl::string_view label : absl::StrSplit(AsAbsl(host), '.')) {
    if (label.size() > kMaxLabelLength) {
      return absl::StrCat("host label '", label.substr(0, 16), "...' is ",
                          label.size(), " characters long (the limit is 63)");
    }
  }
  return std::nullopt;
}

}  // namespace

// static
Url Url::Parse(std::string_view spec) {
  Url url;
  // A fresh object, so that no half-filled field survives into an invalid Url.
  auto fail = [](int error, std::string message) {
    Url invalid;
    invalid.error_ = error;
    invalid.error_message_ = std::move(message);
    return invalid;
  };

  if (spec.empty())
    return fail(ERR_INVALID_URL, "empty URL");

  // Browsers strip or reject these silently; an explicit error is easier to
  // debug.
  for (size_t i = 0; i < spec.size(); ++i) {
    const char c = spec[i];
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == ' ') {
      return fail(ERR_INVALID_URL,
                  absl::StrCat("URL contains a ", DescribeCharacter(c),
                               " at offset ", i));
    }
    if (c == '\\') {
      return fail(ERR_INVALID_URL,
                  absl::StrCat("URL contains a backslash at offset ", i));
    }
  }

  const size_t colon = spec.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return fail(ERR_INVALID_URL,
                "URL has no scheme (relative URLs are not accepted)");
  }
  const std::string scheme =
      absl::AsciiStrToLower(absl::string_view(spec.data(), colon));
  if (!IsValidSchemeSyntax(scheme)) {
    return fail(ERR_INVALID_URL,
                absl::StrCat("URL has an invalid scheme '", scheme, "'"));
  }
  if (!IsSupportedScheme(scheme)) {
    return fail(ERR_UNKNOWN_URL_SCHEME,
                absl::StrCat("unsupported scheme '", scheme,
                             "' (only http, https, ws and wss)"));
  }
  if (spec.substr(colon + 1, 2) != "//") {
    return fail(ERR_INVALID_URL, absl::StrCat("URL has no host (expected '//' "
                                              "after '",
                                              scheme, ":')"));
  }

  const std::string encoded = PercentEncodeNonAscii(spec);
  auto parsed = boost::urls::parse_uri(encoded);
  if (!parsed) {
    return fail(ERR_INVALID_URL,
                absl::StrCat("malformed URL (", parsed.error().message(), ")"));
  }
  const boost::urls::url_view& view = *parsed;

  // Boost.URL 1.81 reads "http://h:12ab/" as port "12" followed by a path
  // "ab/", and "http://1.2.3.4.5/" as an IPv4 host followed by ".5/". With an
  // authority, a path must start with '/', so that shape means the authority
  // was malformed.
  const std::string_view raw_path(view.encoded_path().data(),
                                  view.encoded_path().size());
  if (!raw_path.empty() && raw_path[0] != '/') {
    return fail(ERR_INVALID_URL,
                view.has_port() ? "port is not a number" : "malformed host");
  }

  // Host.
  std::string host;
  switch (view.host_type()) {
    case boost::urls::host_type::ipv4:
      host = std::string(view.encoded_host());
      url.host_is_ip_ = true;
      break;
    case boost::urls::host_type::ipv6: {
      const auto address_text = view.encoded_host_address();
      std::optional<IPAddress> address = IPAddress::FromString(
          std::string_view(address_text.data(), address_text.size()));
      if (!address || !address->IsIPv6())
        return fail(ERR_INVALID_URL, "invalid IPv6 address");
      host = address->ToString();
      url.host_is_ip_ = true;
      url.host_is_ipv6_ = true;
      break;
    }
    case boost::urls::host_type::ipvfuture:
      return fail(ERR_INVALID_URL, "IPvFuture hosts are not supported");
    case boost::urls::host_type::name:
    case boost::urls::host_type::none:
      host = std::string(view.host());
      break;
  }
  if (host.empty())
    return fail(ERR_INVALID_URL, "URL has no host");

  if (!url.host_is_ip_) {
    if (std::optional<char> bad = FindForbiddenHostCharacter(host)) {
      return fail(ERR_INVALID_URL, absl::StrCat("host contains a forbidden ",
                                                DescribeCharacter(*bad)));
    }
    // ASCII lowercasing leaves UTF-8 sequences alone, and lets IDNA see "XN--"
    // labels in the form it validates.
    absl::AsciiStrToLower(&host);
    if (HasNonAsciiByte(host) || HasPunycodeLabel(host)) {
      // UTS #46 non-transitional processing, as browsers do: maps case and
      // compatibility forms, keeps ß and ZWJ/ZWNJ where allowed, and validates
      // existing punycode labels.
      char* ascii = nullptr;
      const int rc = idn2_to_ascii_8z(host.c_str(), &ascii,
                                      IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
      if (rc != IDN2_OK) {
        return fail(ERR_INVALID_URL,
                    absl::StrCat("invalid internationalized host name (",
                                 idn2_strerror(rc), ")"));
      }
      host = ascii;
      idn2_free(ascii);
      // Mapping can produce ASCII that is forbidden (a fullwidth solidus
      // becomes '/').
      if (std::optional<char> bad = FindForbiddenHostCharacter(host)) {
        return fail(ERR_INVALID_URL,
                    absl::StrCat("host maps to a forbidden ",
                                 DescribeCharacter(*bad), " under IDNA"));
      }
    }
    if (EndsInANumber(host)) {
      std::optional<std::string> ipv4 = CanonicalizeLegacyIPv4(host);
      if (!ipv4) {
        return fail(ERR_INVALID_URL,
                    absl::StrCat("host '", host,
                                 "' ends in a number but is not a valid IPv4 "
                                 "address"));
      }
      host = *ipv4;
      url.host_is_ip_ = true;
    }
    if (std::optional<std::string> problem = CheckHostLength(host))
      return fail(ERR_INVALID_URL, *problem);
  }

  // Port. An empty port ("http://h:/") means the default, as in browsers.
  const uint16_t default_port = DefaultPortForScheme(scheme);
  uint16_t port = default_port;
  const std::string_view port_text(view.port().data(), view.port().size());
  if (view.has_port() && !port_text.empty()) {
    uint64_t value = 0;
    for (char c : port_text) {
      value = value * 10 + static_cast<uint64_t>(c - '0');
      if (value > 65535) {
        return fail(ERR_INVALID_URL, absl::StrCat("port ", AsAbsl(port_text),
                                                  " is out of range "
                                                  "(1-65535)"));
      }
    }
    // Browsers parse port 0 but refuse to connect to it (Chromium's restricted
    // ports).
    if (value == 0)
      return fail(ERR_UNSAFE_PORT, "port 0 cannot be connected to");
    port = static_cast<uint16_t>(value);
  }

  // Path and query. Dot segments are resolved as browsers do; the fragment is
  // dropped.
  boost::urls::url normalized(view);
  normalized.normalize_path();
  std::string path(normalized.encoded_path());
  if (path.empty())
    path = "/";

  url.scheme_ = scheme;
  url.host_ = host;
  url.port_ = port;
  url.has_explicit_port_ = port != default_port;
  url.path_ = path;
  url.has_query_ = view.has_query();
  if (url.has_query_)
    url.query_ = std::string(view.encoded_query());

  // Userinfo is accepted but kept out of spec(): prewarm never sends HTTP auth,
  // and a spec is what reaches NetLog, reports and group keys.
  url.spec_ = absl::StrCat(
      scheme, "://", url.host_is_ipv6_ ? absl::StrCat("[", host, "]") : host,
      url.has_explicit_port_ ? absl::StrCat(":", port) : std::string(),
      url.PathForRequest());
  url.error_ = OK;
  url.error_message_.clear();
  return url;
}

std::string Url::PathForRequest() const {
  if (!has_query_)
    return path_;
  return absl::StrCat(path_, "?", query_);
}

bool Url::SchemeIsHttpOrHttps() const {
  return scheme_ == "http" || scheme_ == "https";
}

bool Url::SchemeIsCryptographic() const {
  return scheme_ == "https" || scheme_ == "wss";
}

// static
uint16_t Url::DefaultPortForScheme(std::string_view scheme) {
  if (scheme == "http" || scheme == "ws")
    return 80;
  if (scheme == "https" || scheme == "wss")
    return 443;
  return 0;
}

}  // namespace net
