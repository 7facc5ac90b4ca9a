#include "net/base/whatwg_url_steps.h"

#include <unicode/uidna.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace net::whatwg_url {

namespace {

bool IsC0ControlOrSpace(char c) {
  return static_cast<unsigned char>(c) <= 0x20;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

bool InPercentEncodeSet(unsigned char c, PercentEncodeSet set) {
  // C0 control percent-encode set: C0 controls and everything above '~'.
  if (c < 0x20 || c > 0x7e)
    return true;
  switch (c) {
    case ' ':
    case '"':
    case '#':
    case '<':
    case '>':
      return true;
    case '\'':
      return set == PercentEncodeSet::kSpecialQuery;
    case '?':
    case '^':
    case '`':
    case '{':
    case '}':
      return set == PercentEncodeSet::kPath;
    default:
      return false;
  }
}

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80)
      return false;
  }
  return true;
}

// Strictly splitting on '.': empty items are kept.
std::vector<std::string_view> SplitOnDots(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t dot = text.find('.', start);
    parts.push_back(text.substr(start, dot - start));
    if (dot == std::string_view::npos)
      return parts;
    start = dot + 1;
  }
}

bool HasXnLabel(std::string_view domain) {
  for (std::string_view label : SplitOnDots(domain)) {
    if (absl::StartsWithIgnoreCase(
            absl::string_view(label.data(), label.size()), "xn--"))
      return true;
  }
  return false;
}

// One UTS #46 instance for the process: ICU documents it as immutable and
// usable from any thread.
const UIDNA* Uts46() {
  static const UIDNA* const uts46 = [] {
    UErrorCode status = U_ZERO_ERROR;
    UIDNA* idna = uidna_openUTS46(UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ |
                                      UIDNA_NONTRANSITIONAL_TO_ASCII,
                                  &status);
    return U_SUCCESS(status) ? idna : nullptr;
  }();
  return uts46;
}

// The errors UTS #46 reports for the checks WHATWG turns off when beStrict is
// false (CheckHyphens, VerifyDnsLength).
constexpr uint32_t kIgnoredIdnaErrors =
    UIDNA_ERROR_EMPTY_LABEL | UIDNA_ERROR_LABEL_TOO_LONG |
    UIDNA_ERROR_DOMAIN_NAME_TOO_LONG | UIDNA_ERROR_LEADING_HYPHEN |
    UIDNA_ERROR_TRAILING_HYPHEN | UIDNA_ERROR_HYPHEN_3_4;

std::string DescribeIdnaErrors(uint32_t errors) {
  struct Name {
    uint32_t bit;
    const char* text;
  };
  static constexpr Name kNames[] = {
      {UIDNA_ERROR_LEADING_COMBINING_MARK, "a label starts with a mark"},
      {UIDNA_ERROR_DISALLOWED, "a disallowed code point"},
      {UIDNA_ERROR_PUNYCODE, "invalid punycode"},
      {UIDNA_ERROR_LABEL_HAS_DOT, "a label maps to one with a dot"},
      {UIDNA_ERROR_INVALID_ACE_LABEL, "an invalid xn-- label"},
      {UIDNA_ERROR_BIDI, "a bidi rule is broken"},
      {UIDNA_ERROR_CONTEXTJ, "a joiner out of context"},
      {UIDNA_ERROR_CONTEXTO_PUNCTUATION, "punctuation out of context"},
      {UIDNA_ERROR_CONTEXTO_DIGITS, "mixed digits"},
  };
  for (const Name& name : kNames) {
    if (errors & name.bit)
      return name.text;
  }
  return absl::StrFormat("UTS #46 error 0x%x", errors);
}

// ICU 72 carries Unicode 15.0's IDNA mapping table. UTS #46 for Unicode 15.1
// (ICU 74), which browsers follow, changed three things this step applies
// first, so that ICU 72 then processes the domain as 15.1 would: U+180E
// MONGOLIAN VOWEL SEPARATOR and the deprecated format characters U+206A to
// U+206F became ignored (they were disallowed), and U+1E9E capital sharp s
// maps to U+00DF rather than "ss". Invalid UTF-8 becomes U+FFFD, which IDNA
// then rejects.
bool IsIgnoredSinceUnicode15_1(UChar32 c) {
  return c == 0x180e || (c >= 0x206a && c <= 0x206f);
}

