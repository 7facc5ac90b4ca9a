#include "net/base/whatwg_url_steps.h"

#include <string>

#include "gtest/gtest.h"

namespace net::whatwg_url {
namespace {

TEST(WhatwgUrlStepsTest, StripsC0ControlsAndSpacesAtTheEndsOnly) {
  EXPECT_EQ(StripLeadingAndTrailingC0ControlOrSpace(
                std::string_view("\x00\x1f a b \x01", 8)),
            "a b");
  EXPECT_EQ(StripLeadingAndTrailingC0ControlOrSpace(" \t\n"), "");
}

TEST(WhatwgUrlStepsTest, RemovesEveryTabAndNewline) {
  EXPECT_EQ(RemoveAsciiTabOrNewline("a\tb\nc\rd e"), "abcd e");
}

TEST(WhatwgUrlStepsTest, PercentDecodeLeavesMalformedEscapes) {
  EXPECT_EQ(PercentDecode("a%41%4a%zz%4%"), "aAJ%zz%4%");
  EXPECT_EQ(PercentDecode("%00"), std::string(1, '\0'));
}

TEST(WhatwgUrlStepsTest, PercentEncodeSetsDifferForPathAndQuery) {
  EXPECT_EQ(PercentEncode("a b'`{}^|\x7f\xc3\xa9", PercentEncodeSet::kPath),
            "a%20b'%60%7B%7D%5E|%7F%C3%A9");
  EXPECT_EQ(PercentEncode("a b'`{}^|", PercentEncodeSet::kSpecialQuery),
            "a%20b%27`{}^|");
}

TEST(WhatwgUrlStepsTest, DotSegmentsIncludeEncodedDots) {
  EXPECT_TRUE(IsSingleDotPathSegment("."));
  EXPECT_TRUE(IsSingleDotPathSegment("%2E"));
  EXPECT_FALSE(IsSingleDotPathSegment(".."));
  EXPECT_TRUE(IsDoubleDotPathSegment(".%2e"));
  EXPECT_TRUE(IsDoubleDotPathSegment("%2E."));
  EXPECT_TRUE(IsDoubleDotPathSegment("%2e%2E"));
  EXPECT_FALSE(IsDoubleDotPathSegment("..."));
}

TEST(WhatwgUrlStepsTest, DomainToAsciiUsesUts46Nontransitional) {
  std::string error;
  EXPECT_EQ(DomainToAscii("Fa\xc3\x9f.DE", &error), "xn--fa-hia.de");
  EXPECT_EQ(DomainToAscii("EXAMPLE.com", &error), "example.com");
  // Hyphen and length checks are off (beStrict is false).
  EXPECT_EQ(DomainToAscii("a\xe2\x80\xa0--", &error), "xn--a---kp0a");
  EXPECT_EQ(DomainToAscii("x..\xc3\x9f", &error), "x..xn--zca");
  // Unicode 15.1 changes applied over ICU 72's data.
  EXPECT_EQ(DomainToAscii("\xe1\xba\x9e.com", &error), "xn--zca.com");
  EXPECT_EQ(DomainToAscii("look\xe1\xa0\x8eout.net", &error), "lookout.net");
}

TEST(WhatwgUrlStepsTest, DomainToAsciiFailsOnEmptyResultAndBadLabels) {
  std::string error;
  EXPECT_FALSE(DomainToAscii("\xc2\xad", &error));
  EXPECT_EQ(error, "host is empty after IDNA mapping");
  EXPECT_FALSE(DomainToAscii("xn--a", &error));
  EXPECT_FALSE(DomainToAscii("a\xff", &error));  // invalid UTF-8
  EXPECT_FALSE(DomainToAscii("\xe2\x80\x8d.example", &error));
  EXPECT_NE(error.find("joiner"), std::string::npos) << error;
}

TEST(WhatwgUrlStepsTest, ForbiddenDomainCodePoints) {
  EXPECT_EQ(FindForbiddenDomainCodePoint("a%b"), '%');
  EXPECT_EQ(FindForbiddenDomainCodePoint("a b"), ' ');
  EXPECT_EQ(FindForbiddenDomainCodePoint(std::string_view("a\0", 2)), '\0');
  EXPECT_EQ(FindForbiddenDomainCodePoint("!\"$&'()*+,-.;=_`{}~"), std::nullopt);
}

TEST(WhatwgUrlStepsTest, EndsInANumber) {
  EXPECT_TRUE(EndsInANumber("a.1"));
  EXPECT_TRUE(EndsInANumber("a.1."));
  EXPECT_TRUE(EndsInANumber("a.0x"));
  EXPECT_TRUE(EndsInANumber("a.0xfF"));
  EXPECT_FALSE(EndsInANumber("1.a"));
  EXPECT_FALSE(EndsInANumber("a.09x"));
  EXPECT_FALSE(EndsInANumber("."));
  EXPECT_FALSE(EndsInANumber("a.."));
}

TEST(WhatwgUrlStepsTest, IPv4NumberParserRadixes) {
  EXPECT_EQ(ParseIPv4Number("0x"), 0u);
  EXPECT_EQ(ParseIPv4Number("0X1f"), 31u);
  EXPECT_EQ(ParseIPv4Number("017"), 15u);
  EXPECT_EQ(ParseIPv4Number("0"), 0u);
  EXPECT_EQ(ParseIPv4Number("09"), std::nullopt);
  EXPECT_EQ(ParseIPv4Number(""), std::nullopt);
  EXPECT_GT(*ParseIPv4Number("99999999999999999999999"), 0xffffffffu);
}

TEST(WhatwgUrlStepsTest, IPv4ParserFillsTheLastNumber) {
  EXPECT_EQ(ParseIPv4("127.1"), 0x7f000001u);
  EXPECT_EQ(ParseIPv4("1.2.3.4."), 0x01020304u);
  EXPECT_EQ(ParseIPv4("1.65535"), 0x0100ffffu);
  EXPECT_EQ(ParseIPv4("1.2.65536"), std::nullopt);
  EXPECT_EQ(ParseIPv4("1.16777216"), std::nullopt);
  EXPECT_EQ(ParseIPv4("256.1"), std::nullopt);
  EXPECT_EQ(ParseIPv4("1.2.3.4.5"), std::nullopt);
  EXPECT_EQ(SerializeIPv4(0xc0a80001u), "192.168.0.1");
}

TEST(WhatwgUrlStepsTest, IPv6SerializerCompressesFirstLongestZeroRun) {
  auto text = [](std::string_view in) {
    auto address = ParseIPv6(in);
    return address ? SerializeIPv6(*address) : std::string("failure");
  };
  EXPECT_EQ(text("0:0:0:0:0:0:0:0"), "::");
  EXPECT_EQ(text("1:0:0:2:0:0:3:4"), "1::2:0:0:3:4");
  EXPECT_EQ(text("1:0:2:0:0:0:3:0"), "1:0:2::3:0");
  EXPECT_EQ(text("1:2:3:4:5:6:7:0"), "1:2:3:4:5:6:7:0");
  EXPECT_EQ(text("::FFFF:1.2.3.4"), "::ffff:102:304");
  EXPECT_EQ(text("1::2::3"), "failure");
  EXPECT_EQ(text("::1.2.3.04"), "failure");
}

}  // namespace
}  // namespace net::whatwg_url
