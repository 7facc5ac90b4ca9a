#ifndef HOST_SCENARIO_REPLAYER_H_
#define HOST_SCENARIO_REPLAYER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"
#include "host/preload_report.h"
#include "net/event/timer.h"
#include "net/event/weak_ptr.h"
#include "preconnect/preconnect_manager.h"
#include "preconnect/preconnect_policy.h"
#include "preload/preload_rules.h"
#include "proto/report.pb.h"
#include "proto/scenario.pb.h"
#include "service/url_loader.h"
#include "socket_pool/socket_pool_observer.h"

namespace net::test_server {
class EmbeddedTestServer;
}

namespace prewarm {

class NetworkContextInterface;
class NetworkServiceClient;
struct NetworkContextParams;
struct PoolStateSnapshot;

// Replays one page-load scenario (../shared/scenarios/FORMAT.md) under one
// preconnect policy against real local origins, and builds its report
// (proto/report.proto).
//
// Start() starts an EmbeddedTestServer for every (scheme, host, port) the
// scenario names (HTTPS with certificates from the server's runtime test CA,
// HTTP where the URL says http), and a fresh NetworkContext (so the learned
// correction starts empty) that trusts those CAs and reaches the servers
// through connect-to overrides: the logical origin - hence the group key and
// the TLS server name - stays https://host:443, only the TCP destination
// becomes 127.0.0.1:port. Every other host fails to resolve, so nothing
// outside loopback is contacted.
//
// Steps run in file order at start + at_ms / time_scale on the current
// EventLoop, in real time; steps with the same at_ms run together in one
// turn, before any network event is handled. A navigation step holds the later
// steps until its document commits (they may name it), and a commit that comes
// after the next step's time shifts the rest of the script by the delay, so the
// gaps between later steps stay as written; fetches, preconnects and DNS
// prefetches run concurrently. The pool's idle timeouts are divided by
// time_scale too, so outcomes do not depend on it. After the last step the
// replayer waits for every request, hint and connect job to finish, then
// reads each preconnected socket's outcome, strand marks and diagnostics,
// and stops the servers.
//
// The callback runs once, posted; destroying the replayer cancels it. Many
// replayers may run at once on one loop. Network thread only.
class ScenarioReplayer : public net::SocketPoolObserver {
 public:
  struct Options {
    PreconnectPolicy policy = PreconnectPolicy::kPrewarm;
    // > 0; 10 runs the scenario ten times faster.
    double time_scale = 1.0;
    // When set, the network context lives in the network service behind
    // this client (prewarm_shell replay --via-ipc) instead of in-process;
    // the report is the same. Not owned; must outlive the replayer.
    NetworkServiceClient* service = nullptr;
    // How later requests are matched against preloads.
    PreloadRuleSet preload_rules = PreloadRuleSet::kPrewarm;
  };
  // OK and the report in report(), or an error code and message (a server
  // or the network context could not start).
  using DoneCallback =
      absl::AnyInvocable<void(int error, const std::string& message) &&>;

  ScenarioReplayer(scenario::Scenario scenario, Options options);
  ScenarioReplayer(const ScenarioReplayer&) = delete;
  ScenarioReplayer& operator=(const ScenarioReplayer&) = delete;
  ~ScenarioReplayer() override;

  void Start(DoneCallback callback);

  // Valid once the callback ran with OK.
  const report::Report& report() const { return report_; }
  // Requests that failed (the report has no place for errors), one line
  // each; empty when every request got a response.
  const std::vector<std::string>& warnings() const { return warnings_; }
  // How many requests the local origins answered, by URL spec: what the
  // browser would have downloaded.
  const absl::flat_hash_map<std::string, int>& requests_served() const {
    return *requests_served_;
  }

  // net::SocketPoolObserver:
  void OnPreconnectSocketOutcome(uint64_t preconnect_id,
                                 const net::GroupId& group_id,
                                 net::PreconnectOutcome outcome,
                                 int error) override;
  void OnPreconnectSocketStranded(
      uint64_t preconnect_id,
      const net::GroupId& preconnect_group_id,
      const net::GroupId& request_group_id,
      const net::GroupId::KeyDifference& difference) override;
  void OnPreconnectSocketLateBound(uint64_t preconnect_id,
                                   const net::GroupId& preconnect_group_id,
                                   const net::GroupId& bound_group_id) override;

 private:
  struct PreconnectStep {
    uint32_t step = 0;
    std::string url;
    PreconnectResult result;
  };
  struct RequestStep {
    uint32_t step = 0;
    std::string url;
    bool main_frame_navigation = false;
    std::string destination;
    FetchResult result;
  };

  int StartServers(std::string* connect_to,
                   std::string* trusted_roots,
                   std::string* message);
  void OnContextCreated(int error,
                        const std::string& message,
                        std::unique_ptr<NetworkContextInterface> context);
  void ScheduleNextStep();
  // Runs the next step and every later one with the same at_ms.
  void RunStep();
  void DispatchStep();
  void OnRequestDone(size_t index, FetchResult result);
  void OnHintDone();
  // Finishes once nothing is in flight; otherwise checks again shortly.
  void MaybeFinish();
  void OnPoolState(PoolStateSnapshot state);
  void BuildReport();
  void Finish(int error, std::string message);
  absl::Time StepTime(size_t index) const;

  const scenario::Scenario scenario_;
  const Options options_;
  DoneCallback callback_;

  std::vector<std::unique_ptr<net::test_server::EmbeddedTestServer>> servers_;
  std::unique_ptr<NetworkContextInterface> context_;

  absl::Time start_time_;
  size_t next_step_ = 0;
  bool navigation_pending_ = false;
  int pending_ = 0;
  net::OneShotTimer step_timer_;
  net::OneShotTimer finish_timer_;

  std::vector<PreconnectStep> preconnects_;
  std::vector<RequestStep> requests_;
  std::vector<PreloadStepRecord> preloads_;
  // When each document's load event ran.
  absl::flat_hash_map<std::string, absl::Time> load_events_;
  // Shared with the servers' handlers, which may outlive nothing but are
  // simplest to keep pointing at one place.
  std::shared_ptr<absl::flat_hash_map<std::string, int>> requests_served_ =
      std::make_shared<absl::flat_hash_map<std::string, int>>();
  // Final outcomes and strand marks by preconnected-socket id.
  absl::flat_hash_map<uint64_t, net::PreconnectOutcome> outcomes_;
  absl::flat_hash_map<uint64_t, net::GroupId> strands_;
  // Late-bound sockets: the group of the request that took each.
  absl::flat_hash_map<uint64_t, net::GroupId> late_bound_;
  bool collected_ = false;
  // A GetPoolState for MaybeFinish is on its way.
  bool checking_pool_ = false;

  report::Report report_;
  std::vector<std::string> warnings_;
  net::WeakPtrFactory<ScenarioReplayer> weak_factory_{this};
};

}  // namespace prewarm

#endif  // HOST_SCENARIO_REPLAYER_H_
