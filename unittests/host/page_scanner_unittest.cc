#include "host/page_scanner.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "host/demo_site.h"
#include "host/font_face_scanner.h"
#include "host/markup_budget.h"

namespace prewarm {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const net::Url kPage = net::Url::Parse("https://news.example/a/article.html");

TEST(PageScannerTest, PreconnectAndDnsPrefetchHintsKeepTheirCrossorigin) {
  PageScan scan = PageScanner::Scan(
      R"(<link rel=preconnect href="https://fonts.example">
         <link rel="PreConnect" href="https://cdn.example" crossorigin>
         <link rel="preconnect" href="https://api.example" crossorigin="use-credentials">
         <link rel="dns-prefetch" href="//ads.example">)",
      kPage);
  ASSERT_EQ(scan.hints.size(), 4u);
  EXPECT_EQ(scan.hints[0].kind, PageHint::Kind::kPreconnect);
  EXPECT_EQ(scan.hints[0].url, "https://fonts.example");
  EXPECT_EQ(scan.hints[0].crossorigin, std::nullopt);
  EXPECT_EQ(scan.hints[1].url, "https://cdn.example");
  EXPECT_EQ(scan.hints[1].crossorigin, std::optional<std::string>(""));
  EXPECT_EQ(scan.hints[2].crossorigin,
            std::optional<std::string>("use-credentials"));
  EXPECT_EQ(scan.hints[3].kind, PageHint::Kind::kDnsPrefetch);
  // A scheme-relative href takes the page's scheme.
  EXPECT_EQ(scan.hints[3].url, "https://ads.example");
  EXPECT_THAT(scan.subresources, IsEmpty());
}

TEST(PageScannerTest, PreloadsKeepAsCrossoriginAndIntegrity) {
  PageScan scan = PageScanner::Scan(
      R"(<link rel=preload href="/api/data.json" as=fetch crossorigin>
         <link rel="Preload" href="https://fonts.example/a.woff2" as="font">
         <link rel=preload href="/app.js" as=script integrity="sha384-abc"
               crossorigin="use-credentials">
         <link rel=preload href="/nothing">
         <script src="/app.js" integrity="sha384-abc"></script>)",
      kPage);
  ASSERT_EQ(scan.preloads.size(), 4u);
  EXPECT_EQ(scan.preloads[0].url, "https://news.example/api/data.json");
  EXPECT_EQ(scan.preloads[0].as, "fetch");
  EXPECT_EQ(scan.preloads[0].crossorigin, std::optional<std::string>(""));
  EXPECT_EQ(scan.preloads[1].as, "font");
  EXPECT_EQ(scan.preloads[1].crossorigin, std::nullopt);
  EXPECT_EQ(scan.preloads[2].integrity, "sha384-abc");
  EXPECT_EQ(scan.preloads[2].crossorigin,
            std::optional<std::string>("use-credentials"));
  // No as: kept, for the service to ignore with a diagnostic.
  EXPECT_EQ(scan.preloads[3].as, "");
  ASSERT_EQ(scan.subresources.size(), 1u);
  EXPECT_EQ(scan.subresources[0].integrity, "sha384-abc");
  // A preload is not a subresource that delays the load event.
  EXPECT_THAT(scan.hints, IsEmpty());
}

TEST(PageScannerTest, SubresourcesGetTheModeAndCredentialsHtmlGivesThem) {
  PageScan scan = PageScanner::Scan(
      R"(<script src="/app.js"></script>
         <script src="https://cdn.example/lib.js" crossorigin="anonymous"></script>
         <script src="https://api.example/s.js" crossorigin="USE-CREDENTIALS"></script>
         <link rel="stylesheet preload" href="../css/site.css">
         <img src="img/hero.jpg" crossorigin="bogus">
         <iframe src="https://ads.example/slot"></iframe>
         <script>inline();</script>)",
      kPage);
  ASSERT_EQ(scan.subresources.size(), 6u);
  const Subresource& script = scan.subresources[0];
  EXPECT_EQ(script.kind, SubresourceKind::kScript);
  EXPECT_EQ(script.url, "https://news.example/app.js");
  EXPECT_EQ(script.mode, RequestMode::kNoCors);
  EXPECT_EQ(script.credentials, CredentialsMode::kInclude);

  EXPECT_EQ(scan.subresources[1].mode, RequestMode::kCors);
  EXPECT_EQ(scan.subresources[1].credentials, CredentialsMode::kSameOrigin);
  EXPECT_EQ(scan.subresources[2].mode, RequestMode::kCors);
  EXPECT_EQ(scan.subresources[2].credentials, CredentialsMode::kInclude);

  EXPECT_EQ(scan.subresources[3].kind, SubresourceKind::kStylesheet);
  EXPECT_EQ(scan.subresources[3].url, "https://news.example/css/site.css");
  EXPECT_EQ(scan.subresources[3].mode, RequestMode::kNoCors);

  // An invalid crossorigin value is the anonymous state.
  EXPECT_EQ(scan.subresources[4].kind, SubresourceKind::kImage);
  EXPECT_EQ(scan.subresources[4].url, "https://news.example/a/img/hero.jpg");
  EXPECT_EQ(scan.subresources[4].mode, RequestMode::kCors);
  EXPECT_EQ(scan.subresources[4].credentials, CredentialsMode::kSameOrigin);

  EXPECT_EQ(scan.subresources[5].kind, SubresourceKind::kIframe);
  EXPECT_EQ(scan.subresources[5].mode, RequestMode::kNavigate);
}

