#include "preload/preload_rules.h"

#include "gtest/gtest.h"

namespace prewarm {
namespace {

PreloadKey Preload(CrossOriginAttribute crossorigin,
                   bool same_origin,
                   std::string destination = "") {
  PreloadKey key;
  key.url = net::Url::Parse("https://api.example/data");
  key.as = destination.empty() ? "fetch" : destination;
  key.destination = destination;
  key.crossorigin = crossorigin;
  key.settings = FetchSettingsForCrossOrigin(crossorigin);
  key.same_origin = same_origin;
  return key;
}

PreloadConsumer Fetch(RequestMode mode,
                      CredentialsMode credentials,
                      bool same_origin) {
  PreloadConsumer consumer;
  consumer.url = net::Url::Parse("https://api.example/data");
  consumer.settings = {mode, credentials};
  consumer.same_origin = same_origin;
  return consumer;
}

PreloadVerdict Match(PreloadRuleSet rules,
                     const PreloadKey& preload,
                     const PreloadConsumer& consumer) {
  return PreloadRules::Create(rules)->Match(preload, consumer);
}

TEST(PreloadRulesTest, NamesRoundTrip) {
  for (PreloadRuleSet rules : kAllPreloadRuleSets) {
    EXPECT_EQ(rules, PreloadRuleSetFromString(PreloadRuleSetToString(rules)));
    EXPECT_EQ(rules, PreloadRules::Create(rules)->rule_set());
  }
  EXPECT_FALSE(PreloadRuleSetFromString("edge"));
  EXPECT_FALSE(PreloadRuleSetFromString(""));
}

TEST(PreloadRulesTest, AsMapsToDestination) {
  EXPECT_EQ("", PreloadDestinationForAs("fetch"));
  EXPECT_EQ("", PreloadDestinationForAs("FETCH"));
  EXPECT_EQ("font", PreloadDestinationForAs("Font"));
  EXPECT_EQ("track", PreloadDestinationForAs("track"));
  EXPECT_FALSE(PreloadDestinationForAs(""));
  EXPECT_FALSE(PreloadDestinationForAs("document"));
  EXPECT_FALSE(PreloadDestinationForAs("audio"));
  EXPECT_FALSE(PreloadDestinationForAs("fetch "));
}

TEST(PreloadRulesTest, CrossOriginGivesModeAndCredentials) {
  FetchSettings none =
      FetchSettingsForCrossOrigin(CrossOriginAttribute::kAbsent);
  EXPECT_EQ(RequestMode::kNoCors, none.mode);
  EXPECT_EQ(CredentialsMode::kInclude, none.credentials);
  FetchSettings anonymous =
      FetchSettingsForCrossOrigin(CrossOriginAttribute::kAnonymous);
  EXPECT_EQ(RequestMode::kCors, anonymous.mode);
  EXPECT_EQ(CredentialsMode::kSameOrigin, anonymous.credentials);
  FetchSettings credentials =
      FetchSettingsForCrossOrigin(CrossOriginAttribute::kUseCredentials);
  EXPECT_EQ(RequestMode::kCors, credentials.mode);
  EXPECT_EQ(CredentialsMode::kInclude, credentials.credentials);
}

TEST(PreloadRulesTest, AsMismatchNeverReuses) {
  PreloadKey script = Preload(CrossOriginAttribute::kAbsent, true, "script");
  PreloadConsumer fetch =
      Fetch(RequestMode::kNoCors, CredentialsMode::kInclude, true);
  for (PreloadRuleSet rules : kAllPreloadRuleSets) {
    PreloadVerdict verdict = Match(rules, script, fetch);
    EXPECT_EQ(PreloadVerdict::Kind::kMismatch, verdict.kind);
    EXPECT_EQ(PreloadMismatch::kDestination, verdict.field);
  }
}

TEST(PreloadRulesTest, IntegrityEqualOrAbsentReusesDifferentDoesNot) {
  PreloadKey preload = Preload(CrossOriginAttribute::kAbsent, true);
  preload.integrity = "sha256-abc";
  PreloadConsumer same =
      Fetch(RequestMode::kNoCors, CredentialsMode::kInclude, true);
  same.integrity = "sha256-abc";
  PreloadConsumer none = same;
  none.integrity = "";
  PreloadConsumer other = same;
  other.integrity = "sha256-xyz";
  for (PreloadRuleSet rules :
       {PreloadRuleSet::kPrewarm, PreloadRuleSet::kSpec,
        PreloadRuleSet::kChrome, PreloadRuleSet::kSafari}) {
    SCOPED_TRACE(PreloadRuleSetToString(rules));
    EXPECT_EQ(PreloadVerdict::Kind::kReuse, Match(rules, preload, same).kind);
    EXPECT_EQ(PreloadVerdict::Kind::kReuse, Match(rules, preload, none).kind);
    EXPECT_EQ(PreloadMismatch::kIntegrity, Match(rules, preload, other).field);
  }
  // Firefox's fetch() does not look up preloads when it has integrity.
  EXPECT_EQ(PreloadMismatch::kIntegrity,
            Match(PreloadRuleSet::kFirefox, preload, same).field);
  EXPECT_EQ(PreloadVerdict::Kind::kReuse,
            Match(PreloadRuleSet::kFirefox, preload, none).kind);
}

TEST(PreloadRulesTest, AuthorHeadersPerRuleSet) {
  PreloadKey preload = Preload(CrossOriginAttribute::kAbsent, true);
  PreloadConsumer fetch =
      Fetch(RequestMode::kNoCors, CredentialsMode::kInclude, true);
  fetch.headers = {{"X-Custom-Header", "1"}};
  EXPECT_EQ(PreloadMismatch::kHeaders,
            Match(PreloadRuleSet::kSpec, preload, fetch).field);
  EXPECT_EQ(PreloadMismatch::kHeaders,
            Match(PreloadRuleSet::kSafari, preload, fetch).field);
  EXPECT_EQ(PreloadVerdict::Kind::kReuse,
            Match(PreloadRuleSet::kChrome, preload, fetch).kind);
  PreloadVerdict firefox = Match(PreloadRuleSet::kFirefox, preload, fetch);
  EXPECT_EQ(PreloadVerdict::Kind::kReuseIfCacheable, firefox.kind);
  EXPECT_TRUE(firefox.decide_after_body);
  PreloadVerdict prewarm = Match(PreloadRuleSet::kPrewarm, preload, fetch);
  EXPECT_EQ(PreloadVerdict::Kind::kReuseIfCacheable, prewarm.kind);
  EXPECT_FALSE(prewarm.decide_after_body);
}

TEST(PreloadRulesTest, PrewarmComparesCredentialsByEffect) {
  // Cross-origin anonymous preload and fetch(url, {credentials: 'omit'}):
  // neither sends cookies.
  EXPECT_EQ(PreloadVerdict::Kind::kReuse,
            Match(PreloadRuleSet::kPrewarm,
                  Preload(CrossOriginAttribute::kAnonymous, false),
                  Fetch(RequestMode::kCors, CredentialsMode::kOmit, false))
                .kind);
  // Same-origin: the same pair differs (the preload sends cookies).
  EXPECT_EQ(PreloadMismatch::kCredentials,
            Match(PreloadRuleSet::kPrewarm,
                  Preload(CrossOriginAttribute::kAnonymous, true),
                  Fetch(RequestMode::kCors, CredentialsMode::kOmit, true))
                .field);
  // The spec compares literally.
  EXPECT_EQ(PreloadMismatch::kCredentials,
            Match(PreloadRuleSet::kSpec,
                  Preload(CrossOriginAttribute::kAnonymous, false),
                  Fetch(RequestMode::kCors, CredentialsMode::kOmit, false))
                .field);
}

}  // namespace
}  // namespace prewarm
