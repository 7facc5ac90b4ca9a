#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "net/base/ip_address.h"
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

// HTTP/2 end to end through the NetworkContext: real TLS, real nghttp2 on
// both sides. `server_` (127.0.0.1) answers news.example, cdn.example and
// blog.example through connect-to overrides; its leaves name news.example and
// cdn.example (not blog.example), so IP pooling between the first two is
// allowed by the certificate. `other_server_` listens on 127.0.0.2 for the
// different-address case. Responses say which TLS name the connection had.
class NetworkContextHttp2Test : public testing::Test {
 protected:
  NetworkContextHttp2Test()
      : server_(EmbeddedTestServer::Type::kHttps),
        other_server_(EmbeddedTestServer::Type::kHttps) {}

  void StartServers(const Http2ServerConfig& config = Http2ServerConfig()) {
    for (EmbeddedTestServer* server : {&server_, &other_server_}) {
      server->EnableHttp2(config);
      server->SetAdditionalCertificateNames({"news.example", "cdn.example"});
      server->RegisterRequestHandler(
          [](const HttpRequest& request) -> std::optional<HttpResponse> {
            HttpResponse response;
            response.set_content(absl::StrCat("hello ", request.sni_host,
                                              request.relative_url, " ",
                                              request.protocol));
            if (request.relative_url.rfind("/slow", 0) == 0)
              response.set_delay(absl::Milliseconds(20));
            return response;
          });
    }
    ASSERT_EQ(net::OK, server_.Start());
    ASSERT_EQ(net::OK, other_server_.Start(net::IPAddress(127, 0, 0, 2)));
  }

  // `cdn_on_other_address` sends cdn.example to other_server_ instead.
  void CreateContext(bool cdn_on_other_address = false) {
    NetworkContextParams params;
    params.trusted_root_certificates_pem =
        server_.root_certificate_pem() + other_server_.root_certificate_pem();
    const std::string main = absl::StrCat(":443:127.0.0.1:", server_.port());
    const std::string other =
        absl::StrCat(":443:127.0.0.2:", other_server_.port());
    params.connect_to =
        absl::StrCat("news.example", main, ",blog.example", main,
                     ",cdn.example", cdn_on_other_address ? other : main);
    int error = net::ERR_FAILED;
    std::string message;
    context_ = NetworkContext::Create(params, &error, &message);
    ASSERT_TRUE(context_) << message;
  }

  net::SocketPoolManager& pool() {
    return const_cast<net::SocketPoolManager&>(context_->pool());
  }
  net::Http2SessionPool& sessions() { return *pool().http2_sessions(); }

  FetchResult Navigate(const std::string& document, const std::string& url) {
    FetchResult out;
    net::RunLoop run_loop;
    context_->Navigate({document, url, ""}, [&](FetchResult result) {
      out = std::move(result);
      run_loop.Quit();
    });
    run_loop.Run();
    return out;
  }

  // Starts every fetch at once and waits for all of them.
  std::vector<FetchResult> FetchAll(
      const std::string& document,
      const std::vector<std::string>& urls,
      CredentialsMode credentials = CredentialsMode::kInclude) {
    std::vector<FetchResult> results(urls.size());
    size_t remaining = urls.size();
    net::RunLoop run_loop;
    for (size_t i = 0; i < urls.size(); ++i) {
      context_->Fetch(
          {document, urls[i], RequestMode::kNoCors, credentials, ""},
          [&, i](FetchResult result) {
            results[i] = std::move(result);
            if (--remaining == 0)
              run_loop.Quit();
          });
    }
    run_loop.Run();
    return results;
  }

  FetchResult Fetch(const std::string& document,
                    const std::string& url,
                    CredentialsMode credentials = CredentialsMode::kInclude) {
    return FetchAll(document, {url}, credentials)[0];
  }

