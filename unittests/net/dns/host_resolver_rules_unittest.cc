#include "net/dns/host_resolver_rules.h"

#include <ostream>
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
  EXPECT_TRUE(ParseOrDie("").empty());
}

// Rules applied to one host: the outcome and the host afterwards.
struct ApplyCase {
  const char* name;
  const char* rules;
  HostPortPair host;
  HostResolverRules::Outcome outcome;
  HostPortPair result;
};

void PrintTo(const ApplyCase& test_case, std::ostream* os) {
  *os << test_case.name;
}

class HostResolverRulesApplyTest : public testing::TestWithParam<ApplyCase> {};

TEST_P(HostResolverRulesApplyTest, RewritesTheHost) {
  const ApplyCase& test_case = GetParam();
  HostResolverRules rules = ParseOrDie(test_case.rules);
  HostPortPair host = test_case.host;
  EXPECT_EQ(rules.Apply(&host), test_case.outcome);
  EXPECT_EQ(host, test_case.result);
}

using Outcome = HostResolverRules::Outcome;

INSTANTIATE_TEST_SUITE_P(
    All,
    HostResolverRulesApplyTest,
    testing::Values(
        ApplyCase{"NoRulesLeaveTheHost",
                  "",
                  {"a.example", 443},
                  Outcome::kUnchanged,
                  {"a.example", 443}},
        ApplyCase{"MapToIpKeepsThePort",
                  "MAP news.example 127.0.0.1",
                  {"news.example", 443},
                  Outcome::kMapped,
                  {"127.0.0.1", 443}},
        ApplyCase{"MapToHostPortReplacesBoth",
                  "MAP news.example other.test:8443",
                  {"news.example", 443},
                  Outcome::kMapped,
                  {"other.test", 8443}},
        ApplyCase{"MapToBracketedIpv6WithPort",
                  "MAP v6.example [::1]:8080",
                  {"v6.example", 80},
                  Outcome::kMapped,
                  {"::1", 8080}},
        ApplyCase{"WildcardMatchesSubdomains",
                  "MAP *.example 127.0.0.1",
                  {"cdn.news.example", 443},
                  Outcome::kMapped,
                  {"127.0.0.1", 443}},
        ApplyCase{"WildcardDoesNotMatchTheBareDomain",
                  "MAP *.example 127.0.0.1",
                  {"example", 443},
                  Outcome::kUnchanged,
                  {"example", 443}},
        ApplyCase{"PatternMayNameAPort",
                  "MAP *:8080 127.0.0.1",
                  {"a.example", 8080},
                  Outcome::kMapped,
                  {"127.0.0.1", 8080}},
        ApplyCase{"PatternWithAPortSkipsOtherPorts",
                  "MAP *:8080 127.0.0.1",
                  {"a.example", 443},
                  Outcome::kUnchanged,
                  {"a.example", 443}},
        ApplyCase{"FirstMatchingRuleWins",
                  "MAP a.example 10.0.0.1, MAP *.example 10.0.0.2",
                  {"a.example", 80},
                  Outcome::kMapped,
                  {"10.0.0.1", 80}},
        ApplyCase{"LaterRuleServesWhatEarlierOnesMiss",
                  "MAP a.example 10.0.0.1, MAP *.example 10.0.0.2",
                  {"b.example", 80},
                  Outcome::kMapped,
                  {"10.0.0.2", 80}},
        ApplyCase{"ExcludeKeepsAHostOutOfAWildcardMap",
                  "MAP * 127.0.0.1, EXCLUDE localhost, EXCLUDE *.keep.example",
                  {"x.keep.example", 443},
                  Outcome::kUnchanged,
                  {"x.keep.example", 443}},
        ApplyCase{"ExcludeLeavesOtherHostsMapped",
                  "MAP * 127.0.0.1, EXCLUDE localhost, EXCLUDE *.keep.example",
                  {"other.example", 443},
                  Outcome::kMapped,
                  {"127.0.0.1", 443}},
        // The host is left for the caller to fail.
        ApplyCase{"NotFoundReplacementFailsTheHost",
                  "MAP blocked.example ~NOTFOUND",
                  {"blocked.example", 443},
                  Outcome::kNotFound,
                  {"blocked.example", 443}},
        ApplyCase{"KeywordsAndHostsAreCaseInsensitive",
                  "map NEWS.Example 127.0.0.1",
                  {"news.EXAMPLE", 443},
                  Outcome::kMapped,
                  {"127.0.0.1", 443}},
        ApplyCase{"ExtraWhitespaceAndEmptyEntriesAreAccepted",
                  "  MAP   a.example\t127.0.0.1 ,, MAP b.example 127.0.0.2 ,",
                  {"b.example", 1},
                  Outcome::kMapped,
                  {"127.0.0.2", 1}}),
    [](const testing::TestParamInfo<ApplyCase>& info) {
      return std::string(info.param.name);
    });

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
