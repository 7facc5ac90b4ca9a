#include "preconnect/preconnect_decision.h"

#include <memory>
#include <utility>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/base/network_anonymization_key.h"
#include "net/base/privacy_mode.h"
#include "net/base/schemeful_site.h"
#include "privacy/credentials_mode.h"
#include "privacy/document_registry.h"

namespace prewarm {
namespace {

using net::PrivacyMode;
using ::testing::HasSubstr;

net::Url U(const char* spec) {
  net::Url url = net::Url::Parse(spec);
  EXPECT_TRUE(url.is_valid()) << spec;
  return url;
}

net::NetworkAnonymizationKey Nak(const char* top, bool cross_site) {
  return net::NetworkAnonymizationKey(net::SchemefulSite(U(top)), cross_site);
}

// The group-key fields a preconnect and a request must share, besides the
// origin.
struct Key {
  PrivacyMode privacy_mode;
  net::NetworkAnonymizationKey nak;
  friend bool operator==(const Key&, const Key&) = default;
};

void PrintTo(const Key& key, std::ostream* os) {
  *os << net::PrivacyModeToString(key.privacy_mode) << " "
      << key.nak.ToDebugString();
}

Key KeyOf(const RequestPartition& partition) {
  return {partition.privacy_mode, partition.network_anonymization_key};
}

PreconnectRequest Hint(
    const char* document,
    const char* url,
    CrossOriginAttribute crossorigin = CrossOriginAttribute::kAbsent,
    PreconnectPurpose purpose = PreconnectPurpose::kUnknown) {
  PreconnectRequest request;
  request.document_id = document;
  request.url = url;
  request.crossorigin = crossorigin;
  request.purpose = purpose;
  return request;
}

// One page under one policy: the registry, the cookie settings, and the
// decider real requests and preconnects share.
class PreconnectDecisionTest
    : public ::testing::TestWithParam<PreconnectPolicy> {
 protected:
  PreconnectPolicy policy() const { return GetParam(); }

  void MakeDecider(bool partition_connections = true) {
    decider_ = std::make_unique<PrivacyDecider>(
        &settings_, PrivacyOptionsFor(policy(), partition_connections));
  }

  void SetUp() override { MakeDecider(); }

  void Commit(const char* id, const char* url) {
    ASSERT_TRUE(registry_.CommitMainFrame(id, U(url)).ok());
  }

  PreconnectTarget Decide(const PreconnectRequest& request) {
    return DecidePreconnectGroup(policy(), request,
                                 registry_.Find(request.document_id), *decider_,
                                 &learned_, now_);
  }

  Key PreconnectKey(const PreconnectRequest& request) {
    PreconnectTarget target = Decide(request);
    EXPECT_FALSE(target.ignored()) << target.diagnostic;
    return KeyOf(target.partition);
  }

  // The key of a real subresource request, as the replay computes it.
  Key FetchKey(const char* document, const char* url, CredentialsMode mode) {
    const Document& d = *registry_.Find(document);
    net::Url target = U(url);
    bool credentials =
        CredentialsAllowed(mode, net::Origin::Create(target), d.origin());
    return KeyOf(decider_->PrivacyModeFor(
        RequestContext::Subresource(d, target, credentials)));
  }

  Key NavigationKey(const char* url) {
    return KeyOf(
        decider_->PrivacyModeFor(RequestContext::MainFrameNavigation(U(url))));
  }

  bool Is(PreconnectPolicy a) const { return policy() == a; }
  bool Is(PreconnectPolicy a, PreconnectPolicy b) const {
    return policy() == a || policy() == b;
  }

  DocumentRegistry registry_;
  CookieSettings settings_;
  std::unique_ptr<PrivacyDecider> decider_;
  LearnedPreconnectCorrections learned_;
  absl::Time now_ = absl::UnixEpoch() + absl::Hours(1);
};

INSTANTIATE_TEST_SUITE_P(AllPolicies,
                         PreconnectDecisionTest,
                         ::testing::ValuesIn(kAllPreconnectPolicies),
                         [](const auto& info) {
                           std::string name =
                               PreconnectPolicyToString(info.param);
                           return name == "single-pool" ? "SinglePool" : name;
                         });

// Purpose SUBFRAME_NAVIGATION (section 4): the key of a navigation of a
// subframe of the hinting document. chromium treats it as unknown (the
// frame's subresource NAK); seed ignores every explicit purpose.
TEST_P(PreconnectDecisionTest,
       SubframeNavigationPurposeKeysTheFrameNavigation) {
  Commit("main", "https://news.example/article");
  PreconnectTarget target =
      Decide(Hint("main", "https://ads.example", CrossOriginAttribute::kAbsent,
                  PreconnectPurpose::kSubframeNavigation));
  ASSERT_FALSE(target.ignored()) << target.diagnostic;
  Key frame = KeyOf(decider_->PrivacyModeFor(RequestContext::SubframeNavigation(
      *registry_.Find("main"), U("https://ads.example/slot"))));
  EXPECT_TRUE(frame.nak.is_cross_site());
  if (Is(PreconnectPolicy::kPrewarm)) {
    EXPECT_EQ(PreconnectPurpose::kSubframeNavigation, target.purpose);
    EXPECT_EQ(PurposeSource::kExplicit, target.purpose_source);
    EXPECT_EQ(frame, KeyOf(target.partition));
  } else if (Is(PreconnectPolicy::kChromium)) {
    EXPECT_EQ(PreconnectPurpose::kSubresource, target.purpose);
    EXPECT_EQ(PurposeSource::kPolicy, target.purpose_source);
    EXPECT_FALSE(target.partition.network_anonymization_key.is_cross_site());
  } else if (Is(PreconnectPolicy::kSeed)) {
    EXPECT_EQ(PurposeSource::kLoadPhase, target.purpose_source);
    EXPECT_FALSE(target.partition.network_anonymization_key.is_cross_site());
  } else {
    EXPECT_NE(frame, KeyOf(target.partition));
  }
}

// fonts-crossorigin.textproto.
TEST_P(PreconnectDecisionTest, AnonymousFontPreconnectMatchesCorsFontRequest) {
  Commit("main", "https://news.example/article");
  Key preconnect = PreconnectKey(Hint("main", "https://fonts.gstatic.example",
                                      CrossOriginAttribute::kAnonymous));
  Key font = FetchKey("main", "https://fonts.gstatic.example/roboto.woff2",
                      CredentialsMode::kSameOrigin);
  if (Is(PreconnectPolicy::kSinglePool)) {
    EXPECT_NE(preconnect, font);
    EXPECT_EQ(preconnect.privacy_mode, PrivacyMode::kDisabled);
  } else {
    EXPECT_EQ(preconnect, font);
  }
}

TEST_P(PreconnectDecisionTest, PlainPreconnectMatchesCredentialedStylesheet) {
  Commit("main", "https://news.example/article");
  EXPECT_EQ(PreconnectKey(Hint("main", "https://fonts.googleapis.example")),
            FetchKey("main", "https://fonts.googleapis.example/css",
                     CredentialsMode::kInclude));
}

// navigation-after-onload.textproto.
TEST_P(PreconnectDecisionTest, PreconnectAfterOnloadServesTheNextNavigation) {
  Commit("post", "https://blog.example/post");
  registry_.OnLoadEvent("post");
  Key preconnect = PreconnectKey(Hint("post", "https://shop.example"));
  Key navigation = NavigationKey("https://shop.example/cart");
  if (Is(PreconnectPolicy::kPrewarm, PreconnectPolicy::kSeed)) {
    EXPECT_EQ(preconnect, navigation);
  } else {
    EXPECT_NE(preconnect, navigation);
    EXPECT_EQ(preconnect.nak, Nak("https://blog.example", false));
  }
}

// navigation-before-onload.textproto.
TEST_P(PreconnectDecisionTest, OnlyExplicitPurposeFixesNavigationBeforeOnload) {
  Commit("results", "https://search.example/q?x=1");
  Key guessed = PreconnectKey(Hint("results", "https://result.example"));
  Key explicit_navigation = PreconnectKey(
      Hint("results", "https://result.example", CrossOriginAttribute::kAbsent,
           PreconnectPurpose::kNavigation));
  Key navigation = NavigationKey("https://result.example/page");
  EXPECT_NE(guessed, navigation);
  if (Is(PreconnectPolicy::kPrewarm, PreconnectPolicy::kChromium)) {
    EXPECT_EQ(explicit_navigation, navigation);
  } else {
    // Both land in the search page's group.
    EXPECT_EQ(explicit_navigation, guessed);
  }
}

// third-party-cookies-blocked.textproto.
TEST_P(PreconnectDecisionTest, ThirdPartyPreconnectFollowsCookieSettings) {
  settings_.set_block_third_party_cookies(true);
  Commit("main", "https://news.example/");
  Key cdn = PreconnectKey(Hint("main", "https://cdn.adnetwork.example"));
  Key ad = FetchKey("main", "https://cdn.adnetwork.example/ad.js",
                    CredentialsMode::kInclude);
  EXPECT_EQ(ad.privacy_mode, PrivacyMode::kEnabledPartitionedStateAllowed);
  if (Is(PreconnectPolicy::kPrewarm, PreconnectPolicy::kSeed)) {
    EXPECT_EQ(cdn, ad);
  } else {
    EXPECT_EQ(cdn.privacy_mode, PrivacyMode::kDisabled);
  }
  EXPECT_EQ(PreconnectKey(Hint("main", "https://static.news.example")),
            FetchKey("main", "https://static.news.example/app.js",
                     CredentialsMode::kInclude));
}

TEST_P(PreconnectDecisionTest, UnknownDocumentIsIgnoredWithItsId) {
  PreconnectTarget target = Decide(Hint("gone", "https://cdn.example"));
  EXPECT_TRUE(target.ignored());
  EXPECT_EQ(target.error, net::ERR_UNKNOWN_DOCUMENT);
  EXPECT_THAT(target.diagnostic, HasSubstr("document \"gone\" is unknown"));
}

TEST_P(PreconnectDecisionTest, BadUrlsAreIgnoredWithTheReason) {
  Commit("main", "https://news.example/");
  PreconnectTarget empty = Decide(Hint("main", ""));
  EXPECT_EQ(empty.error, net::ERR_INVALID_URL);
  EXPECT_THAT(empty.diagnostic, HasSubstr("empty URL"));

  PreconnectTarget invalid = Decide(Hint("main", "https://bad host/"));
  EXPECT_EQ(invalid.error, net::ERR_INVALID_URL);
  EXPECT_THAT(invalid.diagnostic, HasSubstr("not a valid URL"));

  for (const char* url : {"data:text/plain,hi", "ftp://files.example/",
                          "wss://chat.example/", "javascript:alert(1)"}) {
    PreconnectTarget scheme = Decide(Hint("main", url));
    EXPECT_EQ(scheme.error, net::ERR_DISALLOWED_URL_SCHEME) << url;
    EXPECT_THAT(scheme.diagnostic,
                HasSubstr("only http and https URLs can be preconnected"))
        << url;
  }
}

TEST_P(PreconnectDecisionTest, NumSocketsZeroMeansOne) {
  Commit("main", "https://news.example/");
  PreconnectRequest request = Hint("main", "https://cdn.example");
  request.num_sockets = 0;
  EXPECT_EQ(Decide(request).num_sockets, 1u);
  request.num_sockets = 4;
  EXPECT_EQ(Decide(request).num_sockets, 4u);
}

TEST_P(PreconnectDecisionTest, TargetCarriesTheCanonicalUrl) {
  Commit("main", "https://news.example/");
  PreconnectTarget target = Decide(Hint("main", "HTTPS://CDN.Example:443"));
  ASSERT_FALSE(target.ignored());
  EXPECT_EQ(target.url.scheme(), "https");
  EXPECT_EQ(target.url.host(), "cdn.example");
  EXPECT_EQ(target.url.port(), 443);
}

TEST_P(PreconnectDecisionTest, PartitioningOffGivesEmptyNakEverywhere) {
  MakeDecider(/*partition_connections=*/false);
  Commit("main", "https://news.example/");
  registry_.OnLoadEvent("main");
  EXPECT_TRUE(
      PreconnectKey(Hint("main", "https://shop.example")).nak.IsEmpty());
  EXPECT_TRUE(PreconnectKey(Hint("main", "https://cdn.example",
                                 CrossOriginAttribute::kAnonymous,
                                 PreconnectPurpose::kSubresource))
                  .nak.IsEmpty());
}

TEST_P(PreconnectDecisionTest, CrossSiteFramePreconnectUsesTheFramesNak) {
  Commit("main", "https://news.example/");
  ASSERT_TRUE(
      registry_.CommitSubframe("ad", U("https://ads.example/"), "main").ok());
  Key preconnect = PreconnectKey(Hint("ad", "https://cdn.ads.example"));
  EXPECT_EQ(preconnect.nak, Nak("https://news.example", true));
  if (!Is(PreconnectPolicy::kSinglePool, PreconnectPolicy::kChromium)) {
    EXPECT_EQ(preconnect, FetchKey("ad", "https://cdn.ads.example/x.js",
                                   CredentialsMode::kInclude));
  }
}

// Policy-specific rules.

class PrewarmDecisionTest : public PreconnectDecisionTest {};
INSTANTIATE_TEST_SUITE_P(Prewarm,
                         PrewarmDecisionTest,
                         ::testing::Values(PreconnectPolicy::kPrewarm));

TEST_P(PrewarmDecisionTest, AnonymousSameOriginPreconnectKeepsCredentials) {
  Commit("main", "https://news.example/");
  PreconnectTarget target = Decide(Hint("main", "https://news.example/api",
                                        CrossOriginAttribute::kAnonymous));
  EXPECT_TRUE(target.partition.credentials_allowed);
  EXPECT_EQ(target.partition.privacy_mode, PrivacyMode::kDisabled);
  EXPECT_EQ(KeyOf(target.partition),
            FetchKey("main", "https://news.example/data.json",
                     CredentialsMode::kSameOrigin));
}

TEST_P(PrewarmDecisionTest, CrossoriginAttributeMeansSubresourceAfterLoad) {
  Commit("main", "https://news.example/");
  registry_.OnLoadEvent("main");
  PreconnectTarget target = Decide(Hint("main", "https://api.example",
                                        CrossOriginAttribute::kUseCredentials));
  EXPECT_EQ(target.purpose, PreconnectPurpose::kSubresource);
  EXPECT_EQ(target.purpose_source, PurposeSource::kCrossOriginAttribute);
  EXPECT_EQ(KeyOf(target.partition), FetchKey("main", "https://api.example/v1",
                                              CredentialsMode::kInclude));
}

TEST_P(PrewarmDecisionTest, LoadPhaseGuessIsReportedAsSuch) {
  Commit("main", "https://news.example/");
  PreconnectTarget loading = Decide(Hint("main", "https://cdn.example"));
  EXPECT_EQ(loading.purpose, PreconnectPurpose::kSubresource);
  EXPECT_EQ(loading.purpose_source, PurposeSource::kLoadPhase);
  registry_.OnLoadEvent("main");
  PreconnectTarget loaded = Decide(Hint("main", "https://cdn.example"));
  EXPECT_EQ(loaded.purpose, PreconnectPurpose::kNavigation);
  EXPECT_EQ(loaded.purpose_source, PurposeSource::kLoadPhase);
}

TEST_P(PrewarmDecisionTest, ExplicitSubresourceAfterLoadStaysSubresource) {
  Commit("main", "https://news.example/");
  registry_.OnLoadEvent("main");
  PreconnectTarget target =
      Decide(Hint("main", "https://cdn.example", CrossOriginAttribute::kAbsent,
                  PreconnectPurpose::kSubresource));
  EXPECT_EQ(target.purpose_source, PurposeSource::kExplicit);
  EXPECT_EQ(KeyOf(target.partition),
            FetchKey("main", "https://cdn.example/lazy.js",
                     CredentialsMode::kInclude));
}

TEST_P(PrewarmDecisionTest, ExplicitNavigationIgnoresCrossorigin) {
  Commit("main", "https://news.example/");
  PreconnectTarget target = Decide(Hint("main", "https://shop.example",
                                        CrossOriginAttribute::kAnonymous,
                                        PreconnectPurpose::kNavigation));
  EXPECT_TRUE(target.partition.credentials_allowed);
  EXPECT_EQ(KeyOf(target.partition), NavigationKey("https://shop.example/"));
}

TEST_P(PrewarmDecisionTest, SecondVisitLearnsTheNavigationTheGuessMissed) {
  Commit("results", "https://search.example/q");
  PreconnectRequest hint = Hint("results", "https://result.example");
  EXPECT_NE(PreconnectKey(hint), NavigationKey("https://result.example/page"));
  // The navigation that left the page is what real requests did.
  learned_.RecordRequest(
      registry_.Find("results")->top_frame_site(),
      net::Origin::Create(U("https://result.example/page")),
      PreconnectPurpose::kNavigation,
      decider_->PrivacyModeFor(RequestContext::MainFrameNavigation(
          U("https://result.example/page"))),
      now_);
  learned_.EndPageView(now_);

  Commit("results2", "https://search.example/q?again");
  PreconnectTarget second = Decide(Hint("results2", "https://result.example"));
  EXPECT_EQ(second.purpose_source, PurposeSource::kLearned);
  EXPECT_EQ(second.purpose, PreconnectPurpose::kNavigation);
  EXPECT_EQ(KeyOf(second.partition),
            NavigationKey("https://result.example/page"));
}

TEST_P(PrewarmDecisionTest, ExplicitPurposeBeatsLearnedCorrection) {
  Commit("results", "https://search.example/q");
  learned_.RecordRequest(
      registry_.Find("results")->top_frame_site(),
      net::Origin::Create(U("https://result.example")),
      PreconnectPurpose::kNavigation,
      decider_->PrivacyModeFor(
          RequestContext::MainFrameNavigation(U("https://result.example/"))),
      now_);
  learned_.EndPageView(now_);
  PreconnectTarget target = Decide(Hint("results", "https://result.example",
                                        CrossOriginAttribute::kAbsent,
                                        PreconnectPurpose::kSubresource));
  EXPECT_EQ(target.purpose_source, PurposeSource::kExplicit);
  EXPECT_EQ(target.partition.network_anonymization_key,
            Nak("https://search.example", false));
}

TEST_P(PrewarmDecisionTest, LearnedCorrectionOverridesAWrongCrossorigin) {
  Commit("main", "https://news.example/");
  // The page's fonts come credentialed, whatever the markup says.
  Key credentialed = FetchKey("main", "https://fonts.example/f.woff2",
                              CredentialsMode::kInclude);
  learned_.RecordRequest(registry_.Find("main")->top_frame_site(),
                         net::Origin::Create(U("https://fonts.example")),
                         PreconnectPurpose::kSubresource,
                         {credentialed.privacy_mode, credentialed.nak, true,
                          CookieDecision::kAllowed},
                         now_);
  learned_.EndPageView(now_);
  PreconnectTarget target = Decide(
      Hint("main", "https://fonts.example", CrossOriginAttribute::kAnonymous));
  EXPECT_EQ(target.purpose_source, PurposeSource::kLearned);
  EXPECT_EQ(KeyOf(target.partition), credentialed);
}

class SeedDecisionTest : public PreconnectDecisionTest {};
INSTANTIATE_TEST_SUITE_P(Seed,
                         SeedDecisionTest,
                         ::testing::Values(PreconnectPolicy::kSeed));

TEST_P(SeedDecisionTest, IgnoresExplicitPurposeAndCrossoriginSignal) {
  Commit("main", "https://news.example/");
  registry_.OnLoadEvent("main");
  PreconnectTarget target = Decide(Hint("main", "https://api.example",
                                        CrossOriginAttribute::kAnonymous,
                                        PreconnectPurpose::kSubresource));
  EXPECT_EQ(target.purpose, PreconnectPurpose::kNavigation);
  EXPECT_EQ(target.purpose_source, PurposeSource::kLoadPhase);
  EXPECT_EQ(KeyOf(target.partition), NavigationKey("https://api.example/"));
}

TEST_P(SeedDecisionTest, NeverLearns) {
  Commit("results", "https://search.example/q");
  learned_.RecordRequest(
      registry_.Find("results")->top_frame_site(),
      net::Origin::Create(U("https://result.example")),
      PreconnectPurpose::kNavigation,
      decider_->PrivacyModeFor(
          RequestContext::MainFrameNavigation(U("https://result.example/"))),
      now_);
  learned_.EndPageView(now_);
  PreconnectTarget target = Decide(Hint("results", "https://result.example"));
  EXPECT_EQ(target.purpose_source, PurposeSource::kLoadPhase);
  EXPECT_EQ(target.partition.network_anonymization_key,
            Nak("https://search.example", false));
}

class ChromiumDecisionTest : public PreconnectDecisionTest {};
INSTANTIATE_TEST_SUITE_P(Chromium,
                         ChromiumDecisionTest,
                         ::testing::Values(PreconnectPolicy::kChromium));

TEST_P(ChromiumDecisionTest, AnonymousDropsCredentialsEvenSameOrigin) {
  Commit("main", "https://news.example/");
  PreconnectTarget target = Decide(
      Hint("main", "https://news.example", CrossOriginAttribute::kAnonymous));
  EXPECT_FALSE(target.partition.credentials_allowed);
  EXPECT_EQ(target.partition.privacy_mode, PrivacyMode::kEnabled);
  EXPECT_NE(KeyOf(target.partition),
            FetchKey("main", "https://news.example/data.json",
                     CredentialsMode::kSameOrigin));
}

TEST_P(ChromiumDecisionTest, RequestsWithoutCredentialsMapToEnabled) {
  Commit("main", "https://news.example/");
  EXPECT_EQ(FetchKey("main", "https://cdn.example/x", CredentialsMode::kOmit)
                .privacy_mode,
            PrivacyMode::kEnabled);
}

TEST_P(ChromiumDecisionTest, NoLoadPhaseAfterOnloadStillSubresourceNak) {
  Commit("main", "https://news.example/");
  registry_.OnLoadEvent("main");
  PreconnectTarget target = Decide(Hint("main", "https://shop.example"));
  EXPECT_EQ(target.purpose, PreconnectPurpose::kSubresource);
  EXPECT_EQ(target.purpose_source, PurposeSource::kPolicy);
  EXPECT_EQ(target.partition.network_anonymization_key,
            Nak("https://news.example", false));
}

class SinglePoolDecisionTest : public PreconnectDecisionTest {};
INSTANTIATE_TEST_SUITE_P(SinglePool,
                         SinglePoolDecisionTest,
                         ::testing::Values(PreconnectPolicy::kSinglePool));

TEST_P(SinglePoolDecisionTest, EverythingIsDisabledInTheDocumentsPartition) {
  settings_.set_block_all_cookies(true);
  Commit("main", "https://news.example/");
  PreconnectTarget target = Decide(Hint("main", "https://shop.example",
                                        CrossOriginAttribute::kAnonymous,
                                        PreconnectPurpose::kNavigation));
  EXPECT_EQ(target.partition.privacy_mode, PrivacyMode::kDisabled);
  EXPECT_EQ(target.partition.network_anonymization_key,
            Nak("https://news.example", false));
  EXPECT_EQ(target.purpose_source, PurposeSource::kPolicy);
}

}  // namespace
}  // namespace prewarm
