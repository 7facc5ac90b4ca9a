#include "net/dns/connect_to_overrides.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "net/base/ip_address.h"
#include "net/base/net_errors.h"

namespace net {

namespace {

// Reads one host field up to the next ':' (or the end), with IPv6 in brackets.
// Advances *rest past the field and its ':' separator if there is one.
bool ConsumeHost(absl::string_view* rest, std::string* host, std::string* why) {
  absl::string_view text = *rest;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == absl::string_view::npos) {
      *why = "unbalanced '['";
      return false;
    }
    std::string literal(text.substr(1, close - 1));
    std::optional<IPAddress> address = IPAddress::FromString(literal);
    if (!address || !address->IsIPv6()) {
      *why =
          absl::StrCat("\"", literal, "\" in brackets is not an IPv6 address");
      return false;
    }
    *host = address->ToString();
    text.remove_prefix(close + 1);
    if (!text.empty() && text.front() != ':') {
      *why = "expected ':' after ']'";
      return false;
    }
  } else {
    size_t colon = text.find(':');
    *host = absl::AsciiStrToLower(text.substr(0, colon));
    for (char c : *host) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
          c != '.' && c != '_') {
        *why = absl::StrCat("\"", *host, "\" is not a valid host");
        return false;
      }
    }
    text.remove_prefix(colon == absl::string_view::npos ? text.size() : colon);
  }
  if (!text.empty())
    text.remove_prefix(1);  // the ':'
  *rest = text;
  return true;
}

bool ConsumePort(absl::string_view* rest,
                 std::optional<uint16_t>* port,
                 std::string* why) {
  absl::string_view text = *rest;
  size_t colon = text.find(':');
  absl::string_view field = text.substr(0, colon);
  if (field.empty()) {
    port->reset();
  } else {
    uint32_t value = 0;
    if (field.size() > 5 || !absl::SimpleAtoi(field, &value) || value == 0 ||
        value > 65535 ||
        !absl::ascii_isdigit(static_cast<unsigned char>(field[0]))) {
      *why = absl::StrCat("\"", field, "\" is not a port (1-65535)");
      return false;
    }
    *port = static_cast<uint16_t>(value);
  }
  text.remove_prefix(colon == absl::string_view::npos ? text.size()
                                                      : colon + 1);
  *rest = text;
  return true;
}

}  // namespace

ConnectToOverrides::ConnectToOverrides() = default;
ConnectToOverrides::ConnectToOverrides(const ConnectToOverrides&) = default;
ConnectToOverrides& ConnectToOverrides::operator=(const ConnectToOverrides&) =
    default;
ConnectToOverrides::~ConnectToOverrides() = default;

// static
int ConnectToOverrides::Parse(std::string_view text,
                              ConnectToOverrides* overrides,
                              std::string* error_message) {
  ConnectToOverrides parsed;
  for (absl::string_view raw :
       absl::StrSplit(absl::string_view(text.data(), text.size()), ',')) {
    absl::string_view entry_text = absl::StripAsciiWhitespace(raw);
    if (entry_text.empty())
      continue;
    std::string why;
    Entry entry;
    absl::string_view rest = entry_text;
    // Exactly four fields means exactly three separators outside brackets.
    int separators = 0;
    bool in_brackets = false;
    for (char c : entry_text) {
      if (c == '[')
        in_brackets = true;
      else if (c == ']')
        in_brackets = false;
      else if (c == ':' && !in_brackets)
        ++separators;
    }
    bool ok = separators == 3;
    if (!ok)
      why = "expected HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT";
    ok = ok && ConsumeHost(&rest, &entry.from_host, &why) &&
         ConsumePort(&rest, &entry.from_port, &why) &&
         ConsumeHost(&rest, &entry.to_host, &why) &&
         ConsumePort(&rest, &entry.to_port, &why);
    if (!ok) {
      *error_message =
          absl::StrCat("invalid connect-to entry \"", entry_text, "\": ", why);
      return ERR_INVALID_HOST_RESOLVER_RULE;
    }
    parsed.entries_.push_back(std::move(entry));
  }
  *overrides = std::move(parsed);
  return OK;
}

std::optional<HostPortPair> ConnectToOverrides::Apply(
    const HostPortPair& logical) const {
  const std::string host = absl::AsciiStrToLower(logical.host());
  for (const Entry& entry : entries_) {
    if (!entry.from_host.empty() && entry.from_host != host)
      continue;
    if (entry.from_port && *entry.from_port != logical.port())
      continue;
    return HostPortPair(entry.to_host.empty() ? logical.host() : entry.to_host,
                        entry.to_port.value_or(logical.port()));
  }
  return std::nullopt;
}

}  // namespace net
