// The socket pool's own cost, on FakeStreamSockets whose connect jobs finish
// synchronously (no network). Times are per iteration.
//
// Acquire + release of an idle socket while N groups (1, 1,000, 100,000) each
// hold one, in two access patterns:
//  - BM_AcquireRelease_HotGroup: every iteration uses the same group. This is
//    the pool's algorithmic cost per operation; "flat in the number of groups"
//    is about this one.
//  - BM_AcquireRelease_RoundRobin: iterations cycle through all N groups, so at
//    100,000 groups every lookup misses the CPU caches (the groups' state is
//    tens of MB). This measures memory latency as much as the pool.
// Late privacy binding (on by default), beside the same operations with it
// off in the same run:
//  - BM_AcquireRelease_HotGroup_LateBindingOff: the hot-group figure with
//    SocketPoolConfig::late_binding false (the pool before late binding).
//  - BM_NewConnection_NoUnboundSibling / _LateBindingOff: a request that
//    finds nothing in its group, checks for an unbound sibling (there is
//    none), opens a (synchronous) connection and releases it not reusable.
//  - BM_LateBinding_TakesUnboundSibling: the same request finds an idle
//    unbound socket of its ENABLED_WITHOUT_CLIENT_CERTS sibling and takes it
//    (the sibling's preconnect runs with the timer paused).
// Each with N groups (1, 1,000, 100,000) holding an idle socket each: the
// sibling lookup goes through the group's partition index and never walks
// the manager's groups.
// Then the RequestSockets no-op (round-robin), and the manager-limit paths
// (evicting another group's idle socket; serving the best stalled request)
// with many groups. Last, the state dump of a small pool, as a message
// (GetState) and as JSON (GetStateAsJson).
//
// tools/run_benchmarks.py runs this with --benchmark_format=json: nothing but
// Google Benchmark may write to stdout.

#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/base/schemeful_site.h"
#include "net/base/url.h"
#include "net/event/event_loop.h"
#include "net/log/net_log_with_source.h"
#include "socket_pool/client_socket_handle.h"
#include "socket_pool/pool_state.pb.h"
#include "socket_pool/socket_pool_manager.h"
#include "unittests/socket_pool/fake_connect_job_factory.h"

namespace net {
namespace {

std::vector<GroupId> MakeKeys(int count) {
  std::vector<GroupId> keys;
  keys.reserve(count);
  for (int i = 0; i < count; ++i) {
    keys.emplace_back(
        "https", HostPortPair("host" + std::to_string(i) + ".example", 443),
        i % 2 ? PrivacyMode::kEnabled : PrivacyMode::kDisabled,
        NetworkAnonymizationKey());
  }
  return keys;
}

SocketPoolConfig BigConfig(int total, bool late_binding = true) {
  SocketPoolConfig config;
  config.max_sockets_total = total;
  config.late_binding = late_binding;
  return config;
}

void Noop(int) {}

// A manager whose N groups each hold one idle socket.
class IdleGroups {
 public:
  explicit IdleGroups(int groups, bool late_binding = true)
      : manager_(BigConfig(groups + 16, late_binding), &factory_),
        keys_(MakeKeys(groups)) {
    for (const GroupId& key : keys_) {
      CHECK(Acquire(key) == OK);
      handle_.Reset();
    }
  }
  ~IdleGroups() {
    CHECK(manager_.IdleSocketCount() == static_cast<int>(keys_.size()));
  }

  const std::vector<GroupId>& keys() const { return keys_; }

  SocketPoolManager& manager() { return manager_; }

  // One timed operation: take the group's idle socket and give it back.
  void AcquireAndRelease(const GroupId& key) {
    int rv = Acquire(key);
    benchmark::DoNotOptimize(rv);
    handle_.Reset();
  }

 private:
  int Acquire(const GroupId& key) {
    return manager_.RequestSocket(key, MEDIUM, &handle_, Noop,
                                  NetLogWithSource());
  }

