#include "host/markup_budget.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prewarm {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::string Repeat(std::string_view piece, size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (size_t i = 0; i < times; ++i)
    out += piece;
  return out;
}

TEST(MarkupBudgetTest, OrdinaryPageIsScannedWhole) {
  const std::string page =
      "<!doctype html><html><head><title>a <b> c</title>"
      "<script>if (a < b) document.write('<div><div>')</script></head>"
      "<body><ul><li>one<li>two</ul><p>x<p>y<img src=a.png><br/>"
      "<!-- <div><div><div> --><table><tr><td>1<td>2</table></body></html>";
  std::string cut_off;
  EXPECT_EQ(MarkupBudget::ScannableLength(page, &cut_off, /*max_depth=*/4),
            page.size());
  EXPECT_THAT(cut_off, IsEmpty());
}

TEST(MarkupBudgetTest, ElementsClosedAsTheyOpenNeverReachTheDepthBound) {
  const std::string page = Repeat("<div><span>x</span></div>", 10000);
  std::string cut_off;
  EXPECT_EQ(MarkupBudget::ScannableLength(page, &cut_off, 2), page.size());
  EXPECT_THAT(cut_off, IsEmpty());
}

TEST(MarkupBudgetTest, CutsBeforeTheFirstTagPastTheDepthBound) {
  const std::string page = Repeat("<div>", 5) + "<DIV class=x>" + "tail";
  std::string cut_off;
  EXPECT_EQ(MarkupBudget::ScannableLength(page, &cut_off, 5), 25u);
  EXPECT_THAT(cut_off, HasSubstr("nest more than 5 deep at byte 25"));
}

TEST(MarkupBudgetTest, VoidOmittableAndSelfClosingTagsDoNotNest) {
  const std::string page =
      Repeat("<li><p><td><option><br><img src=x><svg/>", 1000) + "<div>";
  std::string cut_off;
  EXPECT_EQ(MarkupBudget::ScannableLength(page, &cut_off, 1), page.size());
}

TEST(MarkupBudgetTest, CutsAPageOverTheSizeBound) {
  const std::string page(1000, 'x');
  std::string cut_off;
  EXPECT_EQ(MarkupBudget::ScannableLength(page, &cut_off, 512, 600), 600u);
  EXPECT_THAT(cut_off, HasSubstr("page is 1000 bytes; only the first 600"));
}

TEST(MarkupBudgetTest, UnterminatedTagsAndCommentsEndTheEstimate) {
  for (std::string page :
       {std::string("<div><div"), std::string("<div><!-- <div><div>"),
        std::string("<script><div><div>"), std::string("< <1 </ <>")}) {
    std::string cut_off;
    EXPECT_EQ(MarkupBudget::ScannableLength(page, &cut_off, 1), page.size())
        << page;
  }
}

}  // namespace
}  // namespace prewarm
