#include "service/ipc_conversions.h"

#include <utility>

#include "gtest/gtest.h"
#include "proto/scenario_conversions.h"

namespace prewarm {
namespace {

TEST(IpcConversionsTest, RequestMode) {
  const std::pair<scenario::RequestMode, RequestMode> kPairs[] = {
      {scenario::NO_CORS, RequestMode::kNoCors},
      {scenario::CORS, RequestMode::kCors},
      {scenario::SAME_ORIGIN, RequestMode::kSameOrigin},
      {scenario::NAVIGATE, RequestMode::kNavigate},
  };
  for (const auto& [wire, mode] : kPairs) {
    EXPECT_EQ(RequestModeFromScenario(wire), mode) << wire;
    EXPECT_EQ(RequestModeToScenario(mode), wire) << wire;
  }
  // A value the enum does not have (proto3 keeps it) is no-cors.
  EXPECT_EQ(RequestModeFromScenario(static_cast<scenario::RequestMode>(9)),
            RequestMode::kNoCors);
}

// The decision's purpose goes through PurposeToScenario/PurposeFromScenario.
TEST(IpcConversionsTest, PreconnectDecisionPurpose) {
  for (PreconnectPurpose purpose :
       {PreconnectPurpose::kUnknown, PreconnectPurpose::kSubresource,
        PreconnectPurpose::kNavigation}) {
    PreconnectResult result;
    result.target.purpose = purpose;
    ipc::PreconnectDecision decision = PreconnectResultToIpc(result);
    EXPECT_EQ(decision.purpose(), PurposeToScenario(purpose));
    EXPECT_EQ(PreconnectResultFromIpc(decision).target.purpose, purpose);
  }
  ipc::PreconnectDecision unknown;
  unknown.set_purpose(static_cast<scenario::Purpose>(7));
  EXPECT_EQ(PreconnectResultFromIpc(unknown).target.purpose,
            PreconnectPurpose::kUnknown);
}

// What the replay report needs to number connections and name protocols
// survives the trip from the service process.
TEST(IpcConversionsTest, FetchResultKeepsProtocolAndConnection) {
  FetchResult result;
  result.protocol = "h2";
  result.connection_id = 42;
  result.coalesced = true;
  FetchResult back = FetchResultFromIpc(FetchResultToIpc(result, 1024));
  EXPECT_EQ("h2", back.protocol);
  EXPECT_EQ(42u, back.connection_id);
  EXPECT_TRUE(back.coalesced);
}

}  // namespace
}  // namespace prewarm