  PreconnectResult Preconnect(const std::string& document,
                              const std::string& url,
                              uint32_t num_sockets) {
    PreconnectResult out;
    net::RunLoop run_loop;
    context_->Preconnect({document, url, CrossOriginAttribute::kAbsent,
                          PreconnectPurpose::kSubresource, num_sockets},
                         [&](const PreconnectResult& result) {
                           out = result;
                           run_loop.Quit();
                         });
    run_loop.Run();
    return out;
  }

  void RunUntil(const std::function<bool()>& done) {
    while (!done()) {
      net::RunLoop run_loop;
      net::EventLoop::Current()->PostDelayedTask(run_loop.QuitClosure(),
                                                 absl::Milliseconds(1));
      run_loop.Run();
    }
  }

  // Learns that news.example speaks h2 (in the main frame's partition), then
  // closes the session, so the next connection starts from the cache alone.
  void LearnNewsSpeaksH2ThenCloseSessions() {
    ASSERT_EQ("h2", Navigate("main", "https://news.example/").protocol);
    context_->CloseIdleSockets();
    RunUntil([&] { return sessions().session_count() == 0; });
  }

  net::EventLoop loop_;
  EmbeddedTestServer server_;
  EmbeddedTestServer other_server_;
  std::unique_ptr<NetworkContext> context_;
};

TEST_F(NetworkContextHttp2Test, RequestsOfOneGroupMultiplexOverOneSession) {
  StartServers();
  CreateContext();
  FetchResult navigation = Navigate("main", "https://news.example/");
  ASSERT_EQ(net::OK, navigation.error) << navigation.error_message;
  EXPECT_EQ("h2", navigation.protocol);
  EXPECT_EQ(SocketReuse::kNew, navigation.socket_reuse);
  EXPECT_NE(0u, navigation.connection_id);
  std::vector<FetchResult> results = FetchAll(
      "main", {"https://news.example/slow1", "https://news.example/slow2",
               "https://news.example/slow3", "https://news.example/slow4"});
  for (const FetchResult& result : results) {
    ASSERT_EQ(net::OK, result.error) << result.error_message;
    EXPECT_EQ("h2", result.protocol);
    EXPECT_EQ(navigation.connection_id, result.connection_id);
    EXPECT_EQ(SocketReuse::kReused, result.socket_reuse);
  }
  EXPECT_EQ("hello news.example/slow1 h2", results[0].body);
  EXPECT_EQ(1, server_.num_accepted_connections());
  EXPECT_EQ(1u, sessions().session_count());
  // The session holds its socket as handed out, in its group.
  EXPECT_EQ(1, pool().HandedOutSocketCount());
  EXPECT_EQ(0, pool().IdleSocketCount());
  EXPECT_NE(std::string::npos,
            context_->GetPoolStateJson().find("\"http2_sessions\""));
}

TEST_F(NetworkContextHttp2Test, HttpOnlyServerStillServesOverHttp11) {
  server_.RegisterRequestHandler(
      [](const HttpRequest& request) -> std::optional<HttpResponse> {
        HttpResponse response;
        response.set_content(request.protocol);
        return response;
      });
  ASSERT_EQ(net::OK, server_.Start());
  ASSERT_EQ(net::OK, other_server_.Start(net::IPAddress(127, 0, 0, 2)));
  CreateContext();
  FetchResult result = Navigate("main", "https://news.example/");
  ASSERT_EQ(net::OK, result.error) << result.error_message;
  EXPECT_EQ("http/1.1", result.protocol);
  EXPECT_EQ("http/1.1", result.body);
  EXPECT_EQ(0u, sessions().session_count());
  EXPECT_EQ(1, pool().IdleSocketCount());
}

TEST_F(NetworkContextHttp2Test, SessionsAreNotSharedAcrossPrivacyModes) {
  StartServers();
  CreateContext();
  ASSERT_EQ(net::OK, Navigate("main", "https://news.example/").error);
  FetchResult credentialed = Fetch("main", "https://news.example/a");
  FetchResult anonymous =
      Fetch("main", "https://news.example/b", CredentialsMode::kOmit);
  ASSERT_EQ(net::OK, anonymous.error) << anonymous.error_message;
  EXPECT_NE(credentialed.group_id.privacy_mode(),
            anonymous.group_id.privacy_mode());
  EXPECT_NE(credentialed.connection_id, anonymous.connection_id);
  EXPECT_EQ(2u, sessions().session_count());
  EXPECT_EQ(2, server_.num_accepted_connections());
}