  EventLoop loop_;
  FakeConnectJobFactory factory_;
  SocketPoolManager manager_;
  std::vector<GroupId> keys_;
  ClientSocketHandle handle_;
};

// The same group every iteration, with N groups in the pool.
void BM_AcquireRelease_HotGroup(benchmark::State& state) {
  IdleGroups pool(static_cast<int>(state.range(0)));
  // A group from the middle, not the first one inserted.
  const GroupId& key = pool.keys()[pool.keys().size() / 2];
  for (auto _ : state)
    pool.AcquireAndRelease(key);
}
BENCHMARK(BM_AcquireRelease_HotGroup)
    ->ArgName("groups")
    ->Arg(1)
    ->Arg(1000)
    ->Arg(100000);

// The hot-group figure with late binding switched off, in the same run.
void BM_AcquireRelease_HotGroup_LateBindingOff(benchmark::State& state) {
  IdleGroups pool(static_cast<int>(state.range(0)), /*late_binding=*/false);
  const GroupId& key = pool.keys()[pool.keys().size() / 2];
  for (auto _ : state)
    pool.AcquireAndRelease(key);
}
BENCHMARK(BM_AcquireRelease_HotGroup_LateBindingOff)
    ->ArgName("groups")
    ->Arg(1)
    ->Arg(1000)
    ->Arg(100000);

// The credentialed group of a partition and its anonymous sibling, beside
// the N idle groups.
GroupId PartitionKey(PrivacyMode mode) {
  return GroupId("https", HostPortPair("cdn.example", 443), mode,
                 NetworkAnonymizationKey::CreateSameSite(
                     SchemefulSite(Url::Parse("https://news.example/"))));
}

// Requests a socket of `key`, which has none idle, and closes it.
void RequestAndClose(SocketPoolManager& manager, const GroupId& key) {
  ClientSocketHandle handle;
  int rv =
      manager.RequestSocket(key, MEDIUM, &handle, Noop, NetLogWithSource());
  benchmark::DoNotOptimize(rv);
  handle.MarkNotReusable();
  handle.Reset();
}

void NewConnection(benchmark::State& state, bool late_binding) {
  IdleGroups pool(static_cast<int>(state.range(0)), late_binding);
  const GroupId key = PartitionKey(PrivacyMode::kDisabled);
  for (auto _ : state)
    RequestAndClose(pool.manager(), key);
}

void BM_NewConnection_NoUnboundSibling(benchmark::State& state) {
  NewConnection(state, /*late_binding=*/true);
}
BENCHMARK(BM_NewConnection_NoUnboundSibling)
    ->ArgName("groups")
    ->Arg(1)
    ->Arg(1000)
    ->Arg(100000);

void BM_NewConnection_LateBindingOff(benchmark::State& state) {
  NewConnection(state, /*late_binding=*/false);
}
BENCHMARK(BM_NewConnection_LateBindingOff)
    ->ArgName("groups")
    ->Arg(1)
    ->Arg(1000)
    ->Arg(100000);

void BM_LateBinding_TakesUnboundSibling(benchmark::State& state) {
  IdleGroups pool(static_cast<int>(state.range(0)));
  SocketPoolManager& manager = pool.manager();
  const GroupId key = PartitionKey(PrivacyMode::kDisabled);
  const GroupId sibling = PartitionKey(PrivacyMode::kEnabledWithoutClientCerts);
  for (auto _ : state) {
    state.PauseTiming();
    CHECK(manager
              .RequestSockets(sibling, 1, NetLogWithSource(),
                              PreconnectBinding::kUnbound)
              .preconnect_ids.size() == 1);
    state.ResumeTiming();
    RequestAndClose(manager, key);
  }
  CHECK(manager.preconnect_counters().late_bound ==
        static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_LateBinding_TakesUnboundSibling)
    ->ArgName("groups")
    ->Arg(1)
    ->Arg(1000)
    ->Arg(100000);

// The next of the N groups every iteration (cache-cold at 100,000 groups).
void BM_AcquireRelease_RoundRobin(benchmark::State& state) {
  IdleGroups pool(static_cast<int>(state.range(0)));
  const std::vector<GroupId>& keys = pool.keys();
  size_t next = 0;
  for (auto _ : state) {
    pool.AcquireAndRelease(keys[next]);
    if (++next == keys.size())
      next = 0;
  }
}
BENCHMARK(BM_AcquireRelease_RoundRobin)
    ->ArgName("groups")
    ->Arg(1)
    ->Arg(1000)
    ->Arg(100000);

// One preconnected idle socket in each of N groups; each iteration repeats
// the preconnect of the next group (round-robin), which must do nothing.
void BM_RequestSocketsTopUpNoop_RoundRobin(benchmark::State& state) {
  const int groups = static_cast<int>(state.range(0));
  EventLoop loop;
  FakeConnectJobFactory factory;
  SocketPoolManager manager(BigConfig(groups + 16), &factory);
  std::vector<GroupId> keys = MakeKeys(groups);
  for (const GroupId& key : keys)
    CHECK(manager.RequestSockets(key, 1, NetLogWithSource()).error == OK);
  size_t next = 0;
  for (auto _ : state) {
    RequestSocketsResult result =
        manager.RequestSockets(keys[next], 1, NetLogWithSource());
    benchmark::DoNotOptimize(result.error);
    if (++next == keys.size())
      next = 0;
  }
  CHECK(manager.IdleSocketCount() == groups);
}
BENCHMARK(BM_RequestSocketsTopUpNoop_RoundRobin)
    ->ArgName("groups")
    ->Arg(1)
    ->Arg(1000)
    ->Arg(100000);

// The manager is full of idle sockets, one per group, N groups. Each
// iteration requests a socket in a group without one: the least recently used
// idle socket of another group is closed, a (synchronous) job connects, and
// the socket is released idle in its new group.
void BM_EvictIdleAtManagerLimit(benchmark::State& state) {
  const int limit = static_cast<int>(state.range(0));
  EventLoop loop;
  FakeConnectJobFactory factory;
  SocketPoolManager manager(BigConfig(limit), &factory);
  std::vector<GroupId> keys = MakeKeys(2 * limit);
  ClientSocketHandle handle;
  for (int i = 0; i < limit; ++i) {
    CHECK(manager.RequestSocket(keys[i], MEDIUM, &handle, Noop,
                                NetLogWithSource()) == OK);
    handle.Reset();
  }
  size_t next = limit;
  for (auto _ : state) {
    int rv = manager.RequestSocket(keys[next], MEDIUM, &handle, Noop,
                                   NetLogWithSource());
    benchmark::DoNotOptimize(rv);
    handle.Reset();
    if (++next == keys.size())
      next = 0;
  }
  CHECK(manager.IdleSocketCount() == limit);
}
BENCHMARK(BM_EvictIdleAtManagerLimit)->ArgName("limit")->Arg(100)->Arg(10000);

// The manager limit is held by handed-out sockets and N other groups each
// have a waiting request. Each iteration releases one socket (not reusable):
// the best stalled request across the N groups gets the slot and a socket;
// then a new request joins the stalled set, so it stays at N groups.
void BM_ServeBestStalledRequest(benchmark::State& state) {
  const int stalled = static_cast<int>(state.range(0));
  const int limit = 256;
  EventLoop loop;
  FakeConnectJobFactory factory;
  SocketPoolManager manager(BigConfig(limit), &factory);
  // limit holders + stalled waiters, recycled as a ring.
  const int ring = limit + stalled;
  std::vector<GroupId> keys = MakeKeys(ring);
  std::vector<std::unique_ptr<ClientSocketHandle>> handles;
  for (int i = 0; i < ring; ++i) {
    handles.push_back(std::make_unique<ClientSocketHandle>());
    int rv = manager.RequestSocket(keys[i], static_cast<RequestPriority>(i % 6),
                                   handles[i].get(), Noop, NetLogWithSource());
    CHECK(rv == (i < limit ? OK : ERR_IO_PENDING));
  }
  // Handles are served in priority order, not ring order: release whichever
  // handle holds a socket, found through a cursor over the ring.
  size_t cursor = 0;
  size_t next_request = 0;
  uint64_t iterations = 0;
  for (auto _ : state) {
    while (!handles[cursor]->is_initialized())
      cursor = (cursor + 1) % ring;
    handles[cursor]->MarkNotReusable();
    handles[cursor]->Reset();
    // A free handle joins the stalled set with a fresh request.
    while (handles[next_request]->is_initialized() ||
           handles[next_request]->is_pending()) {
      next_request = (next_request + 1) % ring;
    }
    int rv = manager.RequestSocket(
        keys[next_request], static_cast<RequestPriority>(next_request % 6),
        handles[next_request].get(), Noop, NetLogWithSource());
    benchmark::DoNotOptimize(rv);
    // Completion callbacks are posted; deliver them now and then.
    if ((++iterations & 255) == 0)
      loop.RunUntilIdle();
  }
  for (auto& handle : handles)
    handle->Reset();
  loop.RunUntilIdle();
}
BENCHMARK(BM_ServeBestStalledRequest)
    ->ArgName("stalled_groups")
    ->Arg(100)
    ->Arg(10000);

// The state dump of a small pool: N groups (1, 10) over both privacy modes,
// each with 3 idle sockets (2 preconnected, unused; 1 used) and 1 handed out.
class SmallPool {
 public:
  explicit SmallPool(int groups) : manager_(BigConfig(256), &factory_) {
    for (const GroupId& key : MakeKeys(groups)) {
      for (int i = 0; i < 2; ++i) {
        handles_.push_back(std::make_unique<ClientSocketHandle>());
        CHECK(manager_.RequestSocket(key, MEDIUM, handles_.back().get(), Noop,
                                     NetLogWithSource()) == OK);
      }
      handles_.back()->Reset();  // Idle, used.
      CHECK(manager_.RequestSockets(key, 4, NetLogWithSource()).error == OK);
    }
    loop_.RunUntilIdle();
    CHECK(manager_.IdleSocketCount() == 3 * groups);
  }
  ~SmallPool() {
    for (auto& handle : handles_)
      handle->Reset();
  }

  const SocketPoolManager& manager() const { return manager_; }

 private:
  EventLoop loop_;
  FakeConnectJobFactory factory_;
  SocketPoolManager manager_;
  std::vector<std::unique_ptr<ClientSocketHandle>> handles_;
};

// The dump as a message (GetState), without printing.
void BM_GetState(benchmark::State& state) {
  SmallPool pool(static_cast<int>(state.range(0)));
  pool_state::PoolState message;
  for (auto _ : state) {
    pool.manager().GetState(&message);
    benchmark::DoNotOptimize(message);
  }
}
BENCHMARK(BM_GetState)->ArgName("groups")->Arg(1)->Arg(10);

// The dump as JSON (GetStateAsJson).
void BM_GetStateAsJson(benchmark::State& state) {
  SmallPool pool(static_cast<int>(state.range(0)));
  size_t bytes = 0;
  for (auto _ : state) {
    std::string json = pool.manager().GetStateAsJson();
    bytes = json.size();
    benchmark::DoNotOptimize(json);
  }
  state.counters["json_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_GetStateAsJson)->ArgName("groups")->Arg(1)->Arg(10);

}  // namespace
}  // namespace net

BENCHMARK_MAIN();
