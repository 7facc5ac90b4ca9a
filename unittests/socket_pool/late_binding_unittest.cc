// Late privacy binding in the pool (docs/pool-selection.md section 9) on real
// loopback sockets: which requests may take an unbound preconnected socket,
// and the accounting when one does. The TLS side (no session offered, tickets
// held until binding, client-certificate requests) is in
// late_binding_tls_unittest.cc.

#include <algorithm>
#include <optional>

#include "net/log/net_log_source_type.h"
#include "net/log/recording_net_log_observer.h"
#include "socket_pool/pool_state.pb.h"
#include "unittests/socket_pool/controlled_connect_job.h"
#include "unittests/socket_pool/socket_pool_test_base.h"
#include "unittests/socket_pool/tagged_stream_socket.h"

namespace net {
namespace {

using ReuseType = ClientSocketHandle::ReuseType;

constexpr PrivacyMode kAnonymous = PrivacyMode::kEnabledWithoutClientCerts;
constexpr PrivacyMode kCredentialed = PrivacyMode::kDisabled;

class LateBindingTest : public SocketPoolTestBase {
 protected:
  static GroupId Warm(PrivacyMode mode = kAnonymous) {
    return Key("cdn.example", 443, mode, "https",
               SameSiteNak("https://news.example/"));
  }
  static GroupId Wanted(PrivacyMode mode = kCredentialed) { return Warm(mode); }

  RequestSocketsResult PreconnectUnbound(const GroupId& id, int n = 1) {
    return manager_->RequestSockets(id, n, NetLogWithSource(),
                                    PreconnectBinding::kUnbound);
  }

  // Preconnects one unbound socket of Warm() and lets it connect.
  uint64_t WarmOneIdle() {
    RequestSocketsResult result = PreconnectUnbound(Warm());
    EXPECT_EQ(1u, result.preconnect_ids.size());
    factory_.ReleaseAll();
    RunUntilIdle();
    EXPECT_EQ(1, manager_->IdleSocketCountInGroup(Warm()));
    EXPECT_EQ(1, manager_->UnboundSocketCountInGroup(Warm()));
    return result.preconnect_ids.empty() ? 0 : result.preconnect_ids[0];
  }

  static const TaggedStreamSocket& Tagged(const TestRequest& request) {
    return *static_cast<TaggedStreamSocket*>(request.handle.socket());
  }

