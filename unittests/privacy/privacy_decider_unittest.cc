#include "privacy/privacy_decider.h"

#include "gtest/gtest.h"
#include "net/base/network_anonymization_key.h"
#include "net/base/privacy_mode.h"
#include "net/base/schemeful_site.h"
#include "net/base/url.h"
#include "privacy/credentials_mode.h"
#include "privacy/document_registry.h"

namespace prewarm {
namespace {

using net::PrivacyMode;

net::Url U(const char* spec) {
  net::Url url = net::Url::Parse(spec);
  EXPECT_TRUE(url.is_valid()) << spec;
  return url;
}

net::NetworkAnonymizationKey Nak(const char* top, bool cross_site) {
  return net::NetworkAnonymizationKey(net::SchemefulSite(U(top)), cross_site);
}

// news.example with a same-site frame, a cross-site ad frame, and a frame back
// on news.example inside the ad (a -> b -> a).
class PrivacyDeciderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        registry_.CommitMainFrame("main", U("https://news.example/")).ok());
    ASSERT_TRUE(
        registry_.CommitSubframe("ad", U("https://ads.example/"), "main").ok());
    ASSERT_TRUE(
        registry_.CommitSubframe("back", U("https://news.example/embed"), "ad")
            .ok());
  }

  const Document& Doc(const char* id) { return *registry_.Find(id); }

  // A subresource request with the credentials Fetch would use for `mode`.
  RequestContext Fetch(const char* document,
                       const char* url,
                       CredentialsMode mode) {
    const Document& d = Doc(document);
    net::Url target = U(url);
    bool credentials =
        CredentialsAllowed(mode, net::Origin::Create(target), d.origin());
    return RequestContext::Subresource(d, target, credentials);
  }

  DocumentRegistry registry_;
  CookieSettings settings_;
  PrivacyDecider decider_{&settings_};
};

TEST_F(PrivacyDeciderTest, CredentialedFirstPartySubresourceAllowsCookies) {
  RequestPartition p = decider_.PrivacyModeFor(Fetch(
      "main", "https://static.news.example/app.js", CredentialsMode::kInclude));
  EXPECT_EQ(p.privacy_mode, PrivacyMode::kDisabled);
  EXPECT_EQ(p.network_anonymization_key, Nak("https://news.example", false));
  EXPECT_TRUE(p.credentials_allowed);
  EXPECT_EQ(p.cookie_decision, CookieDecision::kAllowed);
}

TEST_F(PrivacyDeciderTest, CrossOriginCorsFontWithoutCredentialsOmitsCerts) {
  RequestPartition p = decider_.PrivacyModeFor(
      Fetch("main", "https://fonts.gstatic.example/roboto.woff2",
            CredentialsMode::kSameOrigin));
  EXPECT_EQ(p.privacy_mode, PrivacyMode::kEnabledWithoutClientCerts);
  EXPECT_FALSE(p.credentials_allowed);
  EXPECT_EQ(p.network_anonymization_key, Nak("https://news.example", false));
}

TEST_F(PrivacyDeciderTest, SameOriginCredentialsModeToOwnOriginSendsCookies) {
  RequestPartition p = decider_.PrivacyModeFor(
      Fetch("main", "https://news.example/api", CredentialsMode::kSameOrigin));
  EXPECT_EQ(p.privacy_mode, PrivacyMode::kDisabled);
}

TEST_F(PrivacyDeciderTest, OmitIsUncredentialedEvenToOwnOrigin) {
  RequestPartition p = decider_.PrivacyModeFor(
      Fetch("main", "https://news.example/api", CredentialsMode::kOmit));
  EXPECT_EQ(p.privacy_mode, PrivacyMode::kEnabledWithoutClientCerts);
}

TEST_F(PrivacyDeciderTest, ThirdPartyBlockedGivesPartitionedStatePool) {
  settings_.set_block_third_party_cookies(true);
  RequestPartition third = decider_.PrivacyModeFor(
      Fetch("main", "https://cdn.adnetwork.example/ad.js",
            CredentialsMode::kInclude));
  EXPECT_EQ(third.privacy_mode, PrivacyMode::kEnabledPartitionedStateAllowed);
  EXPECT_EQ(third.cookie_decision, CookieDecision::kPartitionedOnly);
  RequestPartition first = decider_.PrivacyModeFor(Fetch(
      "main", "https://static.news.example/app.js", CredentialsMode::kInclude));
  EXPECT_EQ(first.privacy_mode, PrivacyMode::kDisabled);
}

