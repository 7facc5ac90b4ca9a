#include "host/font_face_scanner.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prewarm {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(FontFaceScannerTest, GoogleFontsStylesheetYieldsEachFaceUrl) {
  EXPECT_THAT(
      FindFontFaceUrls(R"css(
/* latin */
@font-face {
  font-family: 'Roboto';
  src: url(https://fonts.gstatic.example/s/roboto/v30/a.woff2) format('woff2');
}
@font-face {
  font-family: 'Roboto';
  font-weight: 700;
  src: url(https://fonts.gstatic.example/s/roboto/v30/b.woff2) format('woff2');
}
)css"),
      ElementsAre("https://fonts.gstatic.example/s/roboto/v30/a.woff2",
                  "https://fonts.gstatic.example/s/roboto/v30/b.woff2"));
}

TEST(FontFaceScannerTest, QuotedRelativeAndFallbackSourcesAreAllFound) {
  EXPECT_THAT(
      FindFontFaceUrls(
          "@FONT-FACE{font-family:x;SRC:local(X), url( \"/f/x.woff2\" ) "
          "format('woff2'), url('x;y.woff') format('woff')}"),
      ElementsAre("/f/x.woff2", "x;y.woff"));
}

TEST(FontFaceScannerTest, UrlsOutsideFontFaceAndInCommentsAreIgnored) {
  EXPECT_THAT(
      FindFontFaceUrls("body { background: url(/bg.png) }\n"
                       "/* @font-face { src: url(/commented.woff2) } */\n"
                       "@font-face { font-family: y; unicode-range: U+0-FF; }\n"
                       "@font-face { src: url(data:font/woff2;base64,AAAA) }"),
      IsEmpty());
}

TEST(FontFaceScannerTest, TruncatedCssYieldsWhatItCanWithoutCrashing) {
  EXPECT_THAT(FindFontFaceUrls("@font-face { src: url(/a.woff2), url(\"/b"),
              ElementsAre("/a.woff2"));
  EXPECT_THAT(FindFontFaceUrls("@font-face"), IsEmpty());
  EXPECT_THAT(FindFontFaceUrls("/* never closed @font-face { src: url(/c) }"),
              IsEmpty());
  EXPECT_THAT(FindFontFaceUrls(""), IsEmpty());
}

}  // namespace
}  // namespace prewarm
