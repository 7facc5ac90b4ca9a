#include "host/document_parser.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace prewarm {
namespace {

std::vector<std::string> Describe(const std::vector<MarkupElement>& elements) {
  std::vector<std::string> out;
  for (const MarkupElement& element : elements) {
    std::string text;
    switch (element.tag) {
      case MarkupElement::Tag::kLink:
        text = "link " + element.Attribute("href").value_or("");
        break;
      case MarkupElement::Tag::kScript:
        text = "script " + element.Attribute("src").value_or(element.text);
        break;
      case MarkupElement::Tag::kImage:
        text = "img " + element.Attribute("src").value_or("");
        break;
      case MarkupElement::Tag::kIframe:
        text = "iframe " + element.Attribute("src").value_or("");
        break;
      case MarkupElement::Tag::kStyle:
        text = "style " + element.text;
        break;
      case MarkupElement::Tag::kOther:
        text = element.name + " #" + element.Attribute("id").value_or("");
        break;
    }
    out.push_back(text);
  }
  return out;
}

TEST(DocumentParserTest, ElementsComeInDocumentOrderEvenWhenTheTreeMovesThem) {
  DocumentParser parser;
  // The <img> after </body> and the <link> in the body both land elsewhere
  // in the tree; their order in the markup is what counts.
  std::vector<MarkupElement> elements = parser.AppendBytes(
      "<p><link rel=preconnect href=https://a.test><table><img src=t.png>"
      "</table></body><img src=late.png><script>x=1</script>");
  for (MarkupElement& element : parser.Finish())
    elements.push_back(element);
  EXPECT_EQ(Describe(elements),
            (std::vector<std::string>{"link https://a.test", "img t.png",
                                      "img late.png", "script x=1"}));
  EXPECT_EQ(elements[0].line, 1u);
}

TEST(DocumentParserTest, BytesAreParsedAsTheyArriveAndNothingTwice) {
  DocumentParser parser;
  EXPECT_EQ(Describe(parser.AppendBytes("<link rel=preconnect href=https://a."
                                        "test><img src=one.png><scr")),
            (std::vector<std::string>{"link https://a.test", "img one.png"}));
  // The script's end tag has not arrived: it waits, and so does the image
  // after it.
  EXPECT_TRUE(parser.AppendBytes("ipt>var a = 1;").empty());
  EXPECT_TRUE(parser.AppendBytes("</scr").empty());
  EXPECT_EQ(Describe(parser.AppendBytes("ipt><img src=two.png><ifr")),
            (std::vector<std::string>{"script var a = 1;", "img two.png"}));
  EXPECT_EQ(Describe(parser.AppendBytes("ame src=f.html></iframe>")),
            (std::vector<std::string>{"iframe f.html"}));
  EXPECT_TRUE(parser.Finish().empty());
  EXPECT_TRUE(parser.AppendBytes("<img src=after-the-end.png>").empty());
}

TEST(DocumentParserTest, AnUnterminatedScriptEndsWithTheDocument) {
  DocumentParser parser;
  EXPECT_TRUE(parser.AppendBytes("<script>while (true) {").empty());
  EXPECT_EQ(Describe(parser.Finish()),
            (std::vector<std::string>{"script while (true) {"}));
}

TEST(DocumentParserTest, FirstBaseHrefIsKept) {
  DocumentParser parser;
  parser.AppendBytes("<base href=/one/><base href=/two/><img src=a.png>");
  ASSERT_TRUE(parser.base_href());
  EXPECT_EQ(*parser.base_href(), "/one/");
}

TEST(DocumentParserTest, AttributesAndRelTokensAreReadLikeHtml) {
  DocumentParser parser;
  std::vector<MarkupElement> elements = parser.AppendBytes(
      "<LINK REL='Stylesheet  PreConnect' HREF=x CrossOrigin><p>");
  ASSERT_EQ(elements.size(), 1u);
  EXPECT_TRUE(elements[0].RelHas("preconnect"));
  EXPECT_TRUE(elements[0].RelHas("stylesheet"));
  EXPECT_FALSE(elements[0].RelHas("dns-prefetch"));
  EXPECT_EQ(elements[0].Attribute("crossorigin"), "");
  EXPECT_EQ(elements[0].Attribute("href"), "x");
  EXPECT_EQ(elements[0].Attribute("missing"), std::nullopt);
}

TEST(DocumentParserTest, InputBeyondTheCapIsNotParsed) {
  DocumentParser parser(/*max_bytes=*/1000);
  std::string big(990, ' ');
  parser.AppendBytes(big);
  EXPECT_FALSE(parser.truncated());
  std::vector<MarkupElement> elements =
      parser.AppendBytes("<img src=a.png><img src=cut-off.png>");
  for (MarkupElement& element : parser.Finish())
    elements.push_back(element);
  EXPECT_TRUE(parser.truncated());
  EXPECT_TRUE(elements.empty());
}

}  // namespace
}  // namespace prewarm