TEST_F(PrivacyDeciderTest,
       ThirdPartyBlockedWithoutPartitionedCookiesIsEnabled) {
  settings_.set_block_third_party_cookies(true);
  settings_.set_allow_partitioned_cookies(false);
  RequestPartition p = decider_.PrivacyModeFor(
      Fetch("main", "https://cdn.adnetwork.example/ad.js",
            CredentialsMode::kInclude));
  EXPECT_EQ(p.privacy_mode, PrivacyMode::kEnabled);
}

TEST_F(PrivacyDeciderTest, UncredentialedRequestIgnoresCookieDecisionForMode) {
  settings_.set_block_all_cookies(true);
  RequestPartition p = decider_.PrivacyModeFor(
      Fetch("main", "https://news.example/api", CredentialsMode::kOmit));
  EXPECT_EQ(p.privacy_mode, PrivacyMode::kEnabledWithoutClientCerts);
  // Still decided, for diagnostics.
  EXPECT_EQ(p.cookie_decision, CookieDecision::kDisallowed);
}

TEST_F(PrivacyDeciderTest, CrossSiteFrameSubresourceHasCrossSiteNak) {
  RequestPartition p = decider_.PrivacyModeFor(
      Fetch("ad", "https://ads.example/pixel.gif", CredentialsMode::kInclude));
  EXPECT_EQ(p.network_anonymization_key, Nak("https://news.example", true));
  EXPECT_EQ(p.privacy_mode, PrivacyMode::kDisabled);
}

TEST_F(PrivacyDeciderTest, FrameBackOnTopSiteIsSameSiteNakButThirdParty) {
  settings_.set_block_third_party_cookies(true);
  RequestPartition p = decider_.PrivacyModeFor(
      Fetch("back", "https://news.example/api", CredentialsMode::kInclude));
  EXPECT_EQ(p.network_anonymization_key, Nak("https://news.example", false));
  EXPECT_EQ(p.cookie_decision, CookieDecision::kPartitionedOnly);
  EXPECT_EQ(p.privacy_mode, PrivacyMode::kEnabledPartitionedStateAllowed);
}

TEST_F(PrivacyDeciderTest, MainFrameNavigationUsesTargetsOwnPartition) {
  settings_.set_block_third_party_cookies(true);
  RequestPartition p = decider_.PrivacyModeFor(
      RequestContext::MainFrameNavigation(U("https://shop.example/cart")));
  EXPECT_EQ(p.network_anonymization_key, Nak("https://shop.example", false));
  EXPECT_EQ(p.privacy_mode, PrivacyMode::kDisabled);
  EXPECT_TRUE(p.credentials_allowed);
}

TEST_F(PrivacyDeciderTest, MainFrameNavigationToBlockedSiteIsEnabled) {
  settings_.AddException(net::SchemefulSite(U("https://shop.example")),
                         CookieSettings::ExceptionKind::kBlock);
  RequestPartition p = decider_.PrivacyModeFor(
      RequestContext::MainFrameNavigation(U("https://shop.example/cart")));
  EXPECT_EQ(p.privacy_mode, PrivacyMode::kEnabled);
}

TEST_F(PrivacyDeciderTest, SubframeNavigationIsDecidedInTheParentsContext) {
  settings_.set_block_third_party_cookies(true);
  RequestPartition cross =
      decider_.PrivacyModeFor(RequestContext::SubframeNavigation(
          Doc("main"), U("https://video.example/")));
  EXPECT_EQ(cross.network_anonymization_key, Nak("https://news.example", true));
  EXPECT_EQ(cross.privacy_mode, PrivacyMode::kEnabledPartitionedStateAllowed);

  RequestPartition same =
      decider_.PrivacyModeFor(RequestContext::SubframeNavigation(
          Doc("main"), U("https://static.news.example/frame")));
  EXPECT_EQ(same.network_anonymization_key, Nak("https://news.example", false));
  EXPECT_EQ(same.privacy_mode, PrivacyMode::kDisabled);

  // Inside the cross-site ad there is no first-party context, even for a frame
  // back on the top site.
  RequestPartition nested =
      decider_.PrivacyModeFor(RequestContext::SubframeNavigation(
          Doc("ad"), U("https://news.example/frame")));
  EXPECT_EQ(nested.network_anonymization_key,
            Nak("https://news.example", false));
  EXPECT_EQ(nested.privacy_mode, PrivacyMode::kEnabledPartitionedStateAllowed);
}

