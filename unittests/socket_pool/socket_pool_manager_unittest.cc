#include "socket_pool/socket_pool_manager.h"

#include <map>

#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "net/socket/stream_socket.h"
#include "socket_pool/pool_state.pb.h"
#include "unittests/socket_pool/socket_pool_test_base.h"

namespace net {
namespace {

using ReuseType = ClientSocketHandle::ReuseType;

class SocketPoolManagerTest : public SocketPoolTestBase {
 protected:
  // One MEDIUM request in each of h1..h4.example, whose jobs are left
  // connecting: with SmallConfig() they hold all 4 of the manager's sockets.
  std::vector<std::unique_ptr<TestRequest>>
  RequestOneSocketInEachOfFourGroups() {
    std::vector<std::unique_ptr<TestRequest>> requests;
    for (const char* host :
         {"h1.example", "h2.example", "h3.example", "h4.example"}) {
      requests.push_back(std::make_unique<TestRequest>());
      Request(Key(host), MEDIUM, requests.back().get());
    }
    return requests;
  }

  // The same with every job finished: 4 handed-out sockets, the limit.
  std::vector<std::unique_ptr<TestRequest>>
  HandOutOneSocketInEachOfFourGroups() {
    std::vector<std::unique_ptr<TestRequest>> requests =
        RequestOneSocketInEachOfFourGroups();
    factory_.ReleaseAll();
    RunUntilIdle();
    return requests;
  }
};

TEST_F(SocketPoolManagerTest, BasicAsynchronousRequestGetsConnectedSocket) {
  TestRequest request;
  ASSERT_EQ(Request(Key("a.example"), MEDIUM, &request), ERR_IO_PENDING);
  EXPECT_TRUE(request.handle.is_pending());
  EXPECT_EQ(manager_->ConnectingSocketCount(), 1);
  ASSERT_TRUE(factory_.ReleaseNext());
  RunUntilIdle();
  ASSERT_TRUE(request.callback_ran);
  EXPECT_EQ(request.result, OK);
  ASSERT_TRUE(request.handle.is_initialized());
  EXPECT_TRUE(request.handle.socket()->IsConnected());
  EXPECT_EQ(request.handle.reuse_type(), ReuseType::kUnused);
  EXPECT_EQ(request.handle.group_id(), Key("a.example"));
  EXPECT_EQ(manager_->HandedOutSocketCount(), 1);
  EXPECT_EQ(manager_->ConnectingSocketCount(), 0);
}

TEST_F(SocketPoolManagerTest, NewConnectionHasConnectTimingIdleSocketHasNone) {
  TestRequest first;
  Request(Key("a.example"), MEDIUM, &first);
  factory_.ReleaseNext();
  RunUntilIdle();
  EXPECT_NE(first.handle.connect_timing().connect_start, absl::InfinitePast());
  first.handle.Reset();

  TestRequest second;
  ASSERT_EQ(Request(Key("a.example"), MEDIUM, &second), OK);
  EXPECT_EQ(second.handle.connect_timing().connect_start, absl::InfinitePast());
  EXPECT_EQ(second.handle.connect_timing().connect_end, absl::InfinitePast());
}

TEST_F(SocketPoolManagerTest, ReleasedSocketIsReusedSynchronously) {
  TestRequest first;
  Request(Key("a.example"), MEDIUM, &first);
  factory_.ReleaseNext();
  RunUntilIdle();
  StreamSocket* socket = first.handle.socket();
  char byte = 'x';
  ASSERT_EQ(socket->Write(&byte, 1, [](int) {}), 1);
  first.handle.Reset();
  EXPECT_EQ(manager_->IdleSocketCountInGroup(Key("a.example")), 1);

  TestRequest second;
  ASSERT_EQ(Request(Key("a.example"), MEDIUM, &second), OK);
  EXPECT_FALSE(second.callback_ran);
  EXPECT_EQ(second.handle.socket(), socket);
  EXPECT_EQ(second.handle.reuse_type(), ReuseType::kReusedIdle);
  EXPECT_EQ(factory_.created_count(), 1);
}

TEST_F(SocketPoolManagerTest,
       GroupSeparationAcrossSchemeHostPortPrivacyModeAndNak) {
  SocketPoolConfig config = SmallConfig();
  config.max_sockets_total = 256;
  CreateManager(config);
  std::vector<GroupId> keys;
  for (const char* scheme : {"http", "https"}) {
    for (auto [host, port] : {std::pair<const char*, uint16_t>{"a.example", 80},
                              {"a.example", 443},
                              {"b.example", 80}}) {
      for (PrivacyMode mode : {PrivacyMode::kDisabled, PrivacyMode::kEnabled,
                               PrivacyMode::kEnabledWithoutClientCerts,
                               PrivacyMode::kEnabledPartitionedStateAllowed}) {
        for (const NetworkAnonymizationKey& nak :
             {NetworkAnonymizationKey(), SameSiteNak("https://top.example/"),
              CrossSiteNak("https://top.example/")}) {
          keys.push_back(Key(host, port, mode, scheme, nak));
        }
      }
    }
  }
  // One socket per key, then all back to the pool.
  std::map<GroupId, StreamSocket*> socket_of;
  {
    std::vector<std::unique_ptr<TestRequest>> requests;
    for (const GroupId& key : keys) {
      requests.push_back(std::make_unique<TestRequest>());
      ASSERT_EQ(Request(key, MEDIUM, requests.back().get()), ERR_IO_PENDING)
          << key.ToString();
    }
    factory_.ReleaseAll();
    RunUntilIdle();
    for (size_t i = 0; i < keys.size(); ++i) {
      ASSERT_EQ(requests[i]->result, OK);
      socket_of[keys[i]] = requests[i]->handle.socket();
    }
  }
  EXPECT_EQ(manager_->IdleSocketCount(), static_cast<int>(keys.size()));
  EXPECT_EQ(manager_->GroupCount(), keys.size());
  // Each key gets back exactly its own socket, never another key's.
  std::vector<std::unique_ptr<TestRequest>> again;
  for (const GroupId& key : keys) {
    again.push_back(std::make_unique<TestRequest>());
    ASSERT_EQ(Request(key, MEDIUM, again.back().get()), OK);
    EXPECT_EQ(again.back()->handle.socket(), socket_of[key]) << key.ToString();
  }
  EXPECT_EQ(factory_.created_count(), static_cast<int>(keys.size()));
}

TEST_F(SocketPoolManagerTest, PartitioningOffSharesSocketsAcrossNaks) {
  SocketPoolConfig config = SmallConfig();
  config.partition_connections = false;
  CreateManager(config);
  GroupId first_party = Key("a.example", 443, PrivacyMode::kDisabled, "https",
                            SameSiteNak("https://a.example/"));
  GroupId third_party = Key("a.example", 443, PrivacyMode::kDisabled, "https",
                            CrossSiteNak("https://top.example/"));
  TestRequest first;
  Request(first_party, MEDIUM, &first);
  factory_.ReleaseNext();
  RunUntilIdle();
  StreamSocket* socket = first.handle.socket();
  EXPECT_TRUE(first.handle.group_id().network_anonymization_key().IsEmpty());
  first.handle.Reset();
  TestRequest second;
  ASSERT_EQ(Request(third_party, MEDIUM, &second), OK);
  EXPECT_EQ(second.handle.socket(), socket);
  // Privacy mode still separates.
  TestRequest private_request;
  EXPECT_EQ(Request(Key("a.example", 443, PrivacyMode::kEnabled), MEDIUM,
                    &private_request),
            ERR_IO_PENDING);
}

TEST_F(SocketPoolManagerTest, PerGroupLimitMakesRequestsWaitInTheirGroup) {
  TestRequest r1, r2, r3;
  Request(Key("a.example"), MEDIUM, &r1);
  Request(Key("a.example"), MEDIUM, &r2);
  Request(Key("a.example"), MEDIUM, &r3);
  EXPECT_EQ(manager_->ConnectingSocketCountInGroup(Key("a.example")), 2);
  EXPECT_EQ(manager_->PendingRequestCountInGroup(Key("a.example")), 3);
  // Another group is not held up by a's limit.
  TestRequest other;
  Request(Key("b.example"), MEDIUM, &other);
  EXPECT_EQ(manager_->ConnectingSocketCountInGroup(Key("b.example")), 1);

  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_EQ(r1.result, OK);
  EXPECT_EQ(r2.result, OK);
  EXPECT_FALSE(r3.callback_ran);
  // Releasing one of a's sockets hands it to the waiting request.
  r1.handle.Reset();
  RunUntilIdle();
  EXPECT_EQ(r3.result, OK);
  EXPECT_EQ(r3.handle.reuse_type(), ReuseType::kUnusedIdle);
  EXPECT_EQ(factory_.created_count(), 3);
}

TEST_F(SocketPoolManagerTest, TotalLimitHoldsAcrossGroupsAndPools) {
  std::vector<std::unique_ptr<TestRequest>> requests;
  const GroupId keys[] = {Key("a.example"),
                          Key("b.example"),
                          Key("a.example", 443, PrivacyMode::kEnabled),
                          Key("a.example", 80, PrivacyMode::kDisabled, "http"),
                          Key("c.example"),
                          Key("d.example")};
  for (const GroupId& key : keys) {
    requests.push_back(std::make_unique<TestRequest>());
    Request(key, MEDIUM, requests.back().get());
  }
  EXPECT_EQ(manager_->ConnectingSocketCount(), 4);
  EXPECT_EQ(factory_.created_count(), 4);
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_EQ(manager_->HandedOutSocketCount(), 4);
  EXPECT_FALSE(requests[4]->callback_ran);
  EXPECT_FALSE(requests[5]->callback_ran);
}

TEST_F(SocketPoolManagerTest, PendingRequestsInGroupServedByPriorityThenFifo) {
  SocketPoolConfig config = SmallConfig();
  config.max_sockets_per_group = 1;
  CreateManager(config);
  TestRequest holder;
  Request(Key("a.example"), MEDIUM, &holder);
  factory_.ReleaseNext();
  RunUntilIdle();
  ASSERT_EQ(holder.result, OK);
  completion_order_.clear();

  TestRequest low1, highest, low2, medium, lowest;
  Request(Key("a.example"), LOW, &low1);
  Request(Key("a.example"), HIGHEST, &highest);
  Request(Key("a.example"), LOW, &low2);
  Request(Key("a.example"), MEDIUM, &medium);
  Request(Key("a.example"), LOWEST, &lowest);
  std::vector<TestRequest*> expected = {&highest, &medium, &low1, &low2,
                                        &lowest};
  holder.handle.Reset();
  for (size_t i = 0; i < expected.size(); ++i) {
    RunUntilIdle();
    ASSERT_EQ(completion_order_.size(), i + 1);
    EXPECT_EQ(completion_order_[i], expected[i]) << i;
    completion_order_[i]->handle.Reset();
  }
}

TEST_F(SocketPoolManagerTest, StalledRequestsAcrossGroupsServedByPriority) {
  std::vector<std::unique_ptr<TestRequest>> holders =
      HandOutOneSocketInEachOfFourGroups();
  completion_order_.clear();

  TestRequest c_low, d_highest, e_medium, c_highest;
  Request(Key("c.example"), LOW, &c_low);
  Request(Key("d.example"), HIGHEST, &d_highest);
  Request(Key("e.example"), MEDIUM, &e_medium);
  Request(Key("c.example"), HIGHEST, &c_highest);
  EXPECT_EQ(factory_.created_count(), 4);
  // Each freed slot goes to the best waiting request across all groups.
  std::vector<TestRequest*> expected = {&d_highest, &c_highest, &e_medium,
                                        &c_low};
  for (size_t i = 0; i < expected.size(); ++i) {
    holders[i]->handle.MarkNotReusable();
    holders[i]->handle.Reset();
    factory_.ReleaseAll();
    RunUntilIdle();
    ASSERT_EQ(completion_order_.size(), i + 1);
    EXPECT_EQ(completion_order_[i], expected[i]) << i;
  }
}

TEST_F(SocketPoolManagerTest,
       AtManagerLimitLeastRecentlyUsedIdleSocketOfAnotherGroupIsClosed) {
  std::vector<std::unique_ptr<TestRequest>> requests =
      HandOutOneSocketInEachOfFourGroups();
  // Idle in order h3, h1, h2 (h3 least recently used); h4 stays handed out.
  requests[2]->handle.Reset();
  loop_.FastForwardBy(absl::Seconds(1));
  requests[0]->handle.Reset();
  loop_.FastForwardBy(absl::Seconds(1));
  requests[1]->handle.Reset();

  TestRequest newcomer;
  EXPECT_EQ(Request(Key("new.example"), MEDIUM, &newcomer), ERR_IO_PENDING);
  EXPECT_FALSE(manager_->HasGroup(Key("h3.example")));
  EXPECT_EQ(manager_->IdleSocketCountInGroup(Key("h1.example")), 1);
  EXPECT_EQ(manager_->IdleSocketCountInGroup(Key("h2.example")), 1);
  EXPECT_EQ(manager_->ConnectingSocketCountInGroup(Key("new.example")), 1);
}

TEST_F(SocketPoolManagerTest, WaitForStalledSocketAtSocketLimit) {
  std::vector<std::unique_ptr<TestRequest>> requests =
      HandOutOneSocketInEachOfFourGroups();
  TestRequest stalled;
  EXPECT_EQ(Request(Key("new.example"), MEDIUM, &stalled), ERR_IO_PENDING);
  EXPECT_EQ(manager_->ConnectingSocketCount(), 0);
  // A socket going idle in another group is closed for the stalled request.
  requests[0]->handle.Reset();
  EXPECT_EQ(manager_->IdleSocketCount(), 0);
  EXPECT_EQ(manager_->ConnectingSocketCountInGroup(Key("new.example")), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_EQ(stalled.result, OK);
}

TEST_F(SocketPoolManagerTest, CancelPendingRequestRunsNoCallback) {
  TestRequest request;
  Request(Key("a.example"), MEDIUM, &request);
  request.handle.Reset();
  EXPECT_FALSE(request.handle.is_pending());
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_FALSE(request.callback_ran);
  // The job's socket went idle for a later request.
  EXPECT_EQ(manager_->IdleSocketCountInGroup(Key("a.example")), 1);
}

TEST_F(SocketPoolManagerTest, CancelAfterSocketAssignedDropsCallback) {
  SocketPoolConfig config = SmallConfig();
  config.max_sockets_per_group = 1;
  CreateManager(config);
  TestRequest holder, waiter;
  Request(Key("a.example"), MEDIUM, &holder);
  factory_.ReleaseNext();
  RunUntilIdle();
  Request(Key("a.example"), MEDIUM, &waiter);
  holder.handle.Reset();  // Socket handed to `waiter`, callback posted.
  EXPECT_TRUE(waiter.handle.is_initialized());
  waiter.handle.Reset();
  RunUntilIdle();
  EXPECT_FALSE(waiter.callback_ran);
  EXPECT_EQ(manager_->IdleSocketCountInGroup(Key("a.example")), 1);
}

TEST_F(SocketPoolManagerTest, StallAndThenCancelAndTriggerAvailableSocket) {
  std::vector<std::unique_ptr<TestRequest>> holders =
      HandOutOneSocketInEachOfFourGroups();
  TestRequest cancelled, waiting;
  Request(Key("x.example"), HIGHEST, &cancelled);
  Request(Key("y.example"), LOW, &waiting);
  cancelled.handle.Reset();
  EXPECT_FALSE(manager_->HasGroup(Key("x.example")));
  holders[0]->handle.MarkNotReusable();
  holders[0]->handle.Reset();
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_FALSE(cancelled.callback_ran);
  EXPECT_EQ(waiting.result, OK);
}

TEST_F(SocketPoolManagerTest,
       CancelRequestAtLimitGivesItsJobSlotToStalledGroup) {
  std::vector<std::unique_ptr<TestRequest>> requests =
      RequestOneSocketInEachOfFourGroups();
  TestRequest stalled;
  Request(Key("s.example"), MEDIUM, &stalled);
  EXPECT_EQ(manager_->ConnectingSocketCount(), 4);
  requests[0]->handle.Reset();
  EXPECT_EQ(manager_->ConnectingSocketCountInGroup(Key("h1.example")), 0);
  EXPECT_EQ(manager_->ConnectingSocketCountInGroup(Key("s.example")), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_EQ(stalled.result, OK);
}

TEST_F(SocketPoolManagerTest,
       LateBindingFinishedJobGoesToHighestPriorityRequest) {
  TestRequest low, highest;
  Request(Key("a.example"), LOW, &low);
  Request(Key("a.example"), HIGHEST, &highest);
  ASSERT_TRUE(factory_.ReleaseNext());  // The job started for `low`.
  RunUntilIdle();
  EXPECT_EQ(highest.result, OK);
  EXPECT_FALSE(low.callback_ran);
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_EQ(low.result, OK);
}

TEST_F(SocketPoolManagerTest, ConnectFailureIsReportedToTheRequest) {
  factory_.set_fail_with(ERR_CONNECTION_REFUSED);
  TestRequest request;
  Request(Key("a.example"), MEDIUM, &request);
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_EQ(request.result, ERR_CONNECTION_REFUSED);
  EXPECT_FALSE(request.handle.is_initialized());
  EXPECT_FALSE(manager_->HasGroup(Key("a.example")));
}

TEST_F(SocketPoolManagerTest, ReleaseMarkedNotReusableClosesConnection) {
  TestRequest request;
  Request(Key("a.example"), MEDIUM, &request);
  factory_.ReleaseAll();
  RunUntilIdle();
  request.handle.MarkNotReusable();
  request.handle.Reset();
  EXPECT_EQ(manager_->IdleSocketCount(), 0);
  EXPECT_FALSE(manager_->HasGroup(Key("a.example")));
}

TEST_F(SocketPoolManagerTest, SocketWithUnreadDataReturnedToPoolIsClosed) {
  TestRequest request;
  Request(Key("a.example"), MEDIUM, &request);
  factory_.ReleaseAll();
  RunUntilIdle();
  ASSERT_TRUE(listener_.WriteToPeerOf(*request.handle.socket(), "surprise"));
  RunUntilIdle();
  request.handle.Reset();
  EXPECT_EQ(manager_->IdleSocketCount(), 0);
}

TEST_F(SocketPoolManagerTest, PeerClosedIdleSocketIsNotHandedOut) {
  TestRequest first;
  Request(Key("a.example"), MEDIUM, &first);
  factory_.ReleaseAll();
  RunUntilIdle();
  const StreamSocket& socket = *first.handle.socket();
  first.handle.Reset();
  ASSERT_EQ(manager_->IdleSocketCount(), 1);
  ASSERT_TRUE(listener_.ClosePeerOf(socket));
  RunUntilIdle();
  TestRequest second;
  EXPECT_EQ(Request(Key("a.example"), MEDIUM, &second), ERR_IO_PENDING);
  EXPECT_EQ(manager_->IdleSocketCount(), 0);
  EXPECT_EQ(factory_.created_count(), 2);
}

TEST_F(SocketPoolManagerTest, PreferUsedSocketToUnusedSocket) {
  TestRequest r1, r2;
  Request(Key("a.example"), MEDIUM, &r1);
  Request(Key("a.example"), MEDIUM, &r2);
  factory_.ReleaseAll();
  RunUntilIdle();
  StreamSocket* used = r2.handle.socket();
  char byte = 'x';
  ASSERT_EQ(used->Write(&byte, 1, [](int) {}), 1);
  r2.handle.Reset();  // Used, idle first.
  r1.handle.Reset();  // Never used, idle second.
  TestRequest again;
  ASSERT_EQ(Request(Key("a.example"), MEDIUM, &again), OK);
  EXPECT_EQ(again.handle.socket(), used);
  EXPECT_EQ(again.handle.reuse_type(), ReuseType::kReusedIdle);
}

TEST_F(SocketPoolManagerTest, OldestUnusedIdleSocketIsHandedOutFirst) {
  RequestSocketsResult result = Preconnect(Key("a.example"), 2);
  ASSERT_EQ(result.preconnect_ids.size(), 2u);
  factory_.ReleaseAll();
  RunUntilIdle();
  TestRequest request;
  ASSERT_EQ(Request(Key("a.example"), MEDIUM, &request), OK);
  EXPECT_EQ(request.handle.preconnect_id(), result.preconnect_ids[0]);
  EXPECT_EQ(request.handle.reuse_type(), ReuseType::kUnusedIdle);
}

TEST_F(SocketPoolManagerTest, UnusedIdleSocketExpiresOnTimerWithoutRequests) {
  TestRequest request;
  Request(Key("a.example"), MEDIUM, &request);
  factory_.ReleaseAll();
  RunUntilIdle();
  request.handle.Reset();  // Never read or written: unused.
  loop_.FastForwardBy(absl::Seconds(9));
  EXPECT_EQ(manager_->IdleSocketCount(), 1);
  loop_.FastForwardBy(absl::Seconds(1));
  EXPECT_EQ(manager_->IdleSocketCount(), 0);
  EXPECT_FALSE(manager_->HasGroup(Key("a.example")));
}

TEST_F(SocketPoolManagerTest,
       UsedIdleSocketOutlivesUnusedTimeoutUntilUsedTimeout) {
  TestRequest used, unused;
  Request(Key("a.example"), MEDIUM, &used);
  Request(Key("b.example"), MEDIUM, &unused);
  factory_.ReleaseAll();
  RunUntilIdle();
  char byte = 'x';
  ASSERT_EQ(used.handle.socket()->Write(&byte, 1, [](int) {}), 1);
  used.handle.Reset();
  unused.handle.Reset();
  loop_.FastForwardBy(absl::Seconds(10));
  EXPECT_EQ(manager_->IdleSocketCountInGroup(Key("a.example")), 1);
  EXPECT_EQ(manager_->IdleSocketCountInGroup(Key("b.example")), 0);
  loop_.FastForwardBy(absl::Seconds(289));
  EXPECT_EQ(manager_->IdleSocketCountInGroup(Key("a.example")), 1);
  loop_.FastForwardBy(absl::Seconds(1));
  EXPECT_EQ(manager_->IdleSocketCount(), 0);
}

TEST_F(SocketPoolManagerTest, CloseIdleSocketsClosesEveryIdleSocket) {
  TestRequest r1, r2, r3;
  Request(Key("a.example"), MEDIUM, &r1);
  Request(Key("b.example"), MEDIUM, &r2);
  Request(Key("c.example"), MEDIUM, &r3);
  factory_.ReleaseAll();
  RunUntilIdle();
  r1.handle.Reset();
  r2.handle.Reset();
  manager_->CloseIdleSockets();
  EXPECT_EQ(manager_->IdleSocketCount(), 0);
  EXPECT_EQ(manager_->HandedOutSocketCount(), 1);
  EXPECT_EQ(manager_->GroupCount(), 1u);
}

TEST_F(SocketPoolManagerTest, FlushWithErrorAbortsPendingRequestsAndJobs) {
  TestRequest r1, r2, r3;
  Request(Key("a.example"), MEDIUM, &r1);
  Request(Key("a.example"), MEDIUM, &r2);
  Request(Key("a.example"), MEDIUM, &r3);
  manager_->FlushWithError(ERR_NETWORK_CHANGED);
  EXPECT_EQ(manager_->ConnectingSocketCount(), 0);
  EXPECT_TRUE(factory_.jobs().empty());
  RunUntilIdle();
  EXPECT_EQ(r1.result, ERR_NETWORK_CHANGED);
  EXPECT_EQ(r2.result, ERR_NETWORK_CHANGED);
  EXPECT_EQ(r3.result, ERR_NETWORK_CHANGED);
  EXPECT_EQ(manager_->GroupCount(), 0u);
}

TEST_F(SocketPoolManagerTest, DoNotReuseSocketAfterFlush) {
  TestRequest request;
  Request(Key("a.example"), MEDIUM, &request);
  factory_.ReleaseAll();
  RunUntilIdle();
  TestRequest idle;
  Request(Key("b.example"), MEDIUM, &idle);
  factory_.ReleaseAll();
  RunUntilIdle();
  idle.handle.Reset();
  manager_->FlushWithError(ERR_NETWORK_CHANGED);
  EXPECT_EQ(manager_->IdleSocketCount(), 0);
  // Handed out before the flush: closed on release, not kept idle.
  request.handle.Reset();
  EXPECT_EQ(manager_->IdleSocketCount(), 0);
  TestRequest after;
  EXPECT_EQ(Request(Key("a.example"), MEDIUM, &after), ERR_IO_PENDING);
}

TEST_F(SocketPoolManagerTest, StateDumpListsPoolsGroupsIdleSocketsAndWaiters) {
  TestRequest a, private_a, waiter1, waiter2, waiter3;
  Request(Key("a.example"), MEDIUM, &a);
  Request(Key("a.example", 443, PrivacyMode::kEnabled), MEDIUM, &private_a);
  factory_.ReleaseAll();
  RunUntilIdle();
  a.handle.Reset();
  loop_.FastForwardBy(absl::Seconds(2));
  Request(Key("b.example"), LOW, &waiter1);
  Request(Key("b.example"), HIGHEST, &waiter2);
  Request(Key("b.example"), LOW, &waiter3);

  std::string json = manager_->GetStateAsJson();
  google::protobuf::Struct state;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &state).ok());
  const auto& fields = state.fields();
  EXPECT_EQ(
      fields.at("totals").struct_value().fields().at("idle").number_value(), 1);
  EXPECT_EQ(fields.at("limits")
                .struct_value()
                .fields()
                .at("max_sockets_total")
                .number_value(),
            4);
  const auto& pools = fields.at("pools").list_value().values();
  ASSERT_EQ(pools.size(), 2);  // (https, DISABLED) and (https, ENABLED).
  const auto& disabled = pools[0].struct_value().fields();
  EXPECT_EQ(disabled.at("privacy_mode").string_value(), "DISABLED");
  const auto& groups = disabled.at("groups").list_value().values();
  ASSERT_EQ(groups.size(), 2);
  const auto& group_a = groups[0].struct_value().fields();
  EXPECT_EQ(group_a.at("group_id").string_value(),
            "https://a.example:443 <null>");
  const auto& idle_sockets = group_a.at("idle_sockets").list_value().values();
  ASSERT_EQ(idle_sockets.size(), 1);
  EXPECT_EQ(idle_sockets[0].struct_value().fields().at("age_ms").number_value(),
            2000);
  EXPECT_FALSE(idle_sockets[0].struct_value().fields().at("used").bool_value());
  const auto& group_b = groups[1].struct_value().fields();
  const auto& waiting = group_b.at("waiting_requests").list_value().values();
  ASSERT_EQ(waiting.size(), 3);
  EXPECT_EQ(waiting[0].struct_value().fields().at("priority").string_value(),
            "HIGHEST");
  EXPECT_EQ(pools[1].struct_value().fields().at("privacy_mode").string_value(),
            "ENABLED");
}

TEST_F(SocketPoolManagerTest, GetStateCountsPreconnectsAndJsonKeepsZeros) {
  RequestSocketsResult result = Preconnect(Key("a.example"), 2);
  ASSERT_EQ(result.preconnect_ids.size(), 2u);
  factory_.ReleaseAll();
  RunUntilIdle();
  TestRequest request;
  ASSERT_EQ(Request(Key("a.example"), MEDIUM, &request), OK);

  pool_state::PoolState state;
  state.add_pools();  // Replaced, not appended to.
  manager_->GetState(&state);
  EXPECT_TRUE(state.partition_connections());
  EXPECT_EQ(state.totals().idle(), 1u);
  EXPECT_EQ(state.totals().handed_out(), 1u);
  EXPECT_EQ(state.preconnect().started(), 2u);
  EXPECT_EQ(state.preconnect().used(), 1u);
  EXPECT_EQ(state.preconnect().live(), 1u);
  ASSERT_EQ(state.pools_size(), 1);
  ASSERT_EQ(state.pools(0).groups_size(), 1);
  const pool_state::Group& group = state.pools(0).groups(0);
  EXPECT_EQ(group.idle(), 1u);
  EXPECT_EQ(group.active(), 1u);
  EXPECT_EQ(group.waiting(), 0u);
  ASSERT_EQ(group.idle_sockets_size(), 1);
  EXPECT_EQ(group.idle_sockets(0).preconnect_id(),
            static_cast<double>(result.preconnect_ids[1]));

  // Zero counts and false are printed; empty lists and an absent preconnect
  // id are not.
  request.handle.Reset();
  TestRequest plain;
  Request(Key("b.example"), MEDIUM, &plain);
  factory_.ReleaseAll();
  RunUntilIdle();
  plain.handle.Reset();
  std::string json = manager_->GetStateAsJson();
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok());
  const auto& pools = parsed.fields().at("pools").list_value().values();
  ASSERT_EQ(pools.size(), 1u);
  const auto& groups =
      pools[0].struct_value().fields().at("groups").list_value().values();
  ASSERT_EQ(groups.size(), 2u);
  const auto& group_b = groups[1].struct_value().fields();
  EXPECT_EQ(group_b.at("active").number_value(), 0);
  EXPECT_EQ(group_b.at("waiting").number_value(), 0);
  EXPECT_EQ(group_b.count("waiting_requests"), 0u);
  const auto& idle_b =
      group_b.at("idle_sockets").list_value().values()[0].struct_value();
  EXPECT_FALSE(idle_b.fields().at("used").bool_value());
  EXPECT_EQ(idle_b.fields().count("preconnect_id"), 0u);
  const auto& idle_a = groups[0]
                           .struct_value()
                           .fields()
                           .at("idle_sockets")
                           .list_value()
                           .values();
  ASSERT_EQ(idle_a.size(), 2u);
  // The preconnected socket that served a request ended its preconnect.
  EXPECT_EQ(idle_a[0].struct_value().fields().count("preconnect_id") +
                idle_a[1].struct_value().fields().count("preconnect_id"),
            1u);
  EXPECT_EQ(parsed.fields()
                .at("preconnect")
                .struct_value()
                .fields()
                .at("failed")
                .number_value(),
            0);
}

TEST_F(SocketPoolManagerTest, InvalidGroupIdIsRejectedWithMessage) {
  TestRequest request;
  EXPECT_EQ(Request(Key("a.example", 443, PrivacyMode::kDisabled, "ftp"),
                    MEDIUM, &request),
            ERR_INVALID_ARGUMENT);
  EXPECT_NE(manager_->last_error_message().find("unsupported scheme 'ftp'"),
            std::string::npos);
  EXPECT_EQ(Request(Key("", 443), MEDIUM, &request), ERR_INVALID_ARGUMENT);
  EXPECT_NE(manager_->last_error_message().find("empty destination host"),
            std::string::npos);
  EXPECT_EQ(Request(Key("a.example", 0), MEDIUM, &request),
            ERR_INVALID_ARGUMENT);
  EXPECT_EQ(manager_->GroupCount(), 0u);
  EXPECT_FALSE(request.handle.is_pending());
}

TEST_F(SocketPoolManagerTest, OutOfRangePriorityIsRejected) {
  TestRequest request;
  EXPECT_EQ(
      Request(Key("a.example"), static_cast<RequestPriority>(7), &request),
      ERR_INVALID_ARGUMENT);
  EXPECT_NE(manager_->last_error_message().find("priority 7"),
            std::string::npos);
}

TEST_F(SocketPoolManagerTest, HandleInUseOrMissingIsRejected) {
  TestRequest request;
  Request(Key("a.example"), MEDIUM, &request);
  EXPECT_EQ(manager_->RequestSocket(
                Key("a.example"), MEDIUM, &request.handle, [](int) {},
                NetLogWithSource()),
            ERR_INVALID_ARGUMENT);
  EXPECT_NE(manager_->last_error_message().find("already in use"),
            std::string::npos);
  EXPECT_EQ(
      manager_->RequestSocket(
          Key("a.example"), MEDIUM, nullptr, [](int) {}, NetLogWithSource()),
      ERR_INVALID_ARGUMENT);
  TestRequest no_callback;
  EXPECT_EQ(
      manager_->RequestSocket(Key("a.example"), MEDIUM, &no_callback.handle,
                              nullptr, NetLogWithSource()),
      ERR_INVALID_ARGUMENT);
  EXPECT_EQ(manager_->PendingRequestCountInGroup(Key("a.example")), 1);
}

TEST_F(SocketPoolManagerTest, InvalidConfigIsDescribed) {
  SocketPoolConfig config;
  EXPECT_EQ(SocketPoolConfigInvalidReason(config), "");
  config.max_sockets_per_group = 0;
  EXPECT_NE(SocketPoolConfigInvalidReason(config).find("at least 1"),
            std::string::npos);
  config.max_sockets_per_group = 10;
  config.max_sockets_total = 5;
  EXPECT_NE(SocketPoolConfigInvalidReason(config).find("max_sockets_total"),
            std::string::npos);
  config = SocketPoolConfig();
  config.used_idle_timeout = absl::Seconds(-1);
  EXPECT_NE(SocketPoolConfigInvalidReason(config), "");
}

TEST_F(SocketPoolManagerTest, ObserverSeesEveryHandOutWithItsReuseType) {
  TestRequest request;
  Request(Key("a.example"), MEDIUM, &request);
  factory_.ReleaseAll();
  RunUntilIdle();
  request.handle.Reset();
  TestRequest again;
  Request(Key("a.example"), MEDIUM, &again);
  ASSERT_EQ(observer_.hand_outs.size(), 2u);
  EXPECT_EQ(observer_.hand_outs[0].reuse_type, ReuseType::kUnused);
  EXPECT_EQ(observer_.hand_outs[1].reuse_type, ReuseType::kUnusedIdle);
  EXPECT_EQ(observer_.hand_outs[1].preconnect_id, 0u);
}

}  // namespace
}  // namespace net
