#include "host/origin_round_trips.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace prewarm {

namespace {

constexpr double kMaxMilliseconds = 10000;

std::optional<absl::Duration> ParseMilliseconds(absl::string_view text) {
  double ms = 0;
  // Plain decimals only: strtod's hex, exponents and "inf" are no way to
  // write a round trip.
  if (text.empty() ||
      text.find_first_not_of("0123456789.") != absl::string_view::npos ||
      !absl::SimpleAtod(text, &ms) || !(ms >= 0) || ms > kMaxMilliseconds) {
    return std::nullopt;
  }
  return absl::Microseconds(static_cast<int64_t>(ms * 1000 + 0.5));
}

std::string FormatMilliseconds(absl::Duration duration) {
  return absl::StrCat(absl::ToDoubleMilliseconds(duration));
}

}  // namespace

OriginRoundTrips::OriginRoundTrips(absl::Duration round_trip)
    : default_round_trip_(round_trip) {}

std::optional<OriginRoundTrips> OriginRoundTrips::Parse(std::string_view text,
                                                        std::string* error) {
  const absl::string_view value(text.data(), text.size());
  if (value.find('=') == absl::string_view::npos) {
    std::optional<absl::Duration> round_trip = ParseMilliseconds(value);
    if (!round_trip) {
      *error = absl::StrCat("round trip '", value,
                            "' is not a number of milliseconds from 0 to ",
                            kMaxMilliseconds);
      return std::nullopt;
    }
    return OriginRoundTrips(*round_trip);
  }
  OriginRoundTrips result(absl::ZeroDuration());
  bool has_default = false;
  for (absl::string_view entry : absl::StrSplit(value, ',')) {
    std::pair<absl::string_view, absl::string_view> parts =
        absl::StrSplit(entry, absl::MaxSplits('=', 1));
    std::optional<absl::Duration> round_trip = ParseMilliseconds(parts.second);
    const std::string host = absl::AsciiStrToLower(parts.first);
    if (host.empty() || !round_trip ||
        host.find_first_of(" =:/") != std::string::npos) {
      *error =
          absl::StrCat("'", entry, "' is not HOST=MS (milliseconds from 0 to ",
                       kMaxMilliseconds, ") or *=MS");
      return std::nullopt;
    }
    bool duplicate = host == "*" ? has_default : false;
    for (const auto& [known, ignored] : result.hosts_)
      duplicate |= known == host;
    if (duplicate) {
      *error = absl::StrCat("'", host, "' is given twice");
      return std::nullopt;
    }
    if (host == "*") {
      result.default_round_trip_ = *round_trip;
      has_default = true;
    } else {
      result.hosts_.emplace_back(host, *round_trip);
    }
  }
  if (!has_default) {
    *error = "no round trip for the other origins: add *=MS";
    return std::nullopt;
  }
  return result;
}

absl::Duration OriginRoundTrips::ForHost(std::string_view host) const {
  const std::string lower =
      absl::AsciiStrToLower(absl::string_view(host.data(), host.size()));
  for (const auto& [known, round_trip] : hosts_) {
    if (known == lower)
      return round_trip;
  }
  return default_round_trip_;
}

absl::Duration OriginRoundTrips::Max() const {
  absl::Duration max = default_round_trip_;
  for (const auto& [host, round_trip] : hosts_)
    max = std::max(max, round_trip);
  return max;
}

std::string OriginRoundTrips::ToString() const {
  std::string text;
  for (const auto& [host, round_trip] : hosts_)
    absl::StrAppend(&text, host, "=", FormatMilliseconds(round_trip), ",");
  if (hosts_.empty())
    return FormatMilliseconds(default_round_trip_);
  absl::StrAppend(&text, "*=", FormatMilliseconds(default_round_trip_));
  return text;
}

}  // namespace prewarm