TEST_F(PrivacyDeciderTest, PartitioningOffGivesEmptyNakButSameModes) {
  settings_.set_block_third_party_cookies(true);
  PrivacyDecider unpartitioned(&settings_, {.partition_connections = false});
  RequestPartition sub = unpartitioned.PrivacyModeFor(Fetch(
      "ad", "https://cdn.adnetwork.example/ad.js", CredentialsMode::kInclude));
  EXPECT_TRUE(sub.network_anonymization_key.IsEmpty());
  EXPECT_EQ(sub.privacy_mode, PrivacyMode::kEnabledPartitionedStateAllowed);
  RequestPartition nav = unpartitioned.PrivacyModeFor(
      RequestContext::MainFrameNavigation(U("https://shop.example/")));
  EXPECT_TRUE(nav.network_anonymization_key.IsEmpty());
  EXPECT_EQ(nav.privacy_mode, PrivacyMode::kDisabled);
}

TEST_F(PrivacyDeciderTest, UncredentialedModeIsConfigurable) {
  PrivacyDecider chromium_like(
      &settings_, {.uncredentialed_privacy_mode = PrivacyMode::kEnabled});
  RequestPartition p = chromium_like.PrivacyModeFor(Fetch(
      "main", "https://fonts.gstatic.example/f.woff2", CredentialsMode::kOmit));
  EXPECT_EQ(p.privacy_mode, PrivacyMode::kEnabled);
}

TEST_F(PrivacyDeciderTest, CookieSettingChangesApplyToTheNextRequest) {
  RequestContext ad = Fetch("main", "https://cdn.adnetwork.example/ad.js",
                            CredentialsMode::kInclude);
  EXPECT_EQ(decider_.PrivacyModeFor(ad).privacy_mode, PrivacyMode::kDisabled);
  settings_.set_block_third_party_cookies(true);
  EXPECT_EQ(decider_.PrivacyModeFor(ad).privacy_mode,
            PrivacyMode::kEnabledPartitionedStateAllowed);
}

TEST_F(PrivacyDeciderTest,
       HttpPageRequestToHttpsSameHostIsCrossSiteForCookies) {
  settings_.set_block_third_party_cookies(true);
  ASSERT_TRUE(
      registry_.CommitMainFrame("plain", U("http://news.example/")).ok());
  RequestPartition p = decider_.PrivacyModeFor(
      Fetch("plain", "https://news.example/api", CredentialsMode::kInclude));
  EXPECT_EQ(p.network_anonymization_key, Nak("http://news.example", false));
  EXPECT_EQ(p.privacy_mode, PrivacyMode::kEnabledPartitionedStateAllowed);
}

TEST_F(PrivacyDeciderTest, PrivateRegistrySiblingIsThirdParty) {
  settings_.set_block_third_party_cookies(true);
  ASSERT_TRUE(
      registry_.CommitMainFrame("alice", U("https://alice.github.io/")).ok());
  RequestPartition bob = decider_.PrivacyModeFor(Fetch(
      "alice", "https://bob.github.io/lib.js", CredentialsMode::kInclude));
  EXPECT_EQ(bob.privacy_mode, PrivacyMode::kEnabledPartitionedStateAllowed);
  EXPECT_EQ(bob.network_anonymization_key,
            Nak("https://alice.github.io", false));
  RequestPartition own = decider_.PrivacyModeFor(
      Fetch("alice", "https://cdn.alice.github.io/lib.js",
            CredentialsMode::kInclude));
  EXPECT_EQ(own.privacy_mode, PrivacyMode::kDisabled);
}

}  // namespace
}  // namespace prewarm
