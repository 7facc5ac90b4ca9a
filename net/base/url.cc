#include "net/base/url.h"

#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "net/base/net_errors.h"
#include "net/base/whatwg_url_steps.h"

namespace net {

namespace {

using whatwg_url::IsSlashForSpecialScheme;

// Debian's Abseil has its own string_view type; our API uses std::string_view.
absl::string_view AsAbsl(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

bool IsSupportedScheme(std::string_view scheme) {
  return scheme == "http" || scheme == "https" || scheme == "ws" ||
         scheme == "wss";
}

std::string DescribeCharacter(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  if (u < 0x20 || u == 0x7f)
    return absl::StrFormat("control character 0x%02X", u);
  if (c == ' ')
    return "space";
  return absl::StrFormat("'%c'", c);
}

// Scheme start and scheme state: an ASCII letter, then letters, digits, '+',
// '-' or '.', up to the first ':'. Returns the length of the scheme, or
// nullopt when the input has none (a relative reference).
std::optional<size_t> FindScheme(std::string_view input) {
  if (input.empty() ||
      !absl::ascii_isalpha(static_cast<unsigned char>(input[0])))
    return std::nullopt;
  for (size_t i = 1; i < input.size(); ++i) {
    const char c = input[i];
    if (c == ':')
      return i;
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '+' &&
        c != '-' && c != '.') {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

// The WHATWG preprocessing of an input string, before any state runs.
std::string Preprocess(std::string_view input) {
  return whatwg_url::RemoveAsciiTabOrNewline(
      whatwg_url::StripLeadingAndTrailingC0ControlOrSpace(input));
}

// Special authority slashes and ignore slashes states: any run of '/' and
// '\' after "scheme:" is skipped.
size_t SkipSpecialAuthoritySlashes(std::string_view rest) {
  size_t i = 0;
  while (i < rest.size() && IsSlashForSpecialScheme(rest[i]))
    ++i;
  return i;
}

// Host state: the host ends at the first ':' outside brackets.
size_t FindPortDelimiter(std::string_view host_and_port) {
  bool inside_brackets = false;
  for (size_t i = 0; i < host_and_port.size(); ++i) {
    const char c = host_and_port[i];
    if (c == '[')
      inside_brackets = true;
    else if (c == ']')
      inside_brackets = false;
    else if (c == ':' && !inside_brackets)
      return i;
  }
  return std::string_view::npos;
}

// Path state for a special scheme: segments split on '/' and '\', dot
// segments resolved, each segment percent-encoded with the path set.
std::string ParsePath(std::string_view path) {
  // Path start state consumes the slash that ends the authority.
  if (!path.empty())
    path.remove_prefix(1);
  std::vector<std::string> segments;
  while (true) {
    size_t end = 0;
    while (end < path.size() && !IsSlashForSpecialScheme(path[end]))
      ++end;
    const bool last = end == path.size();
    const std::string_view segment = path.substr(0, end);
    if (whatwg_url::IsDoubleDotPathSegment(segment)) {
      if (!segments.empty())
        segments.pop_back();
      if (last)
        segments.emplace_back();
    } else if (whatwg_url::IsSingleDotPathSegment(segment)) {
      if (last)
        segments.emplace_back();
    } else {
      segments.push_back(whatwg_url::PercentEncode(
          segment, whatwg_url::PercentEncodeSet::kPath));
    }
    if (last)
      break;
    path.remove_prefix(end + 1);
  }
  return absl::StrCat("/", absl::StrJoin(segments, "/"));
}

struct ParsedHost {
  std::string host;  // canonical; IPv6 without brackets
  bool is_ip = false;
  bool is_ipv6 = false;
};

// The host parser for a special scheme. Returns nullopt and sets *error on
// failure.
std::optional<ParsedHost> ParseHost(std::string_view input,
                                    std::string* error) {
  ParsedHost parsed;
  if (input.starts_with('[')) {
    std::optional<std::array<uint8_t, 16>> address;
    if (input.ends_with(']'))
      address = whatwg_url::ParseIPv6(input.substr(1, input.size() - 2));
    if (!address) {
      *error = "invalid IPv6 address";
      return std::nullopt;
    }
    parsed.host = whatwg_url::SerializeIPv6(*address);
    parsed.is_ip = parsed.is_ipv6 = true;
    return parsed;
  }
  std::optional<std::string> ascii =
      whatwg_url::DomainToAscii(whatwg_url::PercentDecode(input), error);
  if (!ascii)
    return std::nullopt;
  if (std::optional<char> bad =
          whatwg_url::FindForbiddenDomainCodePoint(*ascii)) {
    *error =
        absl::StrCat("host contains a forbidden ", DescribeCharacter(*bad));
    return std::nullopt;
  }
  if (whatwg_url::EndsInANumber(*ascii)) {
    std::optional<uint32_t> ipv4 = whatwg_url::ParseIPv4(*ascii);
    if (!ipv4) {
      *error = absl::StrCat("host '", *ascii,
                            "' ends in a number but is not a valid IPv4 "
                            "address");
      return std::nullopt;
    }
    parsed.host = whatwg_url::SerializeIPv4(*ipv4);
    parsed.is_ip = true;
    return parsed;
  }
  parsed.host = std::move(*ascii);
  return parsed;
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

  const std::string input = Preprocess(spec);
  if (input.empty())
    return fail(ERR_INVALID_URL, "empty URL");

  const std::optional<size_t> scheme_length = FindScheme(input);
  if (!scheme_length) {
    return fail(ERR_INVALID_URL,
                "URL has no scheme (a relative URL needs a base)");
  }
  const std::string scheme =
      absl::AsciiStrToLower(AsAbsl(input).substr(0, *scheme_length));
  if (!IsSupportedScheme(scheme)) {
    return fail(ERR_UNKNOWN_URL_SCHEME,
                absl::StrCat("unsupported scheme '", scheme,
                             "' (only http, https, ws and wss)"));
  }

  // Authority state: up to the first slash, backslash, '?' or '#'. Userinfo
  // ends at its last '@'.
  std::string_view rest = std::string_view(input).substr(*scheme_length + 1);
  rest.remove_prefix(SkipSpecialAuthoritySlashes(rest));
  const size_t authority_end = rest.find_first_of("/\\?#");
  std::string_view host_and_port = rest.substr(0, authority_end);
  rest.remove_prefix(host_and_port.size());
  const size_t at = host_and_port.rfind('@');
  if (at != std::string_view::npos) {
    host_and_port.remove_prefix(at + 1);
    if (host_and_port.empty())
      return fail(ERR_INVALID_URL, "URL has credentials but no host");
  }
  const size_t colon = FindPortDelimiter(host_and_port);
  const std::string_view host_text = host_and_port.substr(0, colon);
  if (host_text.empty())
    return fail(ERR_INVALID_URL, "URL has no host");

  std::string host_error;
  std::optional<ParsedHost> host = ParseHost(host_text, &host_error);
  if (!host)
    return fail(ERR_INVALID_URL, host_error);

  // Port state. An empty port ("http://h:/") means the default.
  const uint16_t default_port = DefaultPortForScheme(scheme);
  uint16_t port = default_port;
  if (colon != std::string_view::npos && colon + 1 < host_and_port.size()) {
    const std::string_view port_text = host_and_port.substr(colon + 1);
    uint64_t value = 0;
    for (char c : port_text) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c)))
        return fail(ERR_INVALID_URL, "port is not a number");
    }
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

  // Path, query and fragment states; the fragment is dropped.
  rest = rest.substr(0, rest.find('#'));
  const size_t question = rest.find('?');
  url.path_ = ParsePath(rest.substr(0, question));
  url.has_query_ = question != std::string_view::npos;
  if (url.has_query_) {
    url.query_ = whatwg_url::PercentEncode(
        rest.substr(question + 1), whatwg_url::PercentEncodeSet::kSpecialQuery);
  }

  url.scheme_ = scheme;
  url.host_ = std::move(host->host);
  url.host_is_ip_ = host->is_ip;
  url.host_is_ipv6_ = host->is_ipv6;
  url.port_ = port;
  url.has_explicit_port_ = port != default_port;
  // Userinfo is accepted but kept out of spec(): prewarm never sends HTTP auth,
  // and a spec is what reaches NetLog, reports and group keys.
  url.spec_ = absl::StrCat(url.SchemeHostPort(), url.PathForRequest());
  url.error_ = OK;
  url.error_message_.clear();
  return url;
}

// static
Url Url::Resolve(const Url& base, std::string_view input) {
  const std::string text = Preprocess(input);
  std::string_view reference = text;
  if (std::optional<size_t> scheme_length = FindScheme(text)) {
    const std::string scheme =
        absl::AsciiStrToLower(AsAbsl(text).substr(0, *scheme_length));
    const std::string_view after = reference.substr(*scheme_length + 1);
    // Special relative or authority state: only "scheme:" with base's scheme
    // and without "//" is relative.
    if (!base.is_valid() || scheme != base.scheme() || after.starts_with("//"))
      return Parse(text);
    reference = after;
  }
  if (!base.is_valid()) {
    Url invalid;
    invalid.error_message_ = "relative URL without a valid base";
    return invalid;
  }
  // Relative state.
  if (reference.empty() || reference.starts_with('#'))
    return base;
  if (reference.size() >= 2 && IsSlashForSpecialScheme(reference[0]) &&
      IsSlashForSpecialScheme(reference[1])) {
    return Parse(absl::StrCat(base.scheme(), ":", AsAbsl(reference)));
  }
  if (IsSlashForSpecialScheme(reference[0]))
    return Parse(absl::StrCat(base.SchemeHostPort(), AsAbsl(reference)));
  if (reference.starts_with('?'))
    return Parse(
        absl::StrCat(base.SchemeHostPort(), base.path(), AsAbsl(reference)));
  // A path-relative reference replaces base's last path segment.
  const std::string_view directory =
      std::string_view(base.path()).substr(0, base.path().rfind('/') + 1);
  return Parse(absl::StrCat(base.SchemeHostPort(), AsAbsl(directory),
                            AsAbsl(reference)));
}

std::string Url::SchemeHostPort() const {
  return absl::StrCat(
      scheme_, "://", host_is_ipv6_ ? absl::StrCat("[", host_, "]") : host_,
      has_explicit_port_ ? absl::StrCat(":", port_) : std::string());
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