TEST_F(NetworkContextHttp2Test, SessionsAreNotSharedAcrossTopFrameSites) {
  StartServers();
  CreateContext();
  ASSERT_EQ(net::OK, Navigate("main", "https://news.example/").error);
  FetchResult top = Fetch("main", "https://cdn.example/x");
  ASSERT_EQ(net::OK, Navigate("main", "https://blog.example/").error);
  FetchResult other_site = Fetch("main", "https://cdn.example/x");
  ASSERT_EQ(net::OK, other_site.error) << other_site.error_message;
  EXPECT_NE(top.group_id.network_anonymization_key(),
            other_site.group_id.network_anonymization_key());
  EXPECT_NE(top.connection_id, other_site.connection_id);
  // Whatever carried it (its own session, or blog.example's by IP pooling
  // inside blog.example's partition), it was not news.example's connection.
  EXPECT_NE("hello news.example/x h2", other_site.body);
}

TEST_F(NetworkContextHttp2Test,
       CoalescesOntoAnotherHostsSessionWithSameAddressCertAndPartition) {
  StartServers();
  CreateContext();
  FetchResult news = Navigate("main", "https://news.example/");
  ASSERT_EQ(net::OK, news.error);
  FetchResult cdn = Fetch("main", "https://cdn.example/lib.js");
  ASSERT_EQ(net::OK, cdn.error) << cdn.error_message;
  EXPECT_TRUE(cdn.coalesced);
  EXPECT_EQ(news.connection_id, cdn.connection_id);
  // The request went over news.example's TLS connection.
  EXPECT_EQ("hello news.example/lib.js h2", cdn.body);
  EXPECT_EQ(1, server_.num_accepted_connections());
  EXPECT_EQ("cdn.example", cdn.group_id.destination().host());
}

TEST_F(NetworkContextHttp2Test, NoCoalescingWhenTheCertificateLacksTheHost) {
  StartServers();
  CreateContext();
  FetchResult news = Navigate("main", "https://news.example/");
  ASSERT_EQ(net::OK, news.error);
  FetchResult blog = Fetch("main", "https://blog.example/x");
  ASSERT_EQ(net::OK, blog.error) << blog.error_message;
  EXPECT_FALSE(blog.coalesced);
  EXPECT_NE(news.connection_id, blog.connection_id);
  EXPECT_EQ("hello blog.example/x h2", blog.body);
  EXPECT_EQ(2, server_.num_accepted_connections());
}

TEST_F(NetworkContextHttp2Test, NoCoalescingWhenTheAddressDiffers) {
  StartServers();
  CreateContext(/*cdn_on_other_address=*/true);
  FetchResult news = Navigate("main", "https://news.example/");
  ASSERT_EQ(net::OK, news.error);
  FetchResult cdn = Fetch("main", "https://cdn.example/x");
  ASSERT_EQ(net::OK, cdn.error) << cdn.error_message;
  EXPECT_FALSE(cdn.coalesced);
  EXPECT_NE(news.connection_id, cdn.connection_id);
  EXPECT_EQ(1, other_server_.num_accepted_connections());
}

TEST_F(NetworkContextHttp2Test, NoCoalescingAcrossPrivacyModes) {
  StartServers();
  CreateContext();
  ASSERT_EQ(net::OK, Navigate("main", "https://news.example/").error);
  FetchResult cdn =
      Fetch("main", "https://cdn.example/x", CredentialsMode::kOmit);
  ASSERT_EQ(net::OK, cdn.error) << cdn.error_message;
  EXPECT_FALSE(cdn.coalesced);
  EXPECT_EQ("hello cdn.example/x h2", cdn.body);
  EXPECT_EQ(2, server_.num_accepted_connections());
}

