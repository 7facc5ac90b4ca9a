#include "preload/preload_diagnostics.h"

#include "gtest/gtest.h"

namespace prewarm {
namespace {

TEST(PreloadDiagnosticsTest, SideBySideSentence) {
  EXPECT_EQ(
      "reused in Chrome and Firefox, downloaded twice in Safari",
      DescribeAcrossRuleSets({{PreloadRuleSet::kChrome, "reused"},
                              {PreloadRuleSet::kFirefox, "reused"},
                              {PreloadRuleSet::kSafari, "downloaded twice"}}));
  EXPECT_EQ(
      "reused by prewarm and in Firefox, downloaded twice by the spec and in "
      "Chrome and Safari",
      DescribeAcrossRuleSets({{PreloadRuleSet::kPrewarm, "reused"},
                              {PreloadRuleSet::kSpec, "downloaded twice"},
                              {PreloadRuleSet::kChrome, "downloaded twice"},
                              {PreloadRuleSet::kFirefox, "reused"},
                              {PreloadRuleSet::kSafari, "downloaded twice"}}));
}

TEST(PreloadDiagnosticsTest, CredentialsMismatchNamesFieldAndBothFixes) {
  PreloadKey preload;
  preload.url = net::Url::Parse("https://api.example/data");
  preload.as = "fetch";
  preload.crossorigin = CrossOriginAttribute::kAnonymous;
  preload.settings = FetchSettingsForCrossOrigin(preload.crossorigin);
  PreloadConsumer fetch;
  fetch.url = preload.url;
  fetch.settings = {RequestMode::kCors, CredentialsMode::kInclude};
  EXPECT_EQ(
      "the preload of https://api.example/data was made with "
      "crossorigin=anonymous (cors, same-origin) but fetch() asked for "
      "credentials 'include' (Chrome does not reuse it): use "
      "crossorigin=use-credentials on the preload, or credentials "
      "'same-origin' in fetch()",
      DescribePreloadMismatch(preload, fetch, PreloadMismatch::kCredentials,
                              PreloadRuleSet::kChrome, {}));
}

TEST(PreloadDiagnosticsTest, FontWithoutCrossOriginSaysAddCrossOrigin) {
  PreloadKey preload;
  preload.url = net::Url::Parse("https://fonts.example/a.woff2");
  preload.as = "font";
  preload.destination = "font";
  preload.settings = FetchSettingsForCrossOrigin(CrossOriginAttribute::kAbsent);
  PreloadConsumer font;
  font.url = preload.url;
  font.destination = "font";
  font.settings = {RequestMode::kCors, CredentialsMode::kSameOrigin};
  std::string text = DescribePreloadMismatch(
      preload, font, PreloadMismatch::kMode, PreloadRuleSet::kPrewarm, {});
  EXPECT_NE(std::string::npos,
            text.find("the font request asked for mode 'cors'"))
      << text;
  EXPECT_NE(std::string::npos,
            text.find("use crossorigin=anonymous on the preload"))
      << text;
}

TEST(PreloadDiagnosticsTest, DuplicateDownloadSaysWhatItCost) {
  PreloadKey preload;
  preload.url = net::Url::Parse("https://a.example/x");
  EXPECT_EQ(
      "https://a.example/x was downloaded twice: the request that did not "
      "reuse the preload cost 12.5 ms and one more response",
      DescribeDuplicateDownload(preload, 12.5));
}

TEST(PreloadDiagnosticsTest, UnusedAfterLoad) {
  PreloadKey preload;
  preload.url = net::Url::Parse("https://a.example/x");
  preload.as = "image";
  EXPECT_NE(std::string::npos,
            DescribeUnusedPreload(preload, true)
                .find("not used within 3 s after the load event"));
  EXPECT_NE(std::string::npos,
            DescribeUnusedPreload(preload, false).find("no request used it"));
}

}  // namespace
}  // namespace prewarm
