#ifndef UNITTESTS_SOCKET_POOL_SOCKET_POOL_TEST_BASE_H_
#define UNITTESTS_SOCKET_POOL_SOCKET_POOL_TEST_BASE_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/base/url.h"
#include "net/event/event_loop.h"
#include "net/log/net_log_with_source.h"
#include "socket_pool/client_socket_handle.h"
#include "socket_pool/group_id.h"
#include "socket_pool/socket_pool_manager.h"
#include "socket_pool/socket_pool_observer.h"
#include "unittests/socket_pool/controlled_connect_job_factory.h"
#include "unittests/socket_pool/loopback_listener.h"

namespace net {

// Records everything a SocketPoolObserver is told.
class RecordingSocketPoolObserver : public SocketPoolObserver {
 public:
  struct Outcome {
    uint64_t id;
    GroupId group_id;
    PreconnectOutcome outcome;
    int error;
  };
  struct HandOut {
    GroupId group_id;
    ClientSocketHandle::ReuseType reuse_type;
    uint64_t preconnect_id;
  };
  struct Strand {
    uint64_t id;
    GroupId preconnect_group_id;
    GroupId request_group_id;
    GroupId::KeyDifference difference;
  };

  void OnPreconnectSocketOutcome(uint64_t preconnect_id,
                                 const GroupId& group_id,
                                 PreconnectOutcome outcome,
                                 int error) override {
    outcomes.push_back({preconnect_id, group_id, outcome, error});
  }
  void OnSocketHandedOut(const GroupId& group_id,
                         ClientSocketHandle::ReuseType reuse_type,
                         uint64_t preconnect_id) override {
    hand_outs.push_back({group_id, reuse_type, preconnect_id});
  }
  void OnPreconnectSocketStranded(
      uint64_t preconnect_id,
      const GroupId& preconnect_group_id,
      const GroupId& request_group_id,
      const GroupId::KeyDifference& difference) override {
    strands.push_back(
        {preconnect_id, preconnect_group_id, request_group_id, difference});
  }

  struct LateBinding {
    uint64_t id;
    GroupId preconnect_group_id;
    GroupId bound_group_id;
  };
  void OnPreconnectSocketLateBound(uint64_t preconnect_id,
                                   const GroupId& preconnect_group_id,
                                   const GroupId& bound_group_id) override {
    late_bindings.push_back(
        {preconnect_id, preconnect_group_id, bound_group_id});
  }

  std::vector<Outcome> outcomes;
  std::vector<HandOut> hand_outs;
  std::vector<Strand> strands;
  std::vector<LateBinding> late_bindings;
};

// A request the test makes: its handle and what its callback reported.
struct TestRequest {
  ClientSocketHandle handle;
  int result = ERR_IO_PENDING;
  bool callback_ran = false;
};

// Real loopback sockets under a SocketPoolManager on a mock-time EventLoop.
// Connect jobs complete when the test releases them (ControlledConnectJob).
// The default config mirrors Chromium's pool tests: 2 sockets per group, 4
// in total.
class SocketPoolTestBase : public testing::Test {
 protected:
  SocketPoolTestBase();
  ~SocketPoolTestBase() override;

  static SocketPoolConfig SmallConfig();
  void CreateManager(const SocketPoolConfig& config);

  static GroupId Key(const std::string& host,
                     uint16_t port = 443,
                     PrivacyMode mode = PrivacyMode::kDisabled,
                     const std::string& scheme = "https",
                     NetworkAnonymizationKey nak = NetworkAnonymizationKey());
  static NetworkAnonymizationKey SameSiteNak(const std::string& url);
  static NetworkAnonymizationKey CrossSiteNak(const std::string& url);

  // RequestSocket with a callback that records into `request` and appends
  // `request` to completion_order_.
  int Request(const GroupId& id,
              RequestPriority priority,
              TestRequest* request);
  RequestSocketsResult Preconnect(const GroupId& id, int num_sockets);
  // Runs posted tasks and ready fd events.
  void RunUntilIdle();

  EventLoop loop_{EventLoop::TimeSource::kMockTime};
  LoopbackListener listener_;
  ControlledConnectJobFactory factory_{listener_.endpoint()};
  RecordingSocketPoolObserver observer_;
  std::vector<TestRequest*> completion_order_;
  std::unique_ptr<SocketPoolManager> manager_;
};

}  // namespace net

#endif  // UNITTESTS_SOCKET_POOL_SOCKET_POOL_TEST_BASE_H_