std::string ApplyUts46ChangesSinceUnicode15(std::string_view domain) {
#if U_ICU_VERSION_MAJOR_NUM < 74
  std::string out;
  out.reserve(domain.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(domain.data());
  const int32_t length = static_cast<int32_t>(domain.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0)
      c = 0xfffd;
    if (c == 0x1e9e)
      c = 0xdf;
    if (IsIgnoredSinceUnicode15_1(c))
      continue;
    uint8_t encoded[U8_MAX_LENGTH];
    int32_t encoded_length = 0;
    U8_APPEND_UNSAFE(encoded, encoded_length, c);
    out.append(reinterpret_cast<const char*>(encoded),
               static_cast<size_t>(encoded_length));
  }
  return out;
#else
  return std::string(domain);
#endif
}

}  // namespace

std::string_view StripLeadingAndTrailingC0ControlOrSpace(std::string_view in) {
  while (!in.empty() && IsC0ControlOrSpace(in.front()))
    in.remove_prefix(1);
  while (!in.empty() && IsC0ControlOrSpace(in.back()))
    in.remove_suffix(1);
  return in;
}

std::string RemoveAsciiTabOrNewline(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  for (char c : input) {
    if (c != '\t' && c != '\n' && c != '\r')
      out.push_back(c);
  }
  return out;
}

std::string PercentDecode(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  for (size_t i = 0; i < input.size(); ++i) {
    if (input[i] == '%' && i + 2 < input.size() &&
        HexValue(input[i + 1]) >= 0 && HexValue(input[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(input[i + 1]) * 16 +
                                      HexValue(input[i + 2])));
      i += 2;
    } else {
      out.push_back(input[i]);
    }
  }
  return out;
}

std::string PercentEncode(std::string_view input, PercentEncodeSet set) {
  std::string out;
  out.reserve(input.size());
  for (char c : input) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (InPercentEncodeSet(u, set))
      absl::StrAppendFormat(&out, "%%%02X", u);
    else
      out.push_back(c);
  }
  return out;
}

bool IsSingleDotPathSegment(std::string_view segment) {
  return segment == "." ||
         absl::EqualsIgnoreCase(
             absl::string_view(segment.data(), segment.size()), "%2e");
}

bool IsDoubleDotPathSegment(std::string_view segment) {
  const absl::string_view s(segment.data(), segment.size());
  return s == ".." || absl::EqualsIgnoreCase(s, ".%2e") ||
         absl::EqualsIgnoreCase(s, "%2e.") ||
         absl::EqualsIgnoreCase(s, "%2e%2e");
}

std::optional<std::string> DomainToAscii(std::string_view domain,
                                         std::string* error) {
  std::string result;
  if (IsAscii(domain) && !HasXnLabel(domain)) {
    result =
        absl::AsciiStrToLower(absl::string_view(domain.data(), domain.size()));
  } else {
    const UIDNA* uts46 = Uts46();
    if (uts46 == nullptr) {
      *error = "ICU's UTS #46 data is unavailable";
      return std::nullopt;
    }
    // Punycode grows a label by well under a factor of four; retry once with
    // the size ICU asks for if not.
    const std::string input = ApplyUts46ChangesSinceUnicode15(domain);
    result.resize(input.size() * 4 + 64);
    for (int attempt = 0; attempt < 2; ++attempt) {
      UErrorCode status = U_ZERO_ERROR;
      UIDNAInfo info = UIDNA_INFO_INITIALIZER;
      const int32_t length = uidna_nameToASCII_UTF8(
          uts46, input.data(), static_cast<int32_t>(input.size()),
          result.data(), static_cast<int32_t>(result.size()), &info, &status);
      if (status == U_BUFFER_OVERFLOW_ERROR && attempt == 0) {
        result.resize(static_cast<size_t>(length));
        continue;
      }
      if (U_FAILURE(status)) {
        *error = absl::StrFormat("IDNA failed (%s)", u_errorName(status));
        return std::nullopt;
      }
      if ((info.errors & ~kIgnoredIdnaErrors) != 0) {
        *error = absl::StrCat("invalid internationalized host name (",
                              DescribeIdnaErrors(info.errors), ")");
        return std::nullopt;
      }
      result.resize(static_cast<size_t>(length));
      break;
    }
    if (!IsAscii(result)) {
      *error = "invalid internationalized host name (not ASCII after IDNA)";
      return std::nullopt;
    }
  }
  // Only after IDNA: a host of ignored code points (a soft hyphen) maps to
  // nothing, and an empty host would be one site shared by all of them.
  if (result.empty()) {
    *error = "host is empty after IDNA mapping";
    return std::nullopt;
  }
  return result;
}

