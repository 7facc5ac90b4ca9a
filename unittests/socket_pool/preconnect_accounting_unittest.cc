#include <map>

#include "net/socket/stream_socket.h"
#include "socket_pool/preconnect_tracker.h"
#include "socket_pool/socket_pool_manager.h"
#include "unittests/socket_pool/controlled_connect_job.h"
#include "unittests/socket_pool/socket_pool_test_base.h"

namespace net {
namespace {

using ReuseType = ClientSocketHandle::ReuseType;

class PreconnectAccountingTest : public SocketPoolTestBase {
 protected:
  int CountOutcomes(PreconnectOutcome outcome) const {
    int count = 0;
    for (const auto& entry : observer_.outcomes)
      count += entry.outcome == outcome;
    return count;
  }
};

TEST_F(PreconnectAccountingTest, RequestSocketsStartsIdlePriorityJobs) {
  RequestSocketsResult result = Preconnect(Key("a.example"), 2);
  EXPECT_EQ(result.error, OK);
  ASSERT_EQ(result.preconnect_ids.size(), 2u);
  EXPECT_NE(result.preconnect_ids[0], result.preconnect_ids[1]);
  EXPECT_EQ(manager_->ConnectingSocketCountInGroup(Key("a.example")), 2);
  for (const ConnectJobParams& params : factory_.created_params())
    EXPECT_EQ(params.priority, IDLE);
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_EQ(manager_->IdleSocketCountInGroup(Key("a.example")), 2);
  auto state = manager_->GetPreconnectSocketState(result.preconnect_ids[0]);
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->state, PreconnectOutcome::kIdle);
  EXPECT_EQ(state->group_id, Key("a.example"));
}

TEST_F(PreconnectAccountingTest, RequestSocketsMultipleTimesDoesNothing) {
  Preconnect(Key("a.example"), 2);
  EXPECT_TRUE(Preconnect(Key("a.example"), 2).preconnect_ids.empty());
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_TRUE(Preconnect(Key("a.example"), 2).preconnect_ids.empty());
  EXPECT_TRUE(Preconnect(Key("a.example"), 1).preconnect_ids.empty());
  EXPECT_EQ(factory_.created_count(), 2);
}

TEST_F(PreconnectAccountingTest, RequestSocketsCountsIdleSockets) {
  TestRequest request;
  Request(Key("a.example"), MEDIUM, &request);
  factory_.ReleaseAll();
  RunUntilIdle();
  request.handle.Reset();
  EXPECT_EQ(Preconnect(Key("a.example"), 2).preconnect_ids.size(), 1u);
}

TEST_F(PreconnectAccountingTest, RequestSocketsCountsActiveSockets) {
  TestRequest request;
  Request(Key("a.example"), MEDIUM, &request);
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_EQ(Preconnect(Key("a.example"), 1).preconnect_ids.size(), 0u);
  EXPECT_EQ(Preconnect(Key("a.example"), 2).preconnect_ids.size(), 1u);
}

TEST_F(PreconnectAccountingTest, RequestSocketsWhenAlreadyHaveAConnectJob) {
  TestRequest request;
  Request(Key("a.example"), MEDIUM, &request);
  EXPECT_EQ(Preconnect(Key("a.example"), 2).preconnect_ids.size(), 1u);
  EXPECT_EQ(manager_->ConnectingSocketCountInGroup(Key("a.example")), 2);
}

TEST_F(PreconnectAccountingTest, RequestSocketsDifferentNumSockets) {
  EXPECT_EQ(Preconnect(Key("a.example"), 1).preconnect_ids.size(), 1u);
  EXPECT_EQ(Preconnect(Key("a.example"), 2).preconnect_ids.size(), 1u);
  EXPECT_EQ(Preconnect(Key("a.example"), 1).preconnect_ids.size(), 0u);
  EXPECT_EQ(manager_->ConnectingSocketCountInGroup(Key("a.example")), 2);
}

TEST_F(PreconnectAccountingTest, RequestSocketsIsClampedToTheGroupLimit) {
  RequestSocketsResult result = Preconnect(Key("a.example"), 50);
  EXPECT_EQ(result.error, OK);
  EXPECT_EQ(result.preconnect_ids.size(), 2u);
}

TEST_F(PreconnectAccountingTest, RequestSocketsAtMaxSocketLimitGivesUp) {
  TestRequest r1, r2, r3, r4;
  Request(Key("h1.example"), MEDIUM, &r1);
  Request(Key("h2.example"), MEDIUM, &r2);
  Request(Key("h3.example"), MEDIUM, &r3);
  Request(Key("h4.example"), MEDIUM, &r4);
  RequestSocketsResult result = Preconnect(Key("a.example"), 2);
  EXPECT_EQ(result.error, ERR_PRECONNECT_MAX_SOCKET_LIMIT);
  EXPECT_NE(result.error_message.find("limit"), std::string::npos);
  EXPECT_TRUE(result.preconnect_ids.empty());
  EXPECT_FALSE(manager_->HasGroup(Key("a.example")));
  EXPECT_EQ(manager_->PendingRequestCountInGroup(Key("a.example")), 0);
}

TEST_F(PreconnectAccountingTest, RequestSocketsHitMaxSocketLimitPartway) {
  TestRequest r1, r2, r3;
  Request(Key("h1.example"), MEDIUM, &r1);
  Request(Key("h2.example"), MEDIUM, &r2);
  Request(Key("h3.example"), MEDIUM, &r3);
  RequestSocketsResult result = Preconnect(Key("a.example"), 2);
  EXPECT_EQ(result.error, ERR_PRECONNECT_MAX_SOCKET_LIMIT);
  EXPECT_EQ(result.preconnect_ids.size(), 1u);
}

TEST_F(PreconnectAccountingTest,
       RequestSocketsAtLimitEvictsIdleSocketOfOtherGroup) {
  TestRequest r1, r2, r3, r4;
  Request(Key("h1.example"), MEDIUM, &r1);
  Request(Key("h2.example"), MEDIUM, &r2);
  Request(Key("h3.example"), MEDIUM, &r3);
  RequestSocketsResult other = Preconnect(Key("p.example"), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  RequestSocketsResult result = Preconnect(Key("a.example"), 1);
  EXPECT_EQ(result.error, OK);
  EXPECT_EQ(result.preconnect_ids.size(), 1u);
  ASSERT_EQ(observer_.outcomes.size(), 1u);
  EXPECT_EQ(observer_.outcomes[0].id, other.preconnect_ids[0]);
  EXPECT_EQ(observer_.outcomes[0].outcome, PreconnectOutcome::kEvicted);
}

TEST_F(PreconnectAccountingTest, NegativeNumSocketsIsRejectedZeroDoesNothing) {
  RequestSocketsResult negative = Preconnect(Key("a.example"), -1);
  EXPECT_EQ(negative.error, ERR_INVALID_ARGUMENT);
  EXPECT_NE(negative.error_message.find("negative"), std::string::npos);
  RequestSocketsResult zero = Preconnect(Key("a.example"), 0);
  EXPECT_EQ(zero.error, OK);
  EXPECT_TRUE(zero.preconnect_ids.empty());
  RequestSocketsResult bad_key = Preconnect(Key("a.example", 0), 1);
  EXPECT_EQ(bad_key.error, ERR_INVALID_ARGUMENT);
  EXPECT_NE(bad_key.error_message.find("port 0"), std::string::npos);
  EXPECT_EQ(manager_->GroupCount(), 0u);
}

TEST_F(PreconnectAccountingTest, PreconnectJobsTakenByNormalRequests) {
  RequestSocketsResult result = Preconnect(Key("a.example"), 1);
  TestRequest request;
  EXPECT_EQ(Request(Key("a.example"), MEDIUM, &request), ERR_IO_PENDING);
  // Adopted: no second connection.
  EXPECT_EQ(factory_.created_count(), 1);
  EXPECT_EQ(manager_->ConnectingSocketCountInGroup(Key("a.example")), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_EQ(request.result, OK);
  EXPECT_EQ(request.handle.preconnect_id(), result.preconnect_ids[0]);
  EXPECT_EQ(request.handle.reuse_type(), ReuseType::kUnused);
  EXPECT_EQ(CountOutcomes(PreconnectOutcome::kUsed), 1);
}

TEST_F(PreconnectAccountingTest, AdoptedPreconnectJobTakesTheRequestPriority) {
  Preconnect(Key("a.example"), 1);
  ASSERT_EQ(factory_.jobs().size(), 1u);
  TestRequest request;
  Request(Key("a.example"), HIGHEST, &request);
  EXPECT_EQ(factory_.jobs()[0]->priority(), HIGHEST);
}

TEST_F(PreconnectAccountingTest, ConnectedPreconnectSocketsHaveNoConnectTimes) {
  Preconnect(Key("a.example"), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  TestRequest request;
  ASSERT_EQ(Request(Key("a.example"), MEDIUM, &request), OK);
  EXPECT_EQ(request.handle.reuse_type(), ReuseType::kUnusedIdle);
  EXPECT_EQ(request.handle.connect_timing().connect_start,
            absl::InfinitePast());
}

TEST_F(PreconnectAccountingTest, PreconnectWithUnreadDataIsStillHandedOut) {
  RequestSocketsResult result = Preconnect(Key("a.example"), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  // A server that speaks first (e.g. HTTP/2 SETTINGS) does not make a
  // never-used socket unusable.
  EXPECT_EQ(listener_.WriteToAllPeers("SETTINGS"), 1);
  RunUntilIdle();
  TestRequest request;
  ASSERT_EQ(Request(Key("a.example"), MEDIUM, &request), OK);
  EXPECT_EQ(request.handle.preconnect_id(), result.preconnect_ids[0]);
  EXPECT_FALSE(request.handle.socket()->IsConnectedAndIdle());
}

TEST_F(PreconnectAccountingTest, PeerClosedPreconnectEndsClosedByPeer) {
  RequestSocketsResult result = Preconnect(Key("a.example"), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_EQ(listener_.CloseAllPeers(), 1);
  RunUntilIdle();
  TestRequest request;
  EXPECT_EQ(Request(Key("a.example"), MEDIUM, &request), ERR_IO_PENDING);
  ASSERT_EQ(observer_.outcomes.size(), 1u);
  EXPECT_EQ(observer_.outcomes[0].id, result.preconnect_ids[0]);
  EXPECT_EQ(observer_.outcomes[0].outcome, PreconnectOutcome::kClosedByPeer);
  EXPECT_EQ(manager_->preconnect_counters().closed_by_peer, 1);
  EXPECT_EQ(factory_.created_count(), 2);
}

TEST_F(PreconnectAccountingTest, RequestSocketsDoesNotCountPeerClosedSockets) {
  RequestSocketsResult first = Preconnect(Key("a.example"), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_EQ(listener_.CloseAllPeers(), 1);
  RunUntilIdle();
  RequestSocketsResult second = Preconnect(Key("a.example"), 1);
  ASSERT_EQ(second.preconnect_ids.size(), 1u);
  EXPECT_NE(second.preconnect_ids[0], first.preconnect_ids[0]);
  EXPECT_EQ(manager_->preconnect_counters().closed_by_peer, 1);
}

TEST_F(PreconnectAccountingTest, UnusedPreconnectExpiresAfterUnusedTimeout) {
  RequestSocketsResult result = Preconnect(Key("a.example"), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  loop_.FastForwardBy(absl::Seconds(10));
  ASSERT_EQ(observer_.outcomes.size(), 1u);
  EXPECT_EQ(observer_.outcomes[0].id, result.preconnect_ids[0]);
  EXPECT_EQ(observer_.outcomes[0].outcome, PreconnectOutcome::kExpiredUnused);
  EXPECT_EQ(manager_->preconnect_counters().expired_unused, 1);
  EXPECT_FALSE(manager_->GetPreconnectSocketState(result.preconnect_ids[0]));
}

TEST_F(PreconnectAccountingTest,
       FlushEndsIdleAndConnectingPreconnectsAsFlushed) {
  Preconnect(Key("a.example"), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  Preconnect(Key("b.example"), 1);
  manager_->FlushWithError(ERR_NETWORK_CHANGED);
  EXPECT_EQ(CountOutcomes(PreconnectOutcome::kFlushed), 2);
  EXPECT_EQ(manager_->preconnect_counters().flushed, 2);
}

TEST_F(PreconnectAccountingTest, CloseIdleSocketsEndsPreconnectsAsFlushed) {
  Preconnect(Key("a.example"), 2);
  factory_.ReleaseAll();
  RunUntilIdle();
  manager_->CloseIdleSockets();
  EXPECT_EQ(CountOutcomes(PreconnectOutcome::kFlushed), 2);
}

TEST_F(PreconnectAccountingTest, FailedPreconnectReportsFailedWithTheError) {
  factory_.set_fail_with(ERR_CONNECTION_REFUSED);
  RequestSocketsResult result = Preconnect(Key("a.example"), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  ASSERT_EQ(observer_.outcomes.size(), 1u);
  EXPECT_EQ(observer_.outcomes[0].id, result.preconnect_ids[0]);
  EXPECT_EQ(observer_.outcomes[0].outcome, PreconnectOutcome::kFailed);
  EXPECT_EQ(observer_.outcomes[0].error, ERR_CONNECTION_REFUSED);
  EXPECT_FALSE(manager_->HasGroup(Key("a.example")));
}

TEST_F(PreconnectAccountingTest,
       ManagerDestructionEndsLivePreconnectsAsFlushed) {
  Preconnect(Key("a.example"), 2);
  factory_.ReleaseNext();
  manager_.reset();
  EXPECT_EQ(CountOutcomes(PreconnectOutcome::kFlushed), 2);
}

TEST_F(PreconnectAccountingTest, EveryPreconnectEndsInExactlyOneOutcome) {
  RequestSocketsResult used = Preconnect(Key("u.example"), 1);
  RequestSocketsResult expired = Preconnect(Key("e.example"), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  TestRequest request;
  ASSERT_EQ(Request(Key("u.example"), MEDIUM, &request), OK);
  loop_.FastForwardBy(absl::Seconds(10));
  RequestSocketsResult flushed = Preconnect(Key("f.example"), 1);
  manager_->FlushWithError(ERR_NETWORK_CHANGED);
  request.handle.Reset();
  std::map<uint64_t, int> seen;
  for (const auto& outcome : observer_.outcomes)
    ++seen[outcome.id];
  ASSERT_EQ(seen.size(), 3u);
  for (const auto& [id, count] : seen)
    EXPECT_EQ(count, 1) << id;
  const PreconnectCounters& counters = manager_->preconnect_counters();
  EXPECT_EQ(counters.started, 3);
  EXPECT_EQ(counters.used, 1);
  EXPECT_EQ(counters.expired_unused, 1);
  EXPECT_EQ(counters.flushed, 1);
}

TEST_F(PreconnectAccountingTest,
       StrandDetectedWhenSameOriginServedFromOtherPrivacyMode) {
  GroupId preconnect_key = Key("a.example", 443, PrivacyMode::kDisabled);
  GroupId request_key = Key("a.example", 443, PrivacyMode::kEnabled);
  RequestSocketsResult result = Preconnect(preconnect_key, 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  TestRequest request;
  Request(request_key, MEDIUM, &request);
  factory_.ReleaseAll();
  RunUntilIdle();
  ASSERT_EQ(request.result, OK);
  ASSERT_EQ(observer_.strands.size(), 1u);
  EXPECT_EQ(observer_.strands[0].id, result.preconnect_ids[0]);
  EXPECT_EQ(observer_.strands[0].request_group_id, request_key);
  EXPECT_TRUE(observer_.strands[0].difference.privacy_mode);
  EXPECT_FALSE(observer_.strands[0].difference.top_frame_site);
  auto state = manager_->GetPreconnectSocketState(result.preconnect_ids[0]);
  ASSERT_TRUE(state.has_value());
  EXPECT_TRUE(state->strand_marked);
  loop_.FastForwardBy(absl::Seconds(10));
  EXPECT_EQ(manager_->preconnect_counters().stranded, 1);
  EXPECT_EQ(SuggestStrandFix(preconnect_key, request_key),
            "add crossorigin=anonymous (the request carries no credentials)");
}

TEST_F(PreconnectAccountingTest, StrandNamesTheNakFieldsThatDiffer) {
  GroupId preconnect_key = Key("cdn.example", 443, PrivacyMode::kDisabled,
                               "https", SameSiteNak("https://news.example/"));
  GroupId request_key = Key("cdn.example", 443, PrivacyMode::kDisabled, "https",
                            SameSiteNak("https://cdn.example/"));
  Preconnect(preconnect_key, 1);
  TestRequest request;
  Request(request_key, MEDIUM, &request);
  factory_.ReleaseAll();
  RunUntilIdle();
  ASSERT_EQ(observer_.strands.size(), 1u);
  EXPECT_TRUE(observer_.strands[0].difference.top_frame_site);
  EXPECT_FALSE(observer_.strands[0].difference.is_cross_site);
  EXPECT_FALSE(observer_.strands[0].difference.privacy_mode);
  EXPECT_EQ(SuggestStrandFix(preconnect_key, request_key),
            "pass purpose=NAVIGATION for a top-level navigation");
}

TEST_F(PreconnectAccountingTest, NoStrandForRequestsToAnotherOrigin) {
  Preconnect(Key("a.example", 443), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  TestRequest other_port, other_host;
  Request(Key("a.example", 8443, PrivacyMode::kEnabled), MEDIUM, &other_port);
  Request(Key("b.example", 443, PrivacyMode::kEnabled), MEDIUM, &other_host);
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_TRUE(observer_.strands.empty());
  loop_.FastForwardBy(absl::Seconds(10));
  EXPECT_EQ(manager_->preconnect_counters().stranded, 0);
  EXPECT_EQ(manager_->preconnect_counters().expired_unused, 1);
}

TEST_F(PreconnectAccountingTest, StrandMarkedSocketUsedLaterIsNotStranded) {
  RequestSocketsResult result = Preconnect(Key("a.example"), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  TestRequest elsewhere;
  Request(Key("a.example", 443, PrivacyMode::kEnabled), MEDIUM, &elsewhere);
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_EQ(manager_->preconnect_counters().live_strand_marked, 1);
  TestRequest own;
  ASSERT_EQ(Request(Key("a.example"), MEDIUM, &own), OK);
  EXPECT_EQ(own.handle.preconnect_id(), result.preconnect_ids[0]);
  EXPECT_EQ(manager_->preconnect_counters().stranded, 0);
  EXPECT_EQ(manager_->preconnect_counters().live_strand_marked, 0);
  EXPECT_EQ(manager_->preconnect_counters().used, 1);
}

TEST_F(PreconnectAccountingTest, HandOutOfPreconnectedSocketReportsItsId) {
  RequestSocketsResult result = Preconnect(Key("a.example"), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  TestRequest request;
  Request(Key("a.example"), MEDIUM, &request);
  ASSERT_EQ(observer_.hand_outs.size(), 1u);
  EXPECT_EQ(observer_.hand_outs[0].preconnect_id, result.preconnect_ids[0]);
  EXPECT_EQ(observer_.hand_outs[0].reuse_type, ReuseType::kUnusedIdle);
  // Returned and reused: no longer a preconnect.
  request.handle.Reset();
  TestRequest again;
  Request(Key("a.example"), MEDIUM, &again);
  EXPECT_EQ(again.handle.preconnect_id(), 0u);
}

}  // namespace
}  // namespace net
