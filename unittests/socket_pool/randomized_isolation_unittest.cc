// Randomized isolation: long runs of random pool operations across random
// keys and priorities, checking after every operation that no socket ever
// reached a request of another key and that limits and counts hold.
//
// Half the preconnects are guessed (unbound), so late privacy binding moves
// sockets between groups that differ only in privacy mode; the check is that
// no socket ever crosses a partition (scheme, host, port, NAK) and no socket
// ever carries requests of two group keys.
//
// RandomizedIsolation.MillionOperationsOnFakeSockets runs 1,000,000
// operations on FakeStreamSockets (already-connected socket objects; a
// million real connections is impractical). RandomizedIsolation.
// TwentyThousandOperationsOnRealSockets runs 20,000 on real loopback TCP
// sockets.

#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/base/url.h"
#include "net/event/event_loop.h"
#include "net/log/net_log_with_source.h"
#include "socket_pool/client_socket_handle.h"
#include "socket_pool/socket_pool_manager.h"
#include "unittests/socket_pool/controlled_connect_job_factory.h"
#include "unittests/socket_pool/fake_connect_job_factory.h"
#include "unittests/socket_pool/fake_stream_socket.h"
#include "unittests/socket_pool/loopback_listener.h"
#include "unittests/socket_pool/tagged_stream_socket.h"

namespace net {
namespace {

constexpr int kSlots = 40;

SocketPoolConfig RandomTestConfig() {
  SocketPoolConfig config;
  config.max_sockets_per_group = 3;
  config.max_sockets_total = 12;
  config.unused_idle_timeout = absl::Seconds(10);
  config.used_idle_timeout = absl::Seconds(30);
  return config;
}

// 16 keys: 2 hosts x 2 schemes x 2 privacy modes x 2 NAKs, all of the same
// two origins per scheme, so strands happen too.
std::vector<GroupId> RandomTestKeys() {
  std::vector<GroupId> keys;
  for (const char* host : {"a.example", "b.example"}) {
    for (const char* scheme : {"http", "https"}) {
      for (PrivacyMode mode : {PrivacyMode::kDisabled, PrivacyMode::kEnabled}) {
        for (bool cross_site : {false, true}) {
          keys.emplace_back(
              scheme, HostPortPair(host, scheme[4] == 's' ? 443 : 80), mode,
              NetworkAnonymizationKey(
                  SchemefulSite(Url::Parse("https://top.example/")),
                  cross_site));
        }
      }
    }
  }
  return keys;
}

// Drives one manager with random operations. The backend (fake or real
// sockets) supplies how jobs complete, how a peer closes a socket and which
// key a socket was made for.
class RandomDriver {
 public:
  struct Backend {
    virtual ~Backend() = default;
    virtual ConnectJobFactory* factory() = 0;
    virtual void CompleteSomeJob(std::mt19937_64& random) = 0;
    virtual void ClosePeerOfSomeSocket(
        std::mt19937_64& random,
        const std::vector<StreamSocket*>& out) = 0;
    // The key the socket's connect job was made for.
    virtual GroupId MadeFor(StreamSocket* socket) = 0;
    // Where the test records the key of the first request holding it.
    virtual std::optional<GroupId>& ServedKey(StreamSocket* socket) = 0;
    // Sockets alive that the backend can count; -1 if it cannot.
    virtual int64_t LiveSocketCount() = 0;
  };

  RandomDriver(Backend* backend, uint64_t seed)
      : backend_(backend), random_(seed), keys_(RandomTestKeys()) {
    manager_ = std::make_unique<SocketPoolManager>(RandomTestConfig(),
                                                   backend_->factory());
    for (int i = 0; i < kSlots; ++i)
      slots_.push_back(std::make_unique<Slot>());
  }

  ~RandomDriver() {
    for (auto& slot : slots_)
      slot->handle.Reset();
    manager_.reset();
  }

  testing::AssertionResult Run(int operations) {
    for (int op = 0; op < operations; ++op) {
      Step();
      EventLoop::Current()->RunUntilIdle();
      testing::AssertionResult ok = Check();
      if (!ok)
        return ok << " after operation " << op;
    }
    // The run must have exercised late binding, and every socket seen in a
    // group other than its own was counted as late-bound by the manager.
    if (late_bound_seen_ == 0)
      return testing::AssertionFailure() << "no socket was ever late-bound";
    if (late_bound_seen_ > manager_->preconnect_counters().late_bound) {
      return testing::AssertionFailure()
             << late_bound_seen_ << " sockets seen late-bound, but the manager "
             << "counted " << manager_->preconnect_counters().late_bound;
    }
    return testing::AssertionSuccess();
  }

