#include "preload/response_cacheability.h"

#include "gtest/gtest.h"

namespace prewarm {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

ResponseCacheability Read(const Headers& headers, int status = 200) {
  return CacheabilityFromHeaders(status, headers, kNow);
}

TEST(ResponseCacheabilityTest, MaxAgeInTheFutureIsFreshAndStorable) {
  ResponseCacheability result = Read({{"Cache-Control", "public, max-age=10"}});
  EXPECT_TRUE(result.storable);
  EXPECT_TRUE(result.fresh);
  EXPECT_TRUE(result.reusable());
  EXPECT_EQ("", result.reason);
}

TEST(ResponseCacheabilityTest, NoStoreIsNeitherStoredNorReused) {
  ResponseCacheability result = Read({{"cache-control", "No-Store"}});
  EXPECT_FALSE(result.storable);
  EXPECT_FALSE(result.reusable());
  EXPECT_EQ("Cache-Control: no-store", result.reason);
}

TEST(ResponseCacheabilityTest, NoCacheIsStoredButNeverFresh) {
  ResponseCacheability result =
      Read({{"Cache-Control", "no-cache, max-age=60"}});
  EXPECT_TRUE(result.storable);
  EXPECT_FALSE(result.fresh);
}

TEST(ResponseCacheabilityTest, WithoutExplicitFreshnessItIsNotReused) {
  EXPECT_FALSE(Read({}).reusable());
  EXPECT_TRUE(Read({}).storable);
  EXPECT_FALSE(Read({{"Cache-Control", "public"}}).fresh);
}

TEST(ResponseCacheabilityTest, AgeAtOrPastMaxAgeIsStale) {
  EXPECT_FALSE(Read({{"Cache-Control", "max-age=0"}}).fresh);
  EXPECT_FALSE(Read({{"Cache-Control", "max-age=10"}, {"Age", "10"}}).fresh);
  EXPECT_TRUE(Read({{"Cache-Control", "max-age=10"}, {"Age", "9"}}).fresh);
}

TEST(ResponseCacheabilityTest, InvalidMaxAgeIsStale) {
  EXPECT_FALSE(Read({{"Cache-Control", "max-age=ten"}}).fresh);
  EXPECT_FALSE(Read({{"Cache-Control", "max-age=-1"}}).fresh);
}

TEST(ResponseCacheabilityTest, QuotedMaxAgeIsAccepted) {
  // RFC 9111 section 5.2: recipients should accept the quoted form.
  EXPECT_TRUE(Read({{"Cache-Control", "max-age=\"60\""}}).fresh);
}

TEST(ResponseCacheabilityTest, RepeatedDirectiveMakesItStale) {
  ResponseCacheability result =
      Read({{"Cache-Control", "max-age=60"}, {"Cache-Control", "max-age=5"}});
  EXPECT_TRUE(result.storable);
  EXPECT_FALSE(result.fresh);
  EXPECT_NE(std::string::npos, result.reason.find("repeats"));
}

TEST(ResponseCacheabilityTest, ListSplitOverTwoFieldLinesIsJoined) {
  EXPECT_FALSE(
      Read({{"Cache-Control", "max-age=60"}, {"Cache-Control", "no-store"}})
          .storable);
}

TEST(ResponseCacheabilityTest, ExpiresAgainstDate) {
  EXPECT_TRUE(Read({{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                    {"Expires", "Sun, 06 Nov 1994 08:50:37 GMT"}})
                  .fresh);
  EXPECT_FALSE(Read({{"Date", "Sun, 06 Nov 1994 08:49:37 GMT"},
                     {"Expires", "Sun, 06 Nov 1994 08:49:37 GMT"}})
                   .fresh);
  // An invalid Expires means already expired.
  EXPECT_FALSE(Read({{"Expires", "0"}}).fresh);
  // max-age wins over Expires.
  EXPECT_TRUE(Read({{"Cache-Control", "max-age=60"}, {"Expires", "0"}}).fresh);
}

TEST(ResponseCacheabilityTest, ExpiresWithoutDateIsAgainstReceivedTime) {
  EXPECT_TRUE(Read({{"Expires", "Sat, 16 Jan 2027 08:00:00 GMT"}}).fresh);
  EXPECT_FALSE(Read({{"Expires", "Thu, 01 Jan 2026 08:00:00 GMT"}}).fresh);
}

TEST(ResponseCacheabilityTest, InterimStatusIsNotStorable) {
  EXPECT_FALSE(Read({{"Cache-Control", "max-age=60"}}, 101).storable);
}

TEST(ResponseCacheabilityTest, VaryNamesHeadersCaseInsensitively) {
  ResponseCacheability result =
      Read({{"Vary", "Accept-Encoding, X-Custom-Header"}});
  ASSERT_EQ(2u, result.vary.size());
  EXPECT_TRUE(result.VariesOn("x-custom-header"));
  EXPECT_FALSE(result.VariesOn("X-Other"));
  EXPECT_TRUE(Read({{"Vary", "*"}}).VariesOn("X-Anything"));
  EXPECT_FALSE(Read({}).VariesOn("X-Custom-Header"));
}

}  // namespace
}  // namespace prewarm
