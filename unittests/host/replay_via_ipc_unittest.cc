// The replay with its network context behind IPC (prewarm_shell replay
// --via-ipc) against the in-process replay: the reports must be identical
// but for the measured times.

#include <sys/socket.h>

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "host/scenario_replayer.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "proto/report.pb.h"
#include "proto/scenario_loader.h"
#include "service/network_service.h"
#include "service/network_service_client.h"

namespace prewarm {
namespace {

const std::string kCorpus =
    std::string(PREWARM_SOURCE_ROOT) + "/unittests/data/scenarios";

// Fast, yet with scaled gaps far above a loopback TLS handshake (as the
// corpus test).
constexpr double kTimeScale = 4.0;

// The report without what the clock decides.
report::Report WithoutTimes(report::Report report) {
  for (report::RequestRecord& request : *report.mutable_requests()) {
    request.clear_connect_ms();
    request.clear_total_ms();
  }
  return report;
}

class ReplayViaIpcTest : public testing::TestWithParam<const char*> {
 protected:
  report::Report Replay(const scenario::Scenario& scenario,
                        PreconnectPolicy policy,
                        NetworkServiceClient* service) {
    ScenarioReplayer replayer(scenario, {policy, kTimeScale, service});
    int error = net::ERR_IO_PENDING;
    std::string message;
    net::RunLoop run_loop;
    replayer.Start([&](int result, const std::string& text) {
      error = result;
      message = text;
      run_loop.Quit();
    });
    EXPECT_TRUE(run_loop.RunWithTimeout(absl::Seconds(60)));
    EXPECT_EQ(net::OK, error) << message;
    EXPECT_TRUE(replayer.warnings().empty());
    return WithoutTimes(replayer.report());
  }

  net::EventLoop loop_;
};

TEST_P(ReplayViaIpcTest, ReportsMatchTheInProcessReplay) {
  ScenarioLoader::Result loaded =
      ScenarioLoader::LoadFile(kCorpus + "/" + GetParam());
  ASSERT_TRUE(loaded.ok()) << loaded.error_message;

  NetworkService service;
  int fds[2];
  ASSERT_EQ(0, ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds));
  service.AddClient(fds[0]);
  NetworkServiceClient client(fds[1]);

  for (PreconnectPolicy policy : kAllPreconnectPolicies) {
    SCOPED_TRACE(PreconnectPolicyToString(policy));
    report::Report in_process = Replay(loaded.scenario, policy, nullptr);
    report::Report via_ipc = Replay(loaded.scenario, policy, &client);
    EXPECT_EQ(in_process.SerializeAsString(), via_ipc.SerializeAsString())
        << "in-process:\n"
        << in_process.DebugString() << "via IPC:\n"
        << via_ipc.DebugString();
    EXPECT_GT(in_process.requests_size(), 0);
  }
  // Every replay destroyed its context in the service (the last
  // DestroyNetworkContext may still be on its way).
  for (int i = 0; i < 1000 && service.context_count() > 0; ++i) {
    net::RunLoop run_loop;
    loop_.PostDelayedTask(run_loop.QuitClosure(), absl::Milliseconds(1));
    run_loop.Run();
  }
  EXPECT_EQ(0u, service.context_count());
}

// Strands with their diagnostics, learned corrections, idle expiry,
// eviction and cookie exceptions: every field the report takes from the
// service's replies and events.
INSTANTIATE_TEST_SUITE_P(
    Corpus,
    ReplayViaIpcTest,
    testing::Values("fonts-crossorigin.textproto",
                    "learned-correction-navigation.textproto",
                    "unused-expiry.textproto",
                    "eviction-at-manager-limit.textproto",
                    "cookie-exception-top-level-site.textproto",
                    "invalid-hints.textproto"));

}  // namespace
}  // namespace prewarm