 private:
  struct Slot {
    ClientSocketHandle handle;
    GroupId key;
  };

  Slot* PickSlot(bool (*want)(const Slot&)) {
    int start = static_cast<int>(random_() % kSlots);
    for (int i = 0; i < kSlots; ++i) {
      Slot* slot = slots_[(start + i) % kSlots].get();
      if (want(*slot))
        return slot;
    }
    return nullptr;
  }

  void Step() {
    int dice = static_cast<int>(random_() % 1000);
    const GroupId& key = keys_[random_() % keys_.size()];
    if (dice < 350) {
      Slot* slot = PickSlot([](const Slot& s) {
        return !s.handle.is_pending() && !s.handle.is_initialized();
      });
      if (!slot)
        return;
      slot->key = key;
      auto priority = static_cast<RequestPriority>(random_() % 6);
      int rv = manager_->RequestSocket(
          key, priority, &slot->handle, [](int) {}, NetLogWithSource());
      if (rv != OK && rv != ERR_IO_PENDING)
        request_errors_++;
    } else if (dice < 500) {
      Slot* slot =
          PickSlot([](const Slot& s) { return s.handle.is_initialized(); });
      if (!slot)
        return;
      if (random_() % 3 == 0)
        slot->handle.MarkNotReusable();
      if (random_() % 2 == 0) {
        char byte = 'x';
        slot->handle.socket()->Write(&byte, 1, [](int) {});
      }
      slot->handle.Reset();
    } else if (dice < 600) {
      Slot* slot =
          PickSlot([](const Slot& s) { return s.handle.is_pending(); });
      if (slot)
        slot->handle.Reset();
    } else if (dice < 700) {
      manager_->RequestSockets(key, 1 + static_cast<int>(random_() % 3),
                               NetLogWithSource(),
                               random_() % 2 ? PreconnectBinding::kUnbound
                                             : PreconnectBinding::kBound);
    } else if (dice < 850) {
      backend_->CompleteSomeJob(random_);
    } else if (dice < 900) {
      EventLoop::Current()->FastForwardBy(
          absl::Seconds(1 + static_cast<int>(random_() % 15)));
    } else if (dice < 960) {
      std::vector<StreamSocket*> handed_out;
      for (auto& slot : slots_) {
        if (slot->handle.is_initialized())
          handed_out.push_back(slot->handle.socket());
      }
      backend_->ClosePeerOfSomeSocket(random_, handed_out);
    } else if (dice < 965) {
      manager_->FlushWithError(ERR_NETWORK_CHANGED);
    } else if (dice < 970) {
      manager_->CloseIdleSockets();
    } else {
      // Reset a random slot whatever its state.
      slots_[random_() % kSlots]->handle.Reset();
    }
  }

  testing::AssertionResult Check() {
    const SocketPoolConfig& config = manager_->config();
    int initialized = 0;
    for (auto& slot : slots_) {
      if (!slot->handle.is_initialized())
        continue;
      ++initialized;
      if (!(slot->handle.group_id() == slot->key)) {
        return testing::AssertionFailure()
               << "handle of " << slot->key.ToString() << " is in group "
               << slot->handle.group_id().ToString();
      }
      StreamSocket* socket = slot->handle.socket();
      GroupId made_for = backend_->MadeFor(socket);
      if (!(made_for == slot->key)) {
        if (!made_for.IsSameOriginAs(slot->key) ||
            !(made_for.network_anonymization_key() ==
              slot->key.network_anonymization_key())) {
          return testing::AssertionFailure()
                 << "a socket of " << made_for.ToString()
                 << " crossed a partition to " << slot->key.ToString();
        }
      }
      std::optional<GroupId>& served = backend_->ServedKey(socket);
      if (!served) {
        served = slot->key;
        late_bound_seen_ += !(made_for == slot->key);
      } else if (!(*served == slot->key)) {
        return testing::AssertionFailure()
               << "a socket carried requests of " << served->ToString()
               << " and of " << slot->key.ToString();
      }
    }
    if (manager_->HandedOutSocketCount() != initialized) {
      return testing::AssertionFailure()
             << "handed out " << manager_->HandedOutSocketCount() << " but "
             << initialized << " handles hold sockets";
    }
    int total = manager_->IdleSocketCount() +
                manager_->ConnectingSocketCount() +
                manager_->HandedOutSocketCount();
    if (total > config.max_sockets_total)
      return testing::AssertionFailure() << "total " << total;
    for (const GroupId& key : keys_) {
      int in_group = manager_->IdleSocketCountInGroup(key) +
                     manager_->ConnectingSocketCountInGroup(key) +
                     manager_->HandedOutSocketCountInGroup(key);
      if (in_group > config.max_sockets_per_group) {
        return testing::AssertionFailure()
               << in_group << " sockets in " << key.ToString();
      }
    }
    int64_t live = backend_->LiveSocketCount();
    if (live >= 0 && live != manager_->IdleSocketCount() +
                                 manager_->HandedOutSocketCount()) {
      return testing::AssertionFailure()
             << live << " live sockets for " << manager_->IdleSocketCount()
             << " idle + " << manager_->HandedOutSocketCount() << " handed out";
    }
    const PreconnectCounters& counters = manager_->preconnect_counters();
    int64_t ended = counters.used + counters.expired_unused + counters.evicted +
                    counters.closed_by_peer + counters.flushed +
                    counters.failed;
    if (counters.started < ended)
      return testing::AssertionFailure() << "more outcomes than preconnects";
    if (request_errors_ != 0)
      return testing::AssertionFailure() << "a request failed synchronously";
    return testing::AssertionSuccess();
  }