TEST_F(NetworkContextHttp2Test, NoCoalescingAcrossNetworkAnonymizationKeys) {
  StartServers();
  CreateContext();
  ASSERT_EQ(net::OK, Navigate("main", "https://news.example/").error);
  // A cross-site frame of the same page: same top-frame site, other NAK bit.
  ASSERT_TRUE(
      context_->CommitNavigation("frame", "https://blog.example/", "main")
          .ok());
  FetchResult cdn = Fetch("frame", "https://cdn.example/x");
  ASSERT_EQ(net::OK, cdn.error) << cdn.error_message;
  EXPECT_TRUE(cdn.group_id.network_anonymization_key().is_cross_site());
  EXPECT_FALSE(cdn.coalesced);
  EXPECT_EQ("hello cdn.example/x h2", cdn.body);
}

TEST_F(NetworkContextHttp2Test, PreconnectToAKnownH2OriginOpensOneConnection) {
  StartServers();
  CreateContext();
  LearnNewsSpeaksH2ThenCloseSessions();
  PreconnectResult preconnect = Preconnect("main", "https://news.example", 4);
  ASSERT_EQ(net::OK, preconnect.error) << preconnect.diagnostic;
  EXPECT_EQ(1u, preconnect.preconnect_ids.size());
  // With a session up, a preconnect has nothing left to warm.
  FetchResult result = Fetch("main", "https://news.example/x");
  EXPECT_EQ(SocketReuse::kPreconnected, result.socket_reuse);
  EXPECT_EQ(
      0u, Preconnect("main", "https://news.example", 4).preconnect_ids.size());
}

TEST_F(NetworkContextHttp2Test, KnowingAnOriginSpeaksH2StaysInItsPartition) {
  StartServers();
  CreateContext();
  LearnNewsSpeaksH2ThenCloseSessions();
  ASSERT_TRUE(
      context_->CommitNavigation("frame", "https://blog.example/", "main")
          .ok());
  // The frame's partition never saw news.example speak h2: its preconnect
  // is sized as an HTTP/1.1 one.
  PreconnectResult in_frame = Preconnect("frame", "https://news.example", 3);
  ASSERT_EQ(net::OK, in_frame.error) << in_frame.diagnostic;
  EXPECT_EQ(3u, in_frame.preconnect_ids.size());
  EXPECT_TRUE(in_frame.group_id.network_anonymization_key().is_cross_site());
}

TEST_F(NetworkContextHttp2Test, RequestsDuringSetupWaitForTheOneConnection) {
  StartServers();
  CreateContext();
  LearnNewsSpeaksH2ThenCloseSessions();
  const int before = server_.num_accepted_connections();
  std::vector<FetchResult> results =
      FetchAll("main", {"https://news.example/1", "https://news.example/2",
                        "https://news.example/3", "https://news.example/4"});
  std::set<uint64_t> connections;
  for (const FetchResult& result : results) {
    ASSERT_EQ(net::OK, result.error) << result.error_message;
    connections.insert(result.connection_id);
  }
  EXPECT_EQ(1u, connections.size());
  EXPECT_EQ(before + 1, server_.num_accepted_connections());
}

TEST_F(NetworkContextHttp2Test, StreamsRefusedByGoawayAreRetriedElsewhere) {
  Http2ServerConfig config;
  config.goaway_after_requests = 2;
  StartServers(config);
  CreateContext();
  ASSERT_EQ(net::OK, Navigate("main", "https://news.example/").error);
  std::vector<FetchResult> results = FetchAll(
      "main", {"https://news.example/slow1", "https://news.example/slow2",
               "https://news.example/slow3"});
  std::set<uint64_t> connections;
  for (const FetchResult& result : results) {
    ASSERT_EQ(net::OK, result.error) << result.error_message;
    connections.insert(result.connection_id);
  }
  EXPECT_GE(server_.num_accepted_connections(), 2);
  EXPECT_GE(connections.size(), 2u);
}

}  // namespace
}  // namespace prewarm