  int CountOutcomes(PreconnectOutcome outcome) const {
    return static_cast<int>(std::count_if(
        observer_.outcomes.begin(), observer_.outcomes.end(),
        [&](const auto& entry) { return entry.outcome == outcome; }));
  }
};

TEST_F(LateBindingTest, IdleUnboundSocketServesARequestOfAnotherPrivacyMode) {
  uint64_t id = WarmOneIdle();
  TestRequest request;
  ASSERT_EQ(OK, Request(Wanted(), MEDIUM, &request));
  EXPECT_EQ(ReuseType::kUnusedIdle, request.handle.reuse_type());
  EXPECT_EQ(id, request.handle.preconnect_id());
  EXPECT_EQ(Wanted(), request.handle.group_id());
  EXPECT_EQ(Warm(), Tagged(request).made_for());
  EXPECT_EQ(kCredentialed, Tagged(request).bound_to());
  EXPECT_EQ(1, factory_.created_count());

  // It left the warmed group and counts in the request's group now.
  EXPECT_EQ(0, manager_->IdleSocketCountInGroup(Warm()));
  EXPECT_EQ(1, manager_->HandedOutSocketCountInGroup(Wanted()));
  ASSERT_EQ(1u, observer_.outcomes.size());
  EXPECT_EQ(PreconnectOutcome::kUsed, observer_.outcomes[0].outcome);
  ASSERT_EQ(1u, observer_.late_bindings.size());
  EXPECT_EQ(id, observer_.late_bindings[0].id);
  EXPECT_EQ(Warm(), observer_.late_bindings[0].preconnect_group_id);
  EXPECT_EQ(Wanted(), observer_.late_bindings[0].bound_group_id);
  EXPECT_TRUE(observer_.strands.empty());
  EXPECT_EQ(1, manager_->preconnect_counters().late_bound);
  EXPECT_EQ(1, manager_->preconnect_counters().used);
  EXPECT_EQ(0, manager_->preconnect_counters().stranded);

  // The warmed group is empty again: repeating its preconnect tops it up.
  EXPECT_EQ(1u, PreconnectUnbound(Warm()).preconnect_ids.size());
}

// A partition's index is made with its first unbound socket; a group of the
// partition that already existed then must still find it.
TEST_F(LateBindingTest, GroupMadeBeforeTheUnboundSocketStillTakesIt) {
  TestRequest first;
  ASSERT_EQ(ERR_IO_PENDING, Request(Wanted(), MEDIUM, &first));
  factory_.ReleaseAll();
  RunUntilIdle();
  ASSERT_EQ(OK, first.result);
  ASSERT_TRUE(manager_->HasGroup(Wanted()));  // Kept alive by `first`.

  uint64_t id = WarmOneIdle();
  TestRequest second;
  ASSERT_EQ(OK, Request(Wanted(), MEDIUM, &second));
  EXPECT_EQ(ReuseType::kUnusedIdle, second.handle.reuse_type());
  EXPECT_EQ(id, second.handle.preconnect_id());
  EXPECT_EQ(kCredentialed, Tagged(second).bound_to());
  EXPECT_EQ(2, factory_.created_count());
  EXPECT_EQ(2, manager_->HandedOutSocketCountInGroup(Wanted()));
  EXPECT_EQ(1, manager_->preconnect_counters().late_bound);
}

TEST_F(LateBindingTest, ConnectingUnboundSocketIsAdoptedWithoutASecondJob) {
  RequestSocketsResult warmed = PreconnectUnbound(Warm());
  ASSERT_EQ(1u, warmed.preconnect_ids.size());
  EXPECT_TRUE(factory_.created_params()[0].unbound);
  TestRequest request;
  ASSERT_EQ(ERR_IO_PENDING, Request(Wanted(), MEDIUM, &request));
  EXPECT_EQ(1, factory_.created_count());
  EXPECT_EQ(0, manager_->ConnectingSocketCountInGroup(Warm()));
  EXPECT_EQ(1, manager_->ConnectingSocketCountInGroup(Wanted()));
  EXPECT_FALSE(manager_->HasGroup(Warm()));
  // The job connects at the request's priority now.
  EXPECT_EQ(MEDIUM, factory_.jobs()[0]->priority());

  factory_.ReleaseAll();
  RunUntilIdle();
  ASSERT_TRUE(request.callback_ran);
  EXPECT_EQ(OK, request.result);
  EXPECT_EQ(ReuseType::kUnused, request.handle.reuse_type());
  EXPECT_EQ(warmed.preconnect_ids[0], request.handle.preconnect_id());
  EXPECT_EQ(kCredentialed, Tagged(request).bound_to());
  EXPECT_EQ(1u, observer_.late_bindings.size());
  EXPECT_EQ(1, manager_->preconnect_counters().late_bound);
}

TEST_F(LateBindingTest, OwnGroupRequestBindsItToTheWarmedGroup) {
  uint64_t id = WarmOneIdle();
  TestRequest request;
  ASSERT_EQ(OK, Request(Warm(), MEDIUM, &request));
  EXPECT_EQ(id, request.handle.preconnect_id());
  EXPECT_EQ(kAnonymous, Tagged(request).bound_to());
  EXPECT_TRUE(observer_.late_bindings.empty());
  EXPECT_EQ(0, manager_->preconnect_counters().late_bound);
}

TEST_F(LateBindingTest, BoundPreconnectIsNeverTaken) {
  Preconnect(Warm(), 1);  // Explicit or learned: bound from the start.
  EXPECT_FALSE(factory_.created_params()[0].unbound);
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_EQ(0, manager_->UnboundSocketCountInGroup(Warm()));
  TestRequest request;
  ASSERT_EQ(ERR_IO_PENDING, Request(Wanted(), MEDIUM, &request));
  EXPECT_EQ(2, factory_.created_count());
  EXPECT_EQ(1, manager_->IdleSocketCountInGroup(Warm()));
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_EQ(OK, request.result);
  EXPECT_EQ(1u, observer_.strands.size());
  EXPECT_TRUE(observer_.late_bindings.empty());
}

TEST_F(LateBindingTest, ConfigCanSwitchItOff) {
  SocketPoolConfig config = SmallConfig();
  config.late_binding = false;
  CreateManager(config);
  PreconnectUnbound(Warm());
  EXPECT_FALSE(factory_.created_params()[0].unbound);
  factory_.ReleaseAll();
  RunUntilIdle();
  TestRequest request;
  ASSERT_EQ(ERR_IO_PENDING, Request(Wanted(), MEDIUM, &request));
  EXPECT_EQ(2, factory_.created_count());
  EXPECT_EQ(1, manager_->IdleSocketCountInGroup(Warm()));
}

TEST_F(LateBindingTest, SocketThatCarriedARequestIsNeverRebound) {
  WarmOneIdle();
  TestRequest first;
  ASSERT_EQ(OK, Request(Warm(), MEDIUM, &first));
  // Bytes of HTTP went out on it.
  ASSERT_EQ(4, first.handle.socket()->Write("GET ", 4, [](int) {}));
  first.handle.Reset();
  EXPECT_EQ(1, manager_->IdleSocketCountInGroup(Warm()));
  EXPECT_EQ(0, manager_->UnboundSocketCountInGroup(Warm()));

  TestRequest second;
  ASSERT_EQ(ERR_IO_PENDING, Request(Wanted(), MEDIUM, &second));
  EXPECT_EQ(2, factory_.created_count());
  EXPECT_EQ(1, manager_->IdleSocketCountInGroup(Warm()));
}

TEST_F(LateBindingTest, NeverAcrossNakSchemeHostOrPort) {
  SocketPoolConfig config = SmallConfig();
  config.max_sockets_total = 16;
  CreateManager(config);
  WarmOneIdle();
  const GroupId others[] = {
      // Another top-frame site.
      Key("cdn.example", 443, kCredentialed, "https",
          SameSiteNak("https://other.example/")),
      // The same site, from a cross-site frame.
      Key("cdn.example", 443, kCredentialed, "https",
          CrossSiteNak("https://news.example/")),
      // Even in the warmed privacy mode: the NAK never floats.
      Key("cdn.example", 443, kAnonymous, "https",
          CrossSiteNak("https://news.example/")),
      Key("cdn.example", 443, kCredentialed, "http",
          SameSiteNak("https://news.example/")),
      Key("img.example", 443, kCredentialed, "https",
          SameSiteNak("https://news.example/")),
      Key("cdn.example", 8443, kCredentialed, "https",
          SameSiteNak("https://news.example/")),
  };
  TestRequest requests[std::size(others)];
  for (size_t i = 0; i < std::size(others); ++i) {
    SCOPED_TRACE(others[i].ToString());
    EXPECT_EQ(ERR_IO_PENDING, Request(others[i], MEDIUM, &requests[i]));
    EXPECT_EQ(static_cast<int>(i) + 2, factory_.created_count());
    EXPECT_EQ(1, manager_->UnboundSocketCountInGroup(Warm()));
  }
  EXPECT_TRUE(observer_.late_bindings.empty());
}

TEST_F(LateBindingTest, JobCoveringItsOwnGroupsRequestIsNotTaken) {
  PreconnectUnbound(Warm());
  TestRequest own;
  ASSERT_EQ(ERR_IO_PENDING, Request(Warm(), MEDIUM, &own));
  EXPECT_EQ(1, factory_.created_count());
  TestRequest other;
  ASSERT_EQ(ERR_IO_PENDING, Request(Wanted(), MEDIUM, &other));
  EXPECT_EQ(2, factory_.created_count());
  factory_.ReleaseAll();
  RunUntilIdle();
  EXPECT_EQ(OK, own.result);
  EXPECT_EQ(OK, other.result);
  EXPECT_NE(0u, own.handle.preconnect_id());
  EXPECT_EQ(0u, other.handle.preconnect_id());
  EXPECT_TRUE(observer_.late_bindings.empty());
}

TEST_F(LateBindingTest, RequestAtItsGroupLimitWaitsAndTakesNothing) {
  WarmOneIdle();
  TestRequest busy[2];
  for (TestRequest& request : busy)
    Request(Wanted(), MEDIUM, &request);
  // The first took the unbound socket, the second opened a connection.
  EXPECT_EQ(2, factory_.created_count());
  factory_.ReleaseAll();
  RunUntilIdle();
  PreconnectUnbound(Warm());
  factory_.ReleaseAll();
  RunUntilIdle();
  ASSERT_EQ(1, manager_->UnboundSocketCountInGroup(Warm()));
  TestRequest waiting;
  ASSERT_EQ(ERR_IO_PENDING, Request(Wanted(), MEDIUM, &waiting));
  EXPECT_EQ(1, manager_->PendingRequestCountInGroup(Wanted()));
  EXPECT_EQ(1, manager_->UnboundSocketCountInGroup(Warm()));
  EXPECT_EQ(2, manager_->HandedOutSocketCountInGroup(Wanted()));
}

TEST_F(LateBindingTest, OldestUnboundSiblingFirst) {
  SocketPoolConfig config = SmallConfig();
  config.max_sockets_total = 8;
  CreateManager(config);
  uint64_t older =
      PreconnectUnbound(Warm(PrivacyMode::kEnabled)).preconnect_ids.at(0);
  uint64_t newer = PreconnectUnbound(Warm(kAnonymous)).preconnect_ids.at(0);
  factory_.ReleaseAll();
  RunUntilIdle();
  TestRequest first;
  ASSERT_EQ(OK, Request(Wanted(), MEDIUM, &first));
  EXPECT_EQ(older, first.handle.preconnect_id());
  TestRequest second;
  ASSERT_EQ(OK, Request(Wanted(), MEDIUM, &second));
  EXPECT_EQ(newer, second.handle.preconnect_id());
}

TEST_F(LateBindingTest, AtTheManagerLimitItTakesTheSiblingInsteadOfEvicting) {
  SocketPoolConfig config = SmallConfig();
  config.max_sockets_total = 2;
  CreateManager(config);
  WarmOneIdle();
  Preconnect(Key("b.example"), 1);
  factory_.ReleaseAll();
  RunUntilIdle();
  TestRequest request;
  ASSERT_EQ(OK, Request(Wanted(), MEDIUM, &request));
  EXPECT_EQ(0, CountOutcomes(PreconnectOutcome::kEvicted));
  EXPECT_EQ(1, manager_->IdleSocketCountInGroup(Key("b.example")));
  EXPECT_EQ(2, manager_->IdleSocketCount() + manager_->HandedOutSocketCount());
}

TEST_F(LateBindingTest, PeerClosedUnboundSocketIsSkipped) {
  WarmOneIdle();
  listener_.CloseAllPeers();
  RunUntilIdle();
  TestRequest request;
  ASSERT_EQ(ERR_IO_PENDING, Request(Wanted(), MEDIUM, &request));
  EXPECT_EQ(2, factory_.created_count());
  EXPECT_EQ(1, CountOutcomes(PreconnectOutcome::kClosedByPeer));
  EXPECT_EQ(0, manager_->IdleSocketCount());
  EXPECT_FALSE(manager_->HasGroup(Warm()));
}

TEST_F(LateBindingTest, StateDumpShowsUnboundSockets) {
  PreconnectUnbound(Warm());
  pool_state::PoolState connecting;
  manager_->GetState(&connecting);
  EXPECT_EQ(1u, connecting.totals().unbound());
  ASSERT_EQ(1, connecting.pools_size());
  EXPECT_EQ(1u, connecting.pools(0).groups(0).unbound_connecting());

  factory_.ReleaseAll();
  RunUntilIdle();
  pool_state::PoolState idle;
  manager_->GetState(&idle);
  ASSERT_EQ(1, idle.pools(0).groups(0).idle_sockets_size());
  EXPECT_TRUE(idle.pools(0).groups(0).idle_sockets(0).unbound());
  EXPECT_EQ(0u, idle.pools(0).groups(0).unbound_connecting());
  EXPECT_NE(std::string::npos,
            manager_->GetStateAsJson().find("\"unbound\": true"));

  TestRequest request;
  ASSERT_EQ(OK, Request(Wanted(), MEDIUM, &request));
  pool_state::PoolState after;
  manager_->GetState(&after);
  EXPECT_EQ(0u, after.totals().unbound());
  EXPECT_EQ(1u, after.preconnect().late_bound());
}

TEST_F(LateBindingTest, NetLogShowsTheRebinding) {
  RecordingNetLogObserver net_log;
  uint64_t id = WarmOneIdle();
  NetLogWithSource request_log =
      NetLogWithSource::Make(NetLogSourceType::URL_REQUEST);
  TestRequest request;
  ASSERT_EQ(OK,
            manager_->RequestSocket(
                Wanted(), MEDIUM, &request.handle, [](int) {}, request_log));
  std::vector<NetLogEntry> taken =
      net_log.GetEntriesWithType(NetLogEventType::SOCKET_POOL_LATE_BOUND);
  ASSERT_EQ(1u, taken.size());
  EXPECT_EQ(request_log.source().id, taken[0].source.id);
  EXPECT_EQ(Warm().ToString(),
            taken[0].params.fields().at("from_group_id").string_value());
  EXPECT_FALSE(taken[0].params.fields().at("connecting").bool_value());
  std::vector<NetLogEntry> bound =
      net_log.GetEntriesWithType(NetLogEventType::PRECONNECT_LATE_BOUND);
  ASSERT_EQ(1u, bound.size());
  EXPECT_EQ(static_cast<double>(id),
            bound[0].params.fields().at("preconnect_id").number_value());
  EXPECT_EQ(Wanted().ToString(),
            bound[0].params.fields().at("bound_group_id").string_value());
}

TEST_F(LateBindingTest, CancelledAdopterLeavesTheSocketIdleInItsNewGroup) {
  PreconnectUnbound(Warm());
  TestRequest request;
  ASSERT_EQ(ERR_IO_PENDING, Request(Wanted(), MEDIUM, &request));
  request.handle.Reset();
  factory_.ReleaseAll();
  RunUntilIdle();
  // It belongs to the request's group from the moment it was taken.
  EXPECT_EQ(1, manager_->IdleSocketCountInGroup(Wanted()));
  EXPECT_EQ(0, manager_->UnboundSocketCountInGroup(Wanted()));
  TestRequest next;
  ASSERT_EQ(OK, Request(Wanted(), MEDIUM, &next));
  EXPECT_NE(0u, next.handle.preconnect_id());
  EXPECT_EQ(1, manager_->preconnect_counters().late_bound);
  EXPECT_EQ(1, manager_->preconnect_counters().used);
}

}  // namespace
}  // namespace net