  Backend* const backend_;
  std::mt19937_64 random_;
  const std::vector<GroupId> keys_;
  std::unique_ptr<SocketPoolManager> manager_;
  std::vector<std::unique_ptr<Slot>> slots_;
  int request_errors_ = 0;
  int64_t late_bound_seen_ = 0;
};

class FakeBackend : public RandomDriver::Backend {
 public:
  FakeBackend() { factory_.set_asynchronous(true); }
  ConnectJobFactory* factory() override { return &factory_; }
  void CompleteSomeJob(std::mt19937_64& random) override {
    if (factory_.pending_job_count() > 0)
      factory_.CompleteJob(random() % factory_.pending_job_count());
  }
  void ClosePeerOfSomeSocket(std::mt19937_64& random,
                             const std::vector<StreamSocket*>&) override {
    const auto& live = FakeStreamSocket::live_sockets();
    if (!live.empty())
      live[random() % live.size()]->ClosePeer();
  }
  GroupId MadeFor(StreamSocket* socket) override {
    if (key_by_tag_.empty()) {
      for (const GroupId& key : RandomTestKeys())
        key_by_tag_[factory_.TagFor(key)] = key;
    }
    auto it =
        key_by_tag_.find(static_cast<FakeStreamSocket*>(socket)->owner_tag());
    return it == key_by_tag_.end() ? GroupId() : it->second;
  }
  std::optional<GroupId>& ServedKey(StreamSocket* socket) override {
    return static_cast<FakeStreamSocket*>(socket)->served_key();
  }
  int64_t LiveSocketCount() override {
    return static_cast<int64_t>(FakeStreamSocket::live_sockets().size());
  }

 private:
  FakeConnectJobFactory factory_;
  absl::flat_hash_map<uint64_t, GroupId> key_by_tag_;
};

class RealBackend : public RandomDriver::Backend {
 public:
  RealBackend() { factory_.set_auto_release(true); }
  ConnectJobFactory* factory() override { return &factory_; }
  void CompleteSomeJob(std::mt19937_64&) override {
    // Jobs report as soon as TCP connects; give the kernel a moment.
    absl::SleepFor(absl::Microseconds(50));
    EventLoop::Current()->RunUntilIdle();
  }
  void ClosePeerOfSomeSocket(std::mt19937_64& random,
                             const std::vector<StreamSocket*>& out) override {
    if (!out.empty())
      listener_.ClosePeerOf(*out[random() % out.size()]);
  }
  GroupId MadeFor(StreamSocket* socket) override {
    return static_cast<TaggedStreamSocket*>(socket)->made_for();
  }
  std::optional<GroupId>& ServedKey(StreamSocket* socket) override {
    return static_cast<TaggedStreamSocket*>(socket)->served_key();
  }
  int64_t LiveSocketCount() override { return -1; }

 private:
  LoopbackListener listener_;
  ControlledConnectJobFactory factory_{listener_.endpoint()};
};

TEST(RandomizedIsolation, MillionOperationsOnFakeSockets) {
  EventLoop loop(EventLoop::TimeSource::kMockTime);
  FakeBackend backend;
  {
    RandomDriver driver(&backend, /*seed=*/20261121);
    EXPECT_TRUE(driver.Run(1000000));
  }
  EXPECT_TRUE(FakeStreamSocket::live_sockets().empty());
}

TEST(RandomizedIsolation, TwentyThousandOperationsOnRealSockets) {
  EventLoop loop(EventLoop::TimeSource::kMockTime);
  RealBackend backend;
  RandomDriver driver(&backend, /*seed=*/7);
  EXPECT_TRUE(driver.Run(20000));
}

}  // namespace
}  // namespace net
