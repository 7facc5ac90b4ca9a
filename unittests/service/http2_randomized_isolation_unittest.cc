// Randomized isolation for HTTP/2: random batches of concurrent requests from
// random documents (two top-frame sites, same-site and cross-site frames), to
// hosts that share one server address and (but one) one certificate, with
// and without credentials, while the server limits concurrent streams and
// says GOAWAY now and then and the client closes idle sessions. After every
// batch: no connection ever carried requests of two partitions (NAK and
// privacy mode), a request reached another host's connection only by IP
// pooling the certificate allowed, and one server connection is one client
// connection.

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "service/network_context.h"
#include "socket_pool/http2_session_pool.h"
#include "socket_pool/socket_pool_manager.h"

namespace prewarm {
namespace {

using net::test_server::EmbeddedTestServer;
using net::test_server::Http2ServerConfig;
using net::test_server::HttpRequest;
using net::test_server::HttpResponse;

const char* const kHosts[] = {"news.example", "cdn.example", "blog.example",
                              "solo.example"};
// Every leaf names these besides its own host, so solo.example's leaf covers
// the others but no other leaf covers solo.example.
const std::vector<std::string> kSharedNames = {"news.example", "cdn.example",
                                               "blog.example"};

struct Carried {
  std::string partition;  // NAK + privacy mode + scheme + port
  std::string host;
};

void RunRandomized(uint32_t seed, int batches) {
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  std::mt19937 random(seed);
  net::EventLoop loop;
  EmbeddedTestServer server(EmbeddedTestServer::Type::kHttps);
  Http2ServerConfig config;
  config.max_concurrent_streams = 3;
  config.goaway_after_requests = 9;
  server.EnableHttp2(config);
  server.SetAdditionalCertificateNames(kSharedNames);
  server.RegisterRequestHandler(
      [](const HttpRequest& request) -> std::optional<HttpResponse> {
        HttpResponse response;
        response.set_content(
            absl::StrCat(request.connection_id, " ", request.sni_host));
        return response;
      });
  ASSERT_EQ(net::OK, server.Start());
  NetworkContextParams params;
  params.trusted_root_certificates_pem = server.root_certificate_pem();
  for (const char* host : kHosts) {
    absl::StrAppend(&params.connect_to, params.connect_to.empty() ? "" : ",",
                    host, ":443:127.0.0.1:", server.port());
  }
  int error = net::ERR_FAILED;
  std::string message;
  std::unique_ptr<NetworkContext> context =
      NetworkContext::Create(params, &error, &message);
  ASSERT_TRUE(context) << message;

  std::map<uint64_t, std::vector<Carried>> by_connection;
  std::map<int, std::set<uint64_t>> server_to_client;
  const char* const kTops[] = {"https://news.example/",
                               "https://blog.example/"};
  const char* const kFrames[] = {"https://cdn.example/",
                                 "https://news.example/"};
  auto navigate = [&](const std::string& url) {
    net::RunLoop run_loop;
    context->Navigate({"main", url, ""}, [&](FetchResult) { run_loop.Quit(); });
    run_loop.Run();
    ASSERT_TRUE(
        context->CommitNavigation("frame", kFrames[random() % 2], "main").ok());
  };
  navigate(kTops[0]);
  for (int batch = 0; batch < batches; ++batch) {
    const int action = static_cast<int>(random() % 10);
    if (action == 0) {
      navigate(kTops[random() % 2]);
      continue;
    }
    if (action == 1) {
      context->CloseIdleSockets();
      continue;
    }
    const int count = 1 + static_cast<int>(random() % 4);
    std::vector<FetchResult> results(count);
    int remaining = count;
    net::RunLoop run_loop;
    for (int i = 0; i < count; ++i) {
      const std::string document = random() % 3 == 0 ? "frame" : "main";
      const std::string url =
          absl::StrCat("https://", kHosts[random() % 4], "/r", batch, "-", i);
      const CredentialsMode credentials = random() % 3 == 0
                                              ? CredentialsMode::kOmit
                                              : CredentialsMode::kInclude;
      context->Fetch({document, url, RequestMode::kNoCors, credentials, ""},
                     [&, i](FetchResult result) {
                       results[i] = std::move(result);
                       if (--remaining == 0)
                         run_loop.Quit();
                     });
    }
    run_loop.Run();
    for (const FetchResult& result : results) {
      ASSERT_EQ(net::OK, result.error) << result.error_message;
      ASSERT_EQ("h2", result.protocol);
      const net::GroupId& group = result.group_id;
      by_connection[result.connection_id].push_back(
          {absl::StrCat(group.network_anonymization_key().ToDebugString(), " ",
                        static_cast<int>(group.privacy_mode()), " ",
                        group.scheme(), " ", group.destination().port()),
           group.destination().host()});
      std::vector<std::string> parts = absl::StrSplit(result.body, ' ');
      ASSERT_EQ(2u, parts.size()) << result.body;
      int server_connection = 0;
      ASSERT_TRUE(absl::SimpleAtoi(parts[0], &server_connection));
      server_to_client[server_connection].insert(result.connection_id);
      // The TLS name of the connection is the request's host, or (IP
      // pooling) a host whose certificate also names the request's host:
      // any leaf names the shared hosts, only solo.example's names it.
      if (parts[1] != group.destination().host()) {
        EXPECT_TRUE(result.coalesced);
        EXPECT_NE("solo.example", group.destination().host());
      }
    }
  }
  size_t coalesced_connections = 0;
  for (const auto& [connection, carried] : by_connection) {
    std::set<std::string> hosts;
    for (const Carried& c : carried) {
      EXPECT_EQ(carried[0].partition, c.partition)
          << "connection " << connection << " crossed partitions";
      hosts.insert(c.host);
    }
    coalesced_connections += hosts.size() > 1;
  }
  for (const auto& [server_connection, clients] : server_to_client)
    EXPECT_EQ(1u, clients.size()) << "server connection " << server_connection;
  // The run exercised what it claims to.
  EXPECT_GT(coalesced_connections, 0u);
  EXPECT_GT(by_connection.size(), 4u);
}

TEST(RandomizedHttp2Isolation, SessionsAndStreamsNeverCrossPartitions) {
  for (uint32_t seed : {1u, 2u, 3u})
    RunRandomized(seed, 150);
}

}  // namespace
}  // namespace prewarm
