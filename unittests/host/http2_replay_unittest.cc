// The replay with pool_config { http2: true }: the local origins offer h2,
// requests say which protocol and connection carried them, and concurrent
// requests of one group share one connection.

#include <set>

#include <string>

#include "gtest/gtest.h"
#include "host/scenario_replayer.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "proto/report.pb.h"
#include "proto/scenario_loader.h"

namespace prewarm {
namespace {

constexpr char kScenario[] = R"pb(
  name: "h2-multiplexing"
  steps {
    at_ms: 0
    navigate { document: "main" url: "https://news.example/" }
  }
  steps {
    at_ms: 50
    preconnect { document: "main" url: "https://cdn.example" }
  }
  steps {
    at_ms: 400
    fetch {
      document: "main"
      url: "https://cdn.example/a.js"
      mode: NO_CORS
      credentials: INCLUDE
      destination: "script"
    }
  }
  steps {
    at_ms: 400
    fetch {
      document: "main"
      url: "https://cdn.example/b.js"
      mode: NO_CORS
      credentials: INCLUDE
      destination: "script"
    }
  }
  steps {
    at_ms: 400
    fetch {
      document: "main"
      url: "https://cdn.example/c.js"
      mode: NO_CORS
      credentials: INCLUDE
      destination: "script"
    }
  }
)pb";

report::Report Replay(bool http2) {
  std::string text = kScenario;
  if (http2)
    text += "pool_config { http2: true }\n";
  ScenarioLoader::Result loaded =
      ScenarioLoader::ParseTextProto(text, "h2-multiplexing");
  EXPECT_TRUE(loaded.ok()) << loaded.error_message;
  ScenarioReplayer replayer(loaded.scenario,
                            {PreconnectPolicy::kPrewarm, 4.0, nullptr});
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
  return replayer.report();
}

TEST(Http2ReplayTest, ConcurrentFetchesOfOneGroupShareTheH2Connection) {
  net::EventLoop loop;
  report::Report report = Replay(/*http2=*/true);
  ASSERT_EQ(4, report.requests_size());
  std::set<uint32_t> fetch_connections;
  std::multiset<int> fetch_sockets;
  for (const report::RequestRecord& request : report.requests()) {
    EXPECT_EQ("h2", request.protocol()) << request.url();
    EXPECT_NE(0u, request.connection()) << request.url();
    if (request.step() == 1) {
      // Numbered in order of first use: the navigation's is 1.
      EXPECT_EQ(1u, request.connection());
    } else {
      fetch_connections.insert(request.connection());
      fetch_sockets.insert(request.socket());
    }
  }
  EXPECT_EQ(std::set<uint32_t>{2}, fetch_connections) << report.DebugString();
  // One took the preconnected connection; the others joined its session.
  EXPECT_EQ((std::multiset<int>{report::RequestRecord::PRECONNECTED,
                                report::RequestRecord::REUSED,
                                report::RequestRecord::REUSED}),
            fetch_sockets)
      << report.DebugString();
}

TEST(Http2ReplayTest, WithoutHttp2TheOriginsSpeakHttp11) {
  net::EventLoop loop;
  report::Report report = Replay(/*http2=*/false);
  ASSERT_EQ(4, report.requests_size());
  for (const report::RequestRecord& request : report.requests()) {
    EXPECT_EQ("http/1.1", request.protocol()) << request.url();
    EXPECT_NE(0u, request.connection()) << request.url();
  }
}

}  // namespace
}  // namespace prewarm
