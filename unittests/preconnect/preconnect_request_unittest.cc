#include "preconnect/preconnect_request.h"

#include "gtest/gtest.h"
#include "preconnect/preconnect_policy.h"
#include "preconnect/preconnect_target.h"

namespace prewarm {
namespace {

TEST(CrossOriginAttributeTest, MapsLikeHtml) {
  EXPECT_EQ(CrossOriginAttributeFromString(std::nullopt),
            CrossOriginAttribute::kAbsent);
  EXPECT_EQ(CrossOriginAttributeFromString(""),
            CrossOriginAttribute::kAnonymous);
  EXPECT_EQ(CrossOriginAttributeFromString("anonymous"),
            CrossOriginAttribute::kAnonymous);
  EXPECT_EQ(CrossOriginAttributeFromString("use-credentials"),
            CrossOriginAttribute::kUseCredentials);
  EXPECT_EQ(CrossOriginAttributeFromString("Use-Credentials"),
            CrossOriginAttribute::kUseCredentials);
  EXPECT_EQ(CrossOriginAttributeFromString("credentials"),
            CrossOriginAttribute::kAnonymous);
  EXPECT_EQ(CrossOriginAttributeFromString("use-credentials "),
            CrossOriginAttribute::kAnonymous);
}

TEST(PreconnectRequestTest, ZeroSocketsMeansOne) {
  PreconnectRequest request;
  request.num_sockets = 0;
  EXPECT_EQ(request.effective_num_sockets(), 1u);
  request.num_sockets = 3;
  EXPECT_EQ(request.effective_num_sockets(), 3u);
}

TEST(PreconnectPurposeTest, NamesMatchTheScenarioFormat) {
  EXPECT_STREQ(PreconnectPurposeToString(PreconnectPurpose::kUnknown),
               "PURPOSE_UNKNOWN");
  EXPECT_STREQ(PreconnectPurposeToString(PreconnectPurpose::kSubresource),
               "SUBRESOURCE");
  EXPECT_STREQ(PreconnectPurposeToString(PreconnectPurpose::kNavigation),
               "NAVIGATION");
  EXPECT_STREQ(PurposeSourceToString(PurposeSource::kLearned), "LEARNED");
}

TEST(PreconnectPolicyTest, NamesRoundTrip) {
  for (PreconnectPolicy policy : kAllPreconnectPolicies) {
    EXPECT_EQ(PreconnectPolicyFromString(PreconnectPolicyToString(policy)),
              policy);
  }
  EXPECT_STREQ(PreconnectPolicyToString(PreconnectPolicy::kSinglePool),
               "single-pool");
  EXPECT_EQ(PreconnectPolicyFromString("prewarm"), PreconnectPolicy::kPrewarm);
  EXPECT_FALSE(PreconnectPolicyFromString("single_pool"));
  EXPECT_FALSE(PreconnectPolicyFromString("all"));
  EXPECT_FALSE(PreconnectPolicyFromString(""));
}

TEST(PreconnectPolicyTest, OnlyChromiumMapsUncredentialedRequestsToEnabled) {
  for (PreconnectPolicy policy : kAllPreconnectPolicies) {
    PrivacyDecider::Options options = PrivacyOptionsFor(policy, true);
    EXPECT_TRUE(options.partition_connections);
    EXPECT_EQ(options.uncredentialed_privacy_mode,
              policy == PreconnectPolicy::kChromium
                  ? net::PrivacyMode::kEnabled
                  : net::PrivacyMode::kEnabledWithoutClientCerts)
        << PreconnectPolicyToString(policy);
  }
  EXPECT_FALSE(PrivacyOptionsFor(PreconnectPolicy::kPrewarm, false)
                   .partition_connections);
}

}  // namespace
}  // namespace prewarm
