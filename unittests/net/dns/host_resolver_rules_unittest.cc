#include "net/dns/host_resolver_rules.h"

#include <string>

#include "gtest/gtest.h"
#include "net/base/net_errors.h"

namespace net {
namespace {

HostResolverRules ParseOrDie(const std::string& text) {
  HostResolverRules rules;
  std::string error;
  EXPECT_EQ(HostResolverRules::Parse(text, &rules, &error), OK) << error;
  return rules;
}

TEST(HostResolverRulesTest, EmptyTextIsNoRules) {
  HostResolverRules rules = ParseOrDie("");
  EXPECT_TRUE(rules.empty());
  HostPortPair host("a.example", 443);
  EXPECT_EQ(rules.Apply(&host), HostResolverRules::Outcome::kUnchanged);
  EXPECT_EQ(host, HostPortPair("a.example", 443));
}

TEST(HostResolverRulesTest, MapToIpKeepsThePort) {
  HostResolverRules rules = ParseOrDie("MAP news.example 127.0.0.1");
  HostPortPair host("news.example", 443);
  EXPECT_EQ(rules.Apply(&host), HostResolverRules::Outcome::kMapped);
  EXPECT_EQ(host, HostPortPair("127.0.0.1", 443));
}

TEST(HostResolverRulesTest, MapToHostPortReplacesBoth) {
  HostResolverRules rules = ParseOrDie("MAP news.example other.test:8443");
  HostPortPair host("news.example", 443);
  EXPECT_EQ(rules.Apply(&host), HostResolverRules::Outcome::kMapped);
  EXPECT_EQ(host, HostPortPair("other.test", 8443));
}

TEST(HostResolverRulesTest, MapToBracketedIpv6WithPort) {
  HostResolverRules rules = ParseOrDie("MAP v6.example [::1]:8080");
  HostPortPair host("v6.example", 80);
  EXPECT_EQ(rules.Apply(&host), HostResolverRules::Outcome::kMapped);
  EXPECT_EQ(host, HostPortPair("::1", 8080));
}

TEST(HostResolverRulesTest, WildcardMatchesSubdomainsButNotTheBareDomain) {
  HostResolverRules rules = ParseOrDie("MAP *.example 127.0.0.1");
  HostPortPair sub("cdn.news.example", 443);
  EXPECT_EQ(rules.Apply(&sub), HostResolverRules::Outcome::kMapped);
  HostPortPair bare("example", 443);
  EXPECT_EQ(rules.Apply(&bare), HostResolverRules::Outcome::kUnchanged);
}

TEST(HostResolverRulesTest, PatternMayNameAPort) {
  HostResolverRules rules = ParseOrDie("MAP *:8080 127.0.0.1");
  HostPortPair on_port("a.example", 8080);
  EXPECT_EQ(rules.Apply(&on_port), HostResolverRules::Outcome::kMapped);
  HostPortPair other_port("a.example", 443);
  EXPECT_EQ(rules.Apply(&other_port), HostResolverRules::Outcome::kUnchanged);
}

TEST(HostResolverRulesTest, FirstMatchingRuleWins) {
  HostResolverRules rules =
      ParseOrDie("MAP a.example 10.0.0.1, MAP *.example 10.0.0.2");
  HostPortPair a("a.example", 80);
  rules.Apply(&a);
  EXPECT_EQ(a.host(), "10.0.0.1");
  HostPortPair b("b.example", 80);
  rules.Apply(&b);
  EXPECT_EQ(b.host(), "10.0.0.2");
}

TEST(HostResolverRulesTest, ExcludeKeepsAHostOutOfAWildcardMap) {
  HostResolverRules rules =
      ParseOrDie("MAP * 127.0.0.1, EXCLUDE localhost, EXCLUDE *.keep.example");
  HostPortPair excluded("x.keep.example", 443);
  EXPECT_EQ(rules.Apply(&excluded), HostResolverRules::Outcome::kUnchanged);
  EXPECT_EQ(excluded.host(), "x.keep.example");
  HostPortPair mapped("other.example", 443);
  EXPECT_EQ(rules.Apply(&mapped), HostResolverRules::Outcome::kMapped);
}

TEST(HostResolverRulesTest, NotFoundReplacementFailsTheHost) {
  HostResolverRules rules = ParseOrDie("MAP blocked.example ~NOTFOUND");
  HostPortPair host("blocked.example", 443);
  EXPECT_EQ(rules.Apply(&host), HostResolverRules::Outcome::kNotFound);
}

TEST(HostResolverRulesTest, KeywordsAndHostsAreCaseInsensitive) {
  HostResolverRules rules = ParseOrDie("map NEWS.Example 127.0.0.1");
  HostPortPair host("news.EXAMPLE", 443);
  EXPECT_EQ(rules.Apply(&host), HostResolverRules::Outcome::kMapped);
}

TEST(HostResolverRulesTest, ExtraWhitespaceAndEmptyEntriesAreAccepted) {
  HostResolverRules rules =
      ParseOrDie("  MAP   a.example\t127.0.0.1 ,, MAP b.example 127.0.0.2 ,");
  HostPortPair b("b.example", 1);
  EXPECT_EQ(rules.Apply(&b), HostResolverRules::Outcome::kMapped);
  EXPECT_EQ(b.host(), "127.0.0.2");
}

struct BadRule {
  const char* text;
  const char* message_part;
};

class HostResolverRulesBadInputTest : public testing::TestWithParam<BadRule> {};

TEST_P(HostResolverRulesBadInputTest, IsRejectedWithAClearMessage) {
  HostResolverRules rules = ParseOrDie("MAP keep.example 127.0.0.1");
  std::string error;
  EXPECT_EQ(HostResolverRules::Parse(GetParam().text, &rules, &error),
            ERR_INVALID_HOST_RESOLVER_RULE);
  EXPECT_NE(error.find(GetParam().message_part), std::string::npos) << error;
  // The previous rules are left as they were.
  HostPortPair host("keep.example", 1);
  EXPECT_EQ(rules.Apply(&host), HostResolverRules::Outcome::kMapped);
}

INSTANTIATE_TEST_SUITE_P(
    All,
    HostResolverRulesBadInputTest,
    testing::Values(
        BadRule{"MAP a.example", "expected MAP <pattern> <replacement>"},
        BadRule{"MAP a.example 1.2.3.4 extra", "expected MAP"},
        BadRule{"EXCLUDE", "expected EXCLUDE <pattern>"},
        BadRule{"REDIRECT a b", "unknown rule type \"REDIRECT\""},
        BadRule{"MAP a.example host:notaport", "is not a host"},
        BadRule{"MAP a.example host:70000", "is not a host"},
        BadRule{"MAP a.example bad/host", "is not a host"},
        BadRule{"MAP a.example [1.2.3.4]", "is not a host"},
        BadRule{"MAP ok.example 1.2.3.4, MAP broken", "\"MAP broken\""}));

}  // namespace
}  // namespace net