std::optional<char> FindForbiddenDomainCodePoint(std::string_view domain) {
  for (char c : domain) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f)
      return c;
    switch (c) {
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

bool EndsInANumber(std::string_view domain) {
  std::vector<std::string_view> parts = SplitOnDots(domain);
  if (parts.back().empty()) {
    if (parts.size() == 1)
      return false;
    parts.pop_back();
  }
  const std::string_view last = parts.back();
  if (!last.empty() && std::all_of(last.begin(), last.end(), [](char c) {
        return absl::ascii_isdigit(static_cast<unsigned char>(c));
      })) {
    return true;
  }
  return ParseIPv4Number(last).has_value();
}

std::optional<uint64_t> ParseIPv4Number(std::string_view input) {
  if (input.empty())
    return std::nullopt;
  int radix = 10;
  if (input.size() >= 2 && input[0] == '0' &&
      (input[1] == 'x' || input[1] == 'X')) {
    radix = 16;
    input.remove_prefix(2);
  } else if (input.size() >= 2 && input[0] == '0') {
    radix = 8;
    input.remove_prefix(1);
  }
  constexpr uint64_t kSaturated = uint64_t{1} << 33;
  uint64_t value = 0;
  for (char c : input) {
    const int digit = HexValue(c);
    if (digit < 0 || digit >= radix)
      return std::nullopt;
    value = std::min(kSaturated, value * static_cast<uint64_t>(radix) +
                                     static_cast<uint64_t>(digit));
  }
  return value;
}

std::optional<uint32_t> ParseIPv4(std::string_view input) {
  std::vector<std::string_view> parts = SplitOnDots(input);
  if (parts.back().empty() && parts.size() > 1)
    parts.pop_back();
  if (parts.size() > 4)
    return std::nullopt;
  std::vector<uint64_t> numbers;
  for (std::string_view part : parts) {
    std::optional<uint64_t> number = ParseIPv4Number(part);
    if (!number)
      return std::nullopt;
    numbers.push_back(*number);
  }
  for (size_t i = 0; i + 1 < numbers.size(); ++i) {
    if (numbers[i] > 255)
      return std::nullopt;
  }
  const uint64_t limit = uint64_t{1} << (8 * (5 - numbers.size()));
  if (numbers.back() >= limit)
    return std::nullopt;
  uint64_t address = numbers.back();
  for (size_t i = 0; i + 1 < numbers.size(); ++i)
    address += numbers[i] << (8 * (3 - i));
  return static_cast<uint32_t>(address);
}

std::string SerializeIPv4(uint32_t address) {
  return absl::StrFormat("%u.%u.%u.%u", address >> 24, (address >> 16) & 255,
                         (address >> 8) & 255, address & 255);
}

std::optional<std::array<uint8_t, 16>> ParseIPv6(std::string_view input) {
  auto parsed = boost::urls::parse_ipv6_address(
      boost::core::string_view(input.data(), input.size()));
  if (!parsed)
    return std::nullopt;
  return parsed->to_bytes();
}

std::string SerializeIPv6(const std::array<uint8_t, 16>& address) {
  uint16_t pieces[8];
  for (int i = 0; i < 8; ++i)
    pieces[i] = static_cast<uint16_t>(address[2 * i] << 8 | address[2 * i + 1]);
  // The first longest run of at least two zero pieces.
  int compress = -1;
  int compress_length = 1;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && pieces[j] == 0)
      ++j;
    if (j - i > compress_length) {
      compress = i;
      compress_length = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == compress) {
      out += i == 0 ? "::" : ":";
      i += compress_length - 1;
      continue;
    }
    absl::StrAppendFormat(&out, "%x", pieces[i]);
    if (i != 7)
      out += ':';
  }
  return out;
}

}  // namespace net::whatwg_url
