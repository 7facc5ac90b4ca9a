#include "net/base/privacy_mode.h"

#include "gtest/gtest.h"

namespace net {
namespace {

TEST(PrivacyModeTest, NamesRoundTripForAllFourModes) {
  for (PrivacyMode mode : {PrivacyMode::kDisabled, PrivacyMode::kEnabled,
                           PrivacyMode::kEnabledWithoutClientCerts,
                           PrivacyMode::kEnabledPartitionedStateAllowed}) {
    auto parsed = PrivacyModeFromString(PrivacyModeToString(mode));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, mode);
  }
  EXPECT_FALSE(PrivacyModeFromString("disabled").has_value());
  EXPECT_FALSE(PrivacyModeFromString("").has_value());
}

TEST(PrivacyModeTest, GroupPrefixesMatchChromium) {
  EXPECT_EQ(PrivacyModeGroupPrefix(PrivacyMode::kDisabled), "");
  EXPECT_EQ(PrivacyModeGroupPrefix(PrivacyMode::kEnabled), "pm/");
  EXPECT_EQ(PrivacyModeGroupPrefix(PrivacyMode::kEnabledWithoutClientCerts),
            "pmwocc/");
  EXPECT_EQ(
      PrivacyModeGroupPrefix(PrivacyMode::kEnabledPartitionedStateAllowed),
      "pmpsa/");
}

}  // namespace
}  // namespace net
