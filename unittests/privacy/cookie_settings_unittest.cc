#include "privacy/cookie_settings.h"

#include <optional>

#include "gtest/gtest.h"
#include "net/base/schemeful_site.h"
#include "net/base/url.h"

namespace prewarm {
namespace {

net::SchemefulSite Site(const char* spec) {
  return net::SchemefulSite(net::Url::Parse(spec));
}

// Requests from a first-party context on news.example.
class CookieSettingsTest : public ::testing::Test {
 protected:
  CookieDecision FirstParty(const char* url) const {
    return settings_.Decide(net::Url::Parse(url), Site("https://news.example"),
                            Site("https://news.example"));
  }
  // Requests from a frame without a first-party context (a cross-site frame).
  CookieDecision NoFirstPartyContext(const char* url) const {
    return settings_.Decide(net::Url::Parse(url), std::nullopt,
                            Site("https://news.example"));
  }

  CookieSettings settings_;
};

TEST_F(CookieSettingsTest, DefaultsAllowEverything) {
  EXPECT_FALSE(settings_.block_third_party_cookies());
  EXPECT_FALSE(settings_.block_all_cookies());
  EXPECT_TRUE(settings_.allow_partitioned_cookies());
  EXPECT_EQ(FirstParty("https://news.example/"), CookieDecision::kAllowed);
  EXPECT_EQ(FirstParty("https://cdn.adnetwork.example/"),
            CookieDecision::kAllowed);
  EXPECT_EQ(NoFirstPartyContext("https://news.example/"),
            CookieDecision::kAllowed);
}

TEST_F(CookieSettingsTest, BlockThirdPartyGivesPartitionedOnlyToThirdParties) {
  settings_.set_block_third_party_cookies(true);
  EXPECT_EQ(FirstParty("https://static.news.example/app.js"),
            CookieDecision::kAllowed);
  EXPECT_EQ(FirstParty("https://cdn.adnetwork.example/ad.js"),
            CookieDecision::kPartitionedOnly);
}

TEST_F(CookieSettingsTest, NullSiteForCookiesMakesEvenTheTopSiteThirdParty) {
  settings_.set_block_third_party_cookies(true);
  EXPECT_EQ(NoFirstPartyContext("https://news.example/api"),
            CookieDecision::kPartitionedOnly);
}

TEST_F(CookieSettingsTest, BlockThirdPartyWithoutPartitionedCookiesDisallows) {
  settings_.set_block_third_party_cookies(true);
  settings_.set_allow_partitioned_cookies(false);
  EXPECT_EQ(FirstParty("https://cdn.adnetwork.example/"),
            CookieDecision::kDisallowed);
  EXPECT_EQ(FirstParty("https://news.example/"), CookieDecision::kAllowed);
}

TEST_F(CookieSettingsTest, PartitionedCookiesOffAloneChangesNothing) {
  settings_.set_allow_partitioned_cookies(false);
  EXPECT_EQ(FirstParty("https://cdn.adnetwork.example/"),
            CookieDecision::kAllowed);
}

TEST_F(CookieSettingsTest, BlockAllDisallowsFirstPartyToo) {
  settings_.set_block_all_cookies(true);
  EXPECT_EQ(FirstParty("https://news.example/"), CookieDecision::kDisallowed);
  EXPECT_EQ(FirstParty("https://cdn.adnetwork.example/"),
            CookieDecision::kDisallowed);
}

TEST_F(CookieSettingsTest, BlockAllBeatsAllowException) {
  settings_.set_block_all_cookies(true);
  settings_.AddException(Site("https://news.example"),
                         CookieSettings::ExceptionKind::kAllow);
  EXPECT_EQ(FirstParty("https://news.example/"), CookieDecision::kDisallowed);
}

TEST_F(CookieSettingsTest, BlockExceptionDisallowsThatSiteEvenFirstParty) {
  settings_.AddException(Site("https://news.example"),
                         CookieSettings::ExceptionKind::kBlock);
  EXPECT_EQ(FirstParty("https://www.news.example/"),
            CookieDecision::kDisallowed);
  EXPECT_EQ(FirstParty("https://cdn.adnetwork.example/"),
            CookieDecision::kAllowed);
}

TEST_F(CookieSettingsTest, BlockExceptionBeatsAllowExceptionForTheSameSite) {
  settings_.set_block_third_party_cookies(true);
  settings_.AddException(Site("https://cdn.example"),
                         CookieSettings::ExceptionKind::kAllow);
  settings_.AddException(Site("https://cdn.example"),
                         CookieSettings::ExceptionKind::kBlock);
  EXPECT_EQ(FirstParty("https://cdn.example/"), CookieDecision::kDisallowed);
}

TEST_F(CookieSettingsTest, AllowExceptionLetsAThirdPartyThrough) {
  settings_.set_block_third_party_cookies(true);
  settings_.AddException(Site("https://login.example"),
                         CookieSettings::ExceptionKind::kAllow);
  EXPECT_EQ(FirstParty("https://sso.login.example/"), CookieDecision::kAllowed);
  EXPECT_EQ(FirstParty("https://cdn.adnetwork.example/"),
            CookieDecision::kPartitionedOnly);
}

TEST_F(CookieSettingsTest, ExceptionsAreSchemeful) {
  settings_.set_block_third_party_cookies(true);
  settings_.AddException(Site("https://login.example"),
                         CookieSettings::ExceptionKind::kAllow);
  EXPECT_EQ(FirstParty("http://login.example/"),
            CookieDecision::kPartitionedOnly);
}

TEST_F(CookieSettingsTest, TopLevelExceptionMatchesTheTopFrameSite) {
  settings_.set_block_third_party_cookies(true);
  settings_.AddException(
      Site("https://news.example"),
      CookieSettings::ExceptionKind::kAllowThirdPartyOnTopLevelSite);
  EXPECT_EQ(FirstParty("https://cdn.adnetwork.example/"),
            CookieDecision::kAllowed);
  // The same exception does not apply when the request's site is news.example
  // on another top-level site.
  EXPECT_EQ(settings_.Decide(net::Url::Parse("https://news.example/"),
                             Site("https://blog.example"),
                             Site("https://blog.example")),
            CookieDecision::kPartitionedOnly);
}

TEST_F(CookieSettingsTest, HttpPageTreatsHttpsSameHostAsThirdParty) {
  settings_.set_block_third_party_cookies(true);
  EXPECT_EQ(settings_.Decide(net::Url::Parse("https://news.example/"),
                             Site("http://news.example"),
                             Site("http://news.example")),
            CookieDecision::kPartitionedOnly);
}

TEST_F(CookieSettingsTest, PrivateRegistrySiblingsAreThirdParties) {
  settings_.set_block_third_party_cookies(true);
  EXPECT_EQ(settings_.Decide(net::Url::Parse("https://bob.github.io/"),
                             Site("https://alice.github.io"),
                             Site("https://alice.github.io")),
            CookieDecision::kPartitionedOnly);
  EXPECT_EQ(settings_.Decide(net::Url::Parse("https://www.alice.github.io/"),
                             Site("https://alice.github.io"),
                             Site("https://alice.github.io")),
            CookieDecision::kAllowed);
}

TEST(CookieDecisionTest, NamesAreStable) {
  EXPECT_STREQ(CookieDecisionToString(CookieDecision::kAllowed), "ALLOWED");
  EXPECT_STREQ(CookieDecisionToString(CookieDecision::kPartitionedOnly),
               "PARTITIONED_ONLY");
  EXPECT_STREQ(CookieDecisionToString(CookieDecision::kDisallowed),
               "DISALLOWED");
}

}  // namespace
}  // namespace prewarm
