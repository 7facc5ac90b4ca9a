#ifndef NET_BASE_WHATWG_URL_STEPS_H_
#define NET_BASE_WHATWG_URL_STEPS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// The steps of the WHATWG URL Standard (https://url.spec.whatwg.org/) that
// Url::Parse needs for the special schemes http, https, ws and wss and that
// Boost.URL's RFC 3986 grammar does not have. Each function is named after the
// step it performs and works on UTF-8 bytes. Stateless; safe on any input.
namespace net::whatwg_url {

// Basic URL parser, first steps: leading and trailing C0 controls and spaces
// (U+0000 to U+0020) are removed, then every tab, LF and CR anywhere.
std::string_view StripLeadingAndTrailingC0ControlOrSpace(std::string_view in);
std::string RemoveAsciiTabOrNewline(std::string_view input);

// Special schemes treat a backslash as a slash wherever a slash delimits.
inline bool IsSlashForSpecialScheme(char c) {
  return c == '/' || c == '\\';
}

// Percent-decoding: "%XX" becomes the byte 0xXX; a '%' not followed by two
// hex digits stays as it is.
std::string PercentDecode(std::string_view input);

// The percent-encode sets the parser uses for special schemes.
enum class PercentEncodeSet {
  kPath,          // path percent-encode set
  kSpecialQuery,  // special-query percent-encode set
};
std::string PercentEncode(std::string_view input, PercentEncodeSet set);

// Path state's single-dot and double-dot URL path segments ("." / "%2e", and
// ".." with either dot encoded), compared ASCII case-insensitively.
bool IsSingleDotPathSegment(std::string_view segment);
bool IsDoubleDotPathSegment(std::string_view segment);

// Domain to ASCII with beStrict false: UTS #46 ToASCII through ICU
// (nontransitional processing, CheckBidi and CheckJoiners on, CheckHyphens,
// UseSTD3ASCIIRules and VerifyDnsLength off). An ASCII domain with no "xn--"
// label is only lowercased, as the standard allows. Returns nullopt and sets
// *error when IDNA fails or maps the domain to the empty string.
std::optional<std::string> DomainToAscii(std::string_view domain,
                                         std::string* error);

// The forbidden domain code points that are ASCII (the forbidden host code
// points, the C0 controls, '%' and DEL); returns the first one found.
std::optional<char> FindForbiddenDomainCodePoint(std::string_view domain);

// The ends-in-a-number checker: whether the last label (ignoring one trailing
// dot) is all digits or parses as an IPv4 number, so the host must be IPv4.
bool EndsInANumber(std::string_view domain);

// The IPv4 number parser: decimal, "0x" hex or leading-zero octal; an empty
// remainder after the prefix is 0. Values saturate above 2^32 so overflow
// still compares as too large.
std::optional<uint64_t> ParseIPv4Number(std::string_view input);

// The IPv4 parser: one to four numbers separated by dots (one trailing dot
// allowed), each but the last below 256, the last filling the remaining
// bytes. Returns the address in host byte order.
std::optional<uint32_t> ParseIPv4(std::string_view input);
std::string SerializeIPv4(uint32_t address);

// The IPv6 parser, through Boost.URL's RFC 3986 IPv6address grammar (the
// same language), and the standard's serializer: lowercase hex pieces, the
// first longest run of two or more zero pieces compressed to "::", and no
// dotted-quad tail.
std::optional<std::array<uint8_t, 16>> ParseIPv6(std::string_view input);
std::string SerializeIPv6(const std::array<uint8_t, 16>& address);

}  // namespace net::whatwg_url

#endif  // NET_BASE_WHATWG_URL_STEPS_H_
