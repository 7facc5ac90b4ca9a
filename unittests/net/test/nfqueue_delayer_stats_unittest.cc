#include "net/test/nfqueue_delayer_stats.h"

#include <optional>

#include "gtest/gtest.h"

namespace net {
namespace {

TEST(NfqueueDelayerStatsTest, TheLineRoundTrips) {
  NfqueueDelayerStats stats;
  stats.packets = 1234;
  stats.dropped = 5;
  stats.released_at_shutdown = 6;
  stats.max_held = 77;
  stats.overruns = 1;
  stats.user_us = 4000;
  stats.system_us = 3000;
  stats.wall_us = 9000000;
  stats.late_p50_us = 40;
  stats.late_p99_us = 120;
  stats.late_max_us = 900;
  stats.realtime = true;
  std::optional<NfqueueDelayerStats> parsed =
      NfqueueDelayerStats::Parse(stats.ToLine() + "\n");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(stats.ToLine(), parsed->ToLine());
  EXPECT_EQ(1234, parsed->packets);
  EXPECT_EQ(120, parsed->late_p99_us);
  EXPECT_TRUE(parsed->realtime);
}

TEST(NfqueueDelayerStatsTest, RejectsWhatIsNotAStatsLine) {
  const std::string good = NfqueueDelayerStats().ToLine();
  for (const std::string& line :
       {std::string(""), std::string("ready"), std::string("stats"),
        good + " extra=1", good.substr(0, good.size() - 1) + "2",
        std::string("stats packets=x") + good.substr(good.find(' ', 6))}) {
    EXPECT_FALSE(NfqueueDelayerStats::Parse(line)) << line;
  }
}

}  // namespace
}  // namespace net
