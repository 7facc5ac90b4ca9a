#include "preconnect/preconnect_diagnostics.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/base/network_anonymization_key.h"
#include "net/base/schemeful_site.h"
#include "net/base/url.h"

namespace prewarm {
namespace {

using net::PrivacyMode;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

net::NetworkAnonymizationKey Nak(const char* top, bool cross_site) {
  return net::NetworkAnonymizationKey(net::SchemefulSite(net::Url::Parse(top)),
                                      cross_site);
}

RequestPartition Partition(PrivacyMode mode,
                           net::NetworkAnonymizationKey nak,
                           bool credentials = true,
                           CookieDecision cookies = CookieDecision::kAllowed) {
  return {mode, std::move(nak), credentials, cookies};
}

StrandedPreconnectFacts Facts(const char* origin,
                              RequestPartition preconnect,
                              RequestPartition request) {
  StrandedPreconnectFacts facts;
  facts.origin = origin;
  facts.preconnect = std::move(preconnect);
  facts.request = std::move(request);
  return facts;
}

TEST(PreconnectDiagnosticsTest, CredentialedPreconnectAnonymousFont) {
  StrandedPreconnectFacts facts = Facts(
      "https://fonts.gstatic.example",
      Partition(PrivacyMode::kDisabled, Nak("https://news.example", false)),
      Partition(PrivacyMode::kEnabledWithoutClientCerts,
                Nak("https://news.example", false), /*credentials=*/false));
  facts.destination = "font";
  EXPECT_EQ(DescribeStrandedPreconnect(facts),
            "preconnect to https://fonts.gstatic.example was warmed with "
            "credentials but the font request was anonymous: add "
            "crossorigin=anonymous [differs: privacy_mode]");
}

TEST(PreconnectDiagnosticsTest, AnonymousPreconnectCredentialedRequest) {
  StrandedPreconnectFacts facts = Facts(
      "https://api.example",
      Partition(PrivacyMode::kEnabledWithoutClientCerts,
                Nak("https://news.example", false), false),
      Partition(PrivacyMode::kDisabled, Nak("https://news.example", false)));
  std::string message = DescribeStrandedPreconnect(facts);
  EXPECT_THAT(message, HasSubstr("warmed without credentials "
                                 "(crossorigin=anonymous) but the request "
                                 "sent credentials"));
  EXPECT_THAT(message, HasSubstr("remove crossorigin, or use "
                                 "crossorigin=use-credentials"));
}

TEST(PreconnectDiagnosticsTest, ChromiumAnonymousSameOriginQuirkIsNamed) {
  StrandedPreconnectFacts facts = Facts(
      "https://news.example",
      Partition(PrivacyMode::kEnabled, Nak("https://news.example", false),
                false),
      Partition(PrivacyMode::kDisabled, Nak("https://news.example", false)));
  facts.policy = PreconnectPolicy::kChromium;
  EXPECT_THAT(DescribeStrandedPreconnect(facts),
              HasSubstr("Chromium drops credentials for every anonymous "
                        "preconnect, same-origin ones too"));
}

TEST(PreconnectDiagnosticsTest, SubresourceGuessUsedByNavigation) {
  StrandedPreconnectFacts facts = Facts(
      "https://result.example",
      Partition(PrivacyMode::kDisabled, Nak("https://search.example", false)),
      Partition(PrivacyMode::kDisabled, Nak("https://result.example", false)));
  facts.request_is_main_frame_navigation = true;
  EXPECT_EQ(DescribeStrandedPreconnect(facts),
            "preconnect to https://result.example was warmed for a subresource "
            "of https://search.example but used by a top-level navigation: "
            "pass purpose=NAVIGATION [differs: top_frame_site]");
}

TEST(PreconnectDiagnosticsTest, SeedPolicyIsToldItCannotTakeThePurpose) {
  StrandedPreconnectFacts facts = Facts(
      "https://result.example",
      Partition(PrivacyMode::kDisabled, Nak("https://search.example", false)),
      Partition(PrivacyMode::kDisabled, Nak("https://result.example", false)));
  facts.request_is_main_frame_navigation = true;
  facts.policy = PreconnectPolicy::kSeed;
  EXPECT_THAT(DescribeStrandedPreconnect(facts),
              HasSubstr("pass purpose=NAVIGATION (the seed policy ignores it; "
                        "prewarm honours it)"));
}

TEST(PreconnectDiagnosticsTest, NavigationGuessUsedBySubresource) {
  StrandedPreconnectFacts facts = Facts(
      "https://cdn.example",
      Partition(PrivacyMode::kDisabled, Nak("https://cdn.example", false)),
      Partition(PrivacyMode::kDisabled, Nak("https://news.example", false)));
  facts.preconnect_purpose = PreconnectPurpose::kNavigation;
  facts.destination = "script";
  std::string message = DescribeStrandedPreconnect(facts);
  EXPECT_THAT(message, HasSubstr("was warmed for a top-level navigation to "
                                 "https://cdn.example but used by the script "
                                 "request of https://news.example"));
  EXPECT_THAT(message, HasSubstr("pass purpose=SUBRESOURCE"));
  EXPECT_THAT(message, EndsWith("[differs: top_frame_site]"));
}

TEST(PreconnectDiagnosticsTest, RequestFromAnotherPage) {
  StrandedPreconnectFacts facts = Facts(
      "https://cdn.example",
      Partition(PrivacyMode::kDisabled, Nak("https://blog.example", false)),
      Partition(PrivacyMode::kDisabled, Nak("https://shop.example", false)));
  EXPECT_THAT(DescribeStrandedPreconnect(facts),
              HasSubstr("was warmed for pages on https://blog.example but the "
                        "request came from a page on https://shop.example: "
                        "preconnect from the page that makes the request"));
}

TEST(PreconnectDiagnosticsTest, CrossSiteBitDiffers) {
  StrandedPreconnectFacts facts = Facts(
      "https://ads.example",
      Partition(PrivacyMode::kDisabled, Nak("https://news.example", false)),
      Partition(PrivacyMode::kDisabled, Nak("https://news.example", true)));
  EXPECT_EQ(DescribeStrandedPreconnect(facts),
            "preconnect to https://ads.example was warmed for a same-site "
            "frame of https://news.example but the request came from a "
            "cross-site frame: preconnect from the frame that makes the "
            "request [differs: is_cross_site]");
}

TEST(PreconnectDiagnosticsTest, ThirdPartyCookiesBlockedUnderChromium) {
  StrandedPreconnectFacts facts = Facts(
      "https://cdn.adnetwork.example",
      Partition(PrivacyMode::kDisabled, Nak("https://news.example", false)),
      Partition(PrivacyMode::kEnabledPartitionedStateAllowed,
                Nak("https://news.example", false), true,
                CookieDecision::kPartitionedOnly));
  facts.policy = PreconnectPolicy::kChromium;
  facts.destination = "script";
  std::string message = DescribeStrandedPreconnect(facts);
  EXPECT_THAT(message,
              HasSubstr("was warmed in the cookies-allowed pool (DISABLED) but "
                        "third-party cookies are blocked on this page, so the "
                        "script request used the partitioned-state pool "
                        "(ENABLED_PARTITIONED_STATE_ALLOWED)"));
  EXPECT_THAT(message, HasSubstr("the chromium policy ignores cookie settings "
                                 "for preconnects"));
  EXPECT_THAT(message, EndsWith("[differs: privacy_mode]"));
}

TEST(PreconnectDiagnosticsTest, CookiesBlockedForTheSite) {
  StrandedPreconnectFacts facts = Facts(
      "https://tracker.example",
      Partition(PrivacyMode::kDisabled, Nak("https://news.example", false)),
      Partition(PrivacyMode::kEnabled, Nak("https://news.example", false), true,
                CookieDecision::kDisallowed));
  facts.policy = PreconnectPolicy::kSinglePool;
  std::string message = DescribeStrandedPreconnect(facts);
  EXPECT_THAT(message, HasSubstr("cookies are blocked for "
                                 "https://tracker.example, so the request "
                                 "used the no-cookies pool (ENABLED)"));
  EXPECT_THAT(message, HasSubstr("the single-pool policy warms every "
                                 "preconnect with cookies allowed"));
}

TEST(PreconnectDiagnosticsTest, SinglePoolNamesNoHintAsTheFix) {
  StrandedPreconnectFacts facts = Facts(
      "https://fonts.gstatic.example",
      Partition(PrivacyMode::kDisabled, Nak("https://news.example", false)),
      Partition(PrivacyMode::kEnabledWithoutClientCerts,
                Nak("https://news.example", false), false));
  facts.policy = PreconnectPolicy::kSinglePool;
  std::string message = DescribeStrandedPreconnect(facts);
  EXPECT_THAT(message, HasSubstr("was warmed with credentials but the "
                                 "request was anonymous"));
  EXPECT_THAT(message, Not(HasSubstr("add crossorigin")));
}

TEST(PreconnectDiagnosticsTest, NavigationGuessAndCookieModeBothNamed) {
  // A preconnect after onload guessed as a navigation, used by a third-party
  // subresource with third-party cookies blocked: both fields differ.
  StrandedPreconnectFacts facts =
      Facts("https://cdn.adnetwork.example",
            Partition(PrivacyMode::kDisabled,
                      Nak("https://cdn.adnetwork.example", false)),
            Partition(PrivacyMode::kEnabledPartitionedStateAllowed,
                      Nak("https://news.example", false), true,
                      CookieDecision::kPartitionedOnly));
  facts.preconnect_purpose = PreconnectPurpose::kNavigation;
  std::string message = DescribeStrandedPreconnect(facts);
  EXPECT_THAT(message, HasSubstr("top-level navigation"));
  EXPECT_THAT(message,
              HasSubstr(", and was warmed in the cookies-allowed pool"));
  EXPECT_THAT(message, HasSubstr("pass purpose=SUBRESOURCE"));
  EXPECT_THAT(message, EndsWith("[differs: top_frame_site, privacy_mode]"));
}

TEST(PreconnectDiagnosticsTest, SameKeyNeedsNoExplanation) {
  RequestPartition same =
      Partition(PrivacyMode::kDisabled, Nak("https://news.example", false));
  EXPECT_EQ(DescribeStrandedPreconnect(Facts("https://a.example", same, same)),
            "");
}

TEST(PreconnectDiagnosticsTest, IgnoredHintsSayWhy) {
  EXPECT_EQ(DescribeIgnoredHint("preconnect", net::ERR_UNKNOWN_DOCUMENT,
                                "https://cdn.example", "frame7", ""),
            "preconnect to \"https://cdn.example\" ignored: document "
            "\"frame7\" is unknown (never committed, or already ended)");
  EXPECT_EQ(DescribeIgnoredHint("preconnect", net::ERR_INVALID_URL, "", "main",
                                "empty URL"),
            "preconnect ignored: empty URL");
  EXPECT_EQ(DescribeIgnoredHint("dns-prefetch", net::ERR_INVALID_URL,
                                "https://bad host", "main",
                                "URL contains a space at offset 11"),
            "dns-prefetch to \"https://bad host\" ignored: not a valid URL "
            "(URL contains a space at offset 11)");
  EXPECT_EQ(DescribeIgnoredHint("preconnect", net::ERR_DISALLOWED_URL_SCHEME,
                                "data:text/plain,x", "main", ""),
            "preconnect to \"data:text/plain,x\" ignored: only http and https "
            "URLs can be preconnected");
}

}  // namespace
}  // namespace prewarm