TEST(PageScannerTest, InlineFontFaceIsACorsSameOriginFontFetch) {
  PageScan scan = PageScanner::Scan(
      "<style>@font-face { src: url(fonts/a.woff2) }</style>", kPage);
  ASSERT_EQ(scan.subresources.size(), 1u);
  EXPECT_EQ(scan.subresources[0].kind, SubresourceKind::kFont);
  EXPECT_EQ(scan.subresources[0].url, "https://news.example/a/fonts/a.woff2");
  EXPECT_EQ(scan.subresources[0].mode, RequestMode::kCors);
  EXPECT_EQ(scan.subresources[0].credentials, CredentialsMode::kSameOrigin);
}

TEST(PageScannerTest, BaseHrefChangesWhereRelativeUrlsPoint) {
  PageScan scan = PageScanner::Scan(
      R"(<base href="https://static.news.example/v2/"><img src="x.png">)",
      kPage);
  ASSERT_EQ(scan.subresources.size(), 1u);
  EXPECT_EQ(scan.subresources[0].url, "https://static.news.example/v2/x.png");
}

TEST(PageScannerTest, MalformedHtmlIsRecoveredLikeABrowserWould) {
  // Unclosed elements, a stray end tag, attributes without quotes, a <link>
  // in the body, and markup inside a comment, which must not count.
  PageScan scan = PageScanner::Scan(
      "<html><head><title>x</title><body><p><b>bold <i>both</b> "
      "</div><img src=a.png alt=x><!-- <img src=hidden.png> -->"
      "<link rel=preconnect href=https://late.example><table><tr><td>"
      "<script src=t.js></td></table>",
      kPage);
  ASSERT_EQ(scan.subresources.size(), 2u);
  EXPECT_EQ(scan.subresources[0].url, "https://news.example/a/a.png");
  EXPECT_EQ(scan.subresources[1].url, "https://news.example/a/t.js");
  ASSERT_EQ(scan.hints.size(), 1u);
  EXPECT_EQ(scan.hints[0].url, "https://late.example");
}

TEST(PageScannerTest, UnusableUrlsAreKeptAsWrittenForTheServiceToReject) {
  PageScan scan = PageScanner::Scan(
      R"(<link rel=preconnect href="  https://exa mple.com  ">
         <link rel=preconnect href="wss://socket.example">
         <link rel=preconnect href="">
         <img src="https://bücher.example/x.png">)",
      kPage);
  ASSERT_EQ(scan.hints.size(), 3u);
  EXPECT_EQ(scan.hints[0].url, "https://exa mple.com");
  EXPECT_EQ(scan.hints[1].url, "wss://socket.example");
  // An empty href resolves to the document itself, as in a browser.
  EXPECT_EQ(scan.hints[2].url, "https://news.example/a/article.html");
  ASSERT_EQ(scan.subresources.size(), 1u);
  EXPECT_EQ(scan.subresources[0].url, "https://bücher.example/x.png");
}

TEST(PageScannerTest, UnclosedTitleSwallowsTheRestAsBrowsersDo) {
  // <title> is RCDATA: without </title> the rest of the file is its text.
  PageScan scan = PageScanner::Scan(
      "<title>x<img src=a.png><link rel=preconnect href=https://a.example>",
      kPage);
  EXPECT_THAT(scan.hints, IsEmpty());
  EXPECT_THAT(scan.subresources, IsEmpty());
}

TEST(PageScannerTest, BinaryGarbageIsJustAnEmptyDocument) {
  const std::string garbage("\0\xff\xfe<\x01link rel=\0", 13);
  PageScan scan = PageScanner::Scan(garbage, kPage);
  EXPECT_THAT(scan.hints, IsEmpty());
  EXPECT_THAT(scan.subresources, IsEmpty());
}

