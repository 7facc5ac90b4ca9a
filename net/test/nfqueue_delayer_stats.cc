#include "net/test/nfqueue_delayer_stats.h"

#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace net {

namespace {

constexpr char kPrefix[] = "stats";

// The fields in line order; one table so that writing and parsing agree.
std::vector<std::pair<const char*, int64_t NfqueueDelayerStats::*>> Fields() {
  return {{"packets", &NfqueueDelayerStats::packets},
          {"dropped", &NfqueueDelayerStats::dropped},
          {"released_at_shutdown", &NfqueueDelayerStats::released_at_shutdown},
          {"max_held", &NfqueueDelayerStats::max_held},
          {"overruns", &NfqueueDelayerStats::overruns},
          {"user_us", &NfqueueDelayerStats::user_us},
          {"system_us", &NfqueueDelayerStats::system_us},
          {"wall_us", &NfqueueDelayerStats::wall_us},
          {"late_p50_us", &NfqueueDelayerStats::late_p50_us},
          {"late_p99_us", &NfqueueDelayerStats::late_p99_us},
          {"late_max_us", &NfqueueDelayerStats::late_max_us}};
}

}  // namespace

std::string NfqueueDelayerStats::ToLine() const {
  std::string line = kPrefix;
  for (const auto& [name, field] : Fields())
    absl::StrAppend(&line, " ", name, "=", this->*field);
  absl::StrAppend(&line, " realtime=", realtime ? 1 : 0);
  return line;
}

std::optional<NfqueueDelayerStats> NfqueueDelayerStats::Parse(
    std::string_view line) {
  absl::string_view rest(line.data(), line.size());
  absl::ConsumeSuffix(&rest, "\n");
  std::vector<absl::string_view> words = absl::StrSplit(rest, ' ');
  const auto fields = Fields();
  if (words.size() != fields.size() + 2 || words[0] != kPrefix)
    return std::nullopt;
  NfqueueDelayerStats stats;
  for (size_t i = 0; i < fields.size(); ++i) {
    absl::string_view word = words[i + 1];
    if (!absl::ConsumePrefix(&word, fields[i].first) ||
        !absl::ConsumePrefix(&word, "=") ||
        !absl::SimpleAtoi(word, &(stats.*fields[i].second))) {
      return std::nullopt;
    }
  }
  absl::string_view realtime = words.back();
  if (realtime != "realtime=0" && realtime != "realtime=1")
    return std::nullopt;
  stats.realtime = realtime == "realtime=1";
  return stats;
}

}  // namespace net
