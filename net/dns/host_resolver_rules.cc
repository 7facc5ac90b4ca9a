#include "net/dns/host_resolver_rules.h"

#include <fnmatch.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "net/base/ip_address.h"
#include "net/base/net_errors.h"

namespace net {

namespace {

constexpr char kNotFound[] = "~NOTFOUND";

std::string ToLower(absl::string_view text) {
  return absl::AsciiStrToLower(text);
}

// fnmatch(3) would read '[' as the start of a character class and '\' as an
// escape; our patterns only give '*' and '?' meaning, so bracketed IPv6 hosts
// match literally.
std::string EscapeForFnmatch(const std::string& pattern) {
  std::string escaped;
  for (char c : pattern) {
    if (c == '[' || c == ']' || c == '\\')
      escaped.push_back('\\');
    escaped.push_back(c);
  }
  return escaped;
}

bool MatchesPattern(const std::string& text, const std::string& pattern) {
  return fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

bool IsValidHostCharacter(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
         c == '.' || c == '_';
}

// "host", "host:port", "1.2.3.4", "1.2.3.4:port", "[v6]", "[v6]:port", "v6".
bool ParseReplacement(const std::string& text,
                      std::string* host,
                      std::optional<uint16_t>* port) {
  if (text == kNotFound) {
    *host = kNotFound;
    port->reset();
    return true;
  }
  if (IPAddress::FromString(text)) {  // a bare IPv6 (or IPv4) literal
    *host = text;
    port->reset();
    return true;
  }
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    std::string inner = text.substr(1, text.size() - 2);
    if (!IPAddress::FromString(inner) ||
        !IPAddress::FromString(inner)->IsIPv6())
      return false;
    *host = inner;
    port->reset();
    return true;
  }
  if (text.find(':') != std::string::npos) {
    std::optional<HostPortPair> pair = HostPortPair::FromString(text);
    if (!pair || pair->port() == 0)
      return false;
    *host = ToLower(pair->host());
    *port = pair->port();
    return true;
  }
  if (text.empty())
    return false;
  for (char c : text) {
    if (!IsValidHostCharacter(c))
      return false;
  }
  *host = text;
  port->reset();
  return true;
}

}  // namespace

HostResolverRules::HostResolverRules() = default;
HostResolverRules::HostResolverRules(const HostResolverRules&) = default;
HostResolverRules& HostResolverRules::operator=(const HostResolverRules&) =
    default;
HostResolverRules::~HostResolverRules() = default;

// static
int HostResolverRules::Parse(std::string_view text,
                             HostResolverRules* rules,
                             std::string* error_message) {
  HostResolverRules parsed;
  for (absl::string_view rule :
       absl::StrSplit(absl::string_view(text.data(), text.size()), ',')) {
    std::vector<absl::string_view> words =
        absl::StrSplit(rule, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty());
    if (words.empty())
      continue;  // "a, ,b" and a trailing comma are harmless
    const std::string keyword = ToLower(words[0]);
    const std::string quoted_rule =
        absl::StrCat("\"", absl::StripAsciiWhitespace(rule), "\"");
    auto fail = [&](absl::string_view why) {
      *error_message =
          absl::StrCat("invalid host resolver rule ", quoted_rule, ": ", why);
      return ERR_INVALID_HOST_RESOLVER_RULE;
    };
    if (keyword == "map") {
      if (words.size() != 3)
        return fail("expected MAP <pattern> <replacement>");
      MapRule map_rule;
      map_rule.pattern = EscapeForFnmatch(ToLower(words[1]));
      std::string replacement(words[2]);
      if (replacement != kNotFound)
        replacement = ToLower(replacement);
      if (!ParseReplacement(replacement, &map_rule.replacement_host,
                            &map_rule.replacement_port)) {
        return fail(absl::StrCat(
            "replacement \"", words[2],
            "\" is not a host, host:port, IP literal or ~NOTFOUND"));
      }
      parsed.map_rules_.push_back(std::move(map_rule));
    } else if (keyword == "exclude") {
      if (words.size() != 2)
        return fail("expected EXCLUDE <pattern>");
      parsed.exclusion_patterns_.push_back(EscapeForFnmatch(ToLower(words[1])));
    } else {
      return fail(absl::StrCat("unknown rule type \"", words[0],
                               "\" (expected MAP or EXCLUDE)"));
    }
  }
  *rules = std::move(parsed);
  return OK;
}

HostResolverRules::Outcome HostResolverRules::Apply(
    HostPortPair* host_port) const {
  const std::string host = ToLower(host_port->host());
  const std::string host_and_port =
      HostPortPair(host, host_port->port()).ToString();
  for (const MapRule& rule : map_rules_) {
    if (!MatchesPattern(host, rule.pattern) &&
        !MatchesPattern(host_and_port, rule.pattern)) {
      continue;
    }
    for (const std::string& exclusion : exclusion_patterns_) {
      if (MatchesPattern(host, exclusion))
        return Outcome::kUnchanged;
    }
    if (rule.replacement_host == kNotFound)
      return Outcome::kNotFound;
    *host_port =
        HostPortPair(rule.replacement_host,
                     rule.replacement_port.value_or(host_port->port()));
    return Outcome::kMapped;
  }
  return Outcome::kUnchanged;
}

}  // namespace net