// The demo's article: what the demo relies on the page to contain.
TEST(PageScannerTest, DemoArticleHasItsHintsAndSubresources) {
  PageScan scan = PageScanner::Scan(DemoSite::ArticleHtml("Title", "hero.jpg"),
                                    net::Url::Parse(DemoSite::kArticleUrl));
  std::vector<std::string> hints;
  for (const PageHint& hint : scan.hints) {
    hints.push_back(absl::StrCat(
        hint.kind == PageHint::Kind::kPreconnect ? "preconnect " : "dns ",
        hint.url, hint.crossorigin ? " crossorigin" : ""));
  }
  EXPECT_THAT(
      hints,
      ElementsAre("preconnect https://fonts.googleapis.example",
                  "preconnect https://fonts.gstatic.example",
                  "preconnect https://cdn.news-static.example "
                  "crossorigin",
                  "preconnect https://consent.example crossorigin",
                  "preconnect https://analytics.example",
                  "preconnect https://ads.example", "dns https://ads.example"));
  // The demo's two preload mistakes: a font without crossorigin, and data
  // whose fetch() uses other options.
  std::vector<std::string> preloads;
  for (const PagePreload& preload : scan.preloads) {
    preloads.push_back(absl::StrCat(preload.as, " ", preload.url,
                                    preload.crossorigin ? " crossorigin" : ""));
  }
  EXPECT_THAT(
      preloads,
      ElementsAre("font https://news.example/static/fonts/news-sans.woff2",
                  "fetch https://news.example/api/headlines.json"));
  std::vector<std::string> subresources;
  for (const Subresource& subresource : scan.subresources) {
    subresources.push_back(absl::StrCat(
        SubresourceKindToString(subresource.kind), " ", subresource.url));
  }
  EXPECT_THAT(
      subresources,
      ElementsAre(
          "style https://fonts.googleapis.example/"
          "css2?family=Newsreader:wght@400;700&display=swap",
          "style https://news.example/static/article.css",
          "font https://news.example/static/fonts/news-sans.woff2",
          "font https://fonts.gstatic.example/s/newsicons/v7/icons.woff2",
          "script https://consent.example/cmp/v2/loader.js",
          "script https://cdn.news-static.example/js/app.3f9c1e.js",
          "image https://cdn.news-static.example/img/hero.jpg",
          "iframe https://ads.example/slot/top?site=news.example",
          "image https://analytics.example/collect?v=1&t=pageview"));
  EXPECT_EQ(FindFontFaceUrls(DemoSite::FontStylesheet()).size(), 2u);
}

// F3: 20,000 nested <div>s (100 KB) took 6.2 s and 3.2 GB: gumbo recorded every
// parse error with a copy of the open-element stack, and its tree building is
// quadratic in the depth. The scan stops at MarkupBudget's depth and says so;
// the hints before the cut are found.
TEST(PageScannerTest, DeeplyNestedPageIsScannedUpToTheDepthBound) {
  std::string html = R"(<link rel=preconnect href="https://early.example">)";
  for (int i = 0; i < 200000; ++i)
    html += "<div>";
  html += R"(<link rel=preconnect href="https://deep.example">)";
  PageScan scan = PageScanner::Scan(html, kPage);
  ASSERT_EQ(scan.hints.size(), 1u);
  EXPECT_EQ(scan.hints[0].url, "https://early.example");
  EXPECT_THAT(scan.cut_off,
              HasSubstr(absl::StrCat("nest more than ",
                                     MarkupBudget::kMaxNestingDepth, " deep")));
}

TEST(PageScannerTest, HugePageIsScannedUpToTheSizeBound) {
  std::string html = R"(<img src="first.png">)";
  html += std::string(MarkupBudget::kMaxPageBytes, ' ');
  html += R"(<img src="late.png">)";
  PageScan scan = PageScanner::Scan(html, kPage);
  ASSERT_EQ(scan.subresources.size(), 1u);
  EXPECT_EQ(scan.subresources[0].url, "https://news.example/a/first.png");
  EXPECT_THAT(scan.cut_off, HasSubstr("only the first"));
}

TEST(PageScannerTest, WholePageScanHasNoCutOff) {
  PageScan scan =
      PageScanner::Scan(DemoSite::ArticleHtml("Title", "hero.jpg"), kPage);
  EXPECT_THAT(scan.cut_off, IsEmpty());
}

}  // namespace
}  // namespace prewarm
