#include "proto/scenario_conversions.h"

#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace prewarm {
namespace {

// Every value of both enums maps to its partner, both ways; a wire value the
// enum does not have (proto3 keeps it) maps to `for_unknown`.
template <typename Wire, typename Internal>
void ExpectBothWays(Internal (*from_scenario)(Wire),
                    Wire (*to_scenario)(Internal),
                    const std::vector<std::pair<Wire, Internal>>& pairs,
                    Internal for_unknown) {
  for (const auto& [wire, internal] : pairs) {
    EXPECT_EQ(from_scenario(wire), internal) << wire;
    EXPECT_EQ(to_scenario(internal), wire) << wire;
  }
  EXPECT_EQ(from_scenario(static_cast<Wire>(7)), for_unknown);
}

TEST(ScenarioConversionsTest, CrossOrigin) {
  ExpectBothWays<scenario::CrossOrigin, CrossOriginAttribute>(
      &CrossOriginFromScenario, &CrossOriginToScenario,
      {{scenario::CROSSORIGIN_ABSENT, CrossOriginAttribute::kAbsent},
       {scenario::ANONYMOUS, CrossOriginAttribute::kAnonymous},
       {scenario::USE_CREDENTIALS, CrossOriginAttribute::kUseCredentials}},
      CrossOriginAttribute::kAbsent);
}

TEST(ScenarioConversionsTest, Purpose) {
  ExpectBothWays<scenario::Purpose, PreconnectPurpose>(
      &PurposeFromScenario, &PurposeToScenario,
      {{scenario::PURPOSE_UNKNOWN, PreconnectPurpose::kUnknown},
       {scenario::SUBRESOURCE, PreconnectPurpose::kSubresource},
       {scenario::NAVIGATION, PreconnectPurpose::kNavigation}},
      PreconnectPurpose::kUnknown);
}

TEST(ScenarioConversionsTest, CredentialsMode) {
  ExpectBothWays<scenario::CredentialsMode, CredentialsMode>(
      &CredentialsModeFromScenario, &CredentialsModeToScenario,
      {{scenario::CREDENTIALS_SAME_ORIGIN, CredentialsMode::kSameOrigin},
       {scenario::INCLUDE, CredentialsMode::kInclude},
       {scenario::OMIT, CredentialsMode::kOmit}},
      CredentialsMode::kSameOrigin);
}

TEST(ScenarioConversionsTest, PreconnectRequestFromScenario) {
  scenario::Preconnect preconnect;
  preconnect.set_document("main");
  preconnect.set_url("https://fonts.example");
  preconnect.set_crossorigin(scenario::ANONYMOUS);
  preconnect.set_purpose(scenario::SUBRESOURCE);
  preconnect.set_num_sockets(2);
  PreconnectRequest request = PreconnectRequestFromScenario(preconnect);
  EXPECT_EQ(request.document_id, "main");
  EXPECT_EQ(request.url, "https://fonts.example");
  EXPECT_EQ(request.crossorigin, CrossOriginAttribute::kAnonymous);
  EXPECT_EQ(request.purpose, PreconnectPurpose::kSubresource);
  EXPECT_EQ(request.num_sockets, 2u);
}

}  // namespace
}  // namespace prewarm
