#include "service/network_context.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "socket_pool/socket_pool_manager.h"

namespace prewarm {
namespace {

using net::test_server::EmbeddedTestServer;
using net::test_server::HttpRequest;
using net::test_server::HttpResponse;

// Counts what the context fans out to its observers.
class CountingObserver : public net::SocketPoolObserver {
 public:
  void OnSocketHandedOut(const net::GroupId& group_id,
                         net::ClientSocketHandle::ReuseType reuse_type,
                         uint64_t preconnect_id) override {
    ++handed_out;
    if (preconnect_id != 0)
      preconnected_ids.push_back(preconnect_id);
  }
  void OnPreconnectSocketStranded(
      uint64_t preconnect_id,
      const net::GroupId& preconnect_group_id,
      const net::GroupId& request_group_id,
      const net::GroupId::KeyDifference& difference) override {
    stranded_ids.push_back(preconnect_id);
  }

  int handed_out = 0;
  std::vector<uint64_t> preconnected_ids;
  std::vector<uint64_t> stranded_ids;
};

// One HTTPS EmbeddedTestServer answers for every host of the tests: the
// context's connect-to overrides send news.example, cdn.example and
// blog.example (port 443) to it, so origins, group keys and TLS server names
// stay the logical ones.
class NetworkContextTest : public testing::Test {
 protected:
  NetworkContextTest() : server_(EmbeddedTestServer::Type::kHttps) {
    server_.RegisterRequestHandler(
        [](const HttpRequest& request) -> std::optional<HttpResponse> {
          HttpResponse response;
          response.set_content(
              absl::StrCat("hello ", request.sni_host, request.relative_url));
          response.AddCustomHeader("X-Served-By", "embedded");
          return response;
        });
    EXPECT_EQ(net::OK, server_.Start());
  }

  ~NetworkContextTest() override {
    if (context_)
      context_->RemoveSocketPoolObserver(&observer_);
  }

  void CreateContext(const CookieSettings& cookies = CookieSettings(),
                     const std::string& dns_servers = "") {
    NetworkContextParams params;
    params.cookie_settings = cookies;
    params.dns_servers = dns_servers;
    params.trusted_root_certificates_pem = server_.root_certificate_pem();
    std::string port = absl::StrCat(server_.port());
    for (const char* host : {"news.example", "cdn.example", "blog.example"}) {
      absl::StrAppend(&params.connect_to, params.connect_to.empty() ? "" : ",",
                      host, ":443:127.0.0.1:", port);
    }
    int error = net::ERR_FAILED;
    std::string message;
    context_ = NetworkContext::Create(params, &error, &message);
    ASSERT_TRUE(context_) << message;
    context_->AddSocketPoolObserver(&observer_);
  }

  FetchResult Navigate(const std::string& document,
                       const std::string& url,
                       const std::string& parent = "") {
    FetchResult out;
    net::RunLoop run_loop;
    context_->Navigate({document, url, parent}, [&](FetchResult result) {
      out = std::move(result);
      run_loop.Quit();
    });
    run_loop.Run();
    return out;
  }

  FetchResult Fetch(const std::string& document,
                    const std::string& url,
                    CredentialsMode credentials = CredentialsMode::kInclude) {
    FetchResult out;
    net::RunLoop run_loop;
    context_->Fetch({document, url, RequestMode::kNoCors, credentials, ""},
                    [&](FetchResult result) {
                      out = std::move(result);
                      run_loop.Quit();
                    });
    run_loop.Run();
    return out;
  }

  PreconnectResult Preconnect(const PreconnectRequest& request) {
    PreconnectResult out;
    net::RunLoop run_loop;
    context_->Preconnect(request, [&](const PreconnectResult& result) {
      out = result;
      run_loop.Quit();
    });
    run_loop.Run();
    return out;
  }

  // Spins the loop until `done` holds; the socket work it waits for is real.
  void RunUntil(const std::function<bool()>& done) {
    while (!done()) {
      net::RunLoop run_loop;
      net::EventLoop::Current()->PostDelayedTask(run_loop.QuitClosure(),
                                                 absl::Milliseconds(1));
      run_loop.Run();
    }
  }

  net::EventLoop loop_;
  EmbeddedTestServer server_;
  CountingObserver observer_;
  std::unique_ptr<NetworkContext> context_;
};

TEST_F(NetworkContextTest, NavigationFetchesOverTlsThenCommitsTheDocument) {
  CreateContext();
  FetchResult result = Navigate("main", "https://news.example/");
  ASSERT_EQ(net::OK, result.error) << result.error_message;
  EXPECT_EQ(200, result.status_code);
  EXPECT_EQ("hello news.example/", result.body);
  EXPECT_EQ(SocketReuse::kNew, result.socket_reuse);
  EXPECT_EQ("https://news.example:443 <https://news.example same_site>",
            result.group_id.ToString());
  EXPECT_NE(absl::InfinitePast(), result.load_timing.connect_timing.ssl_end);
  EXPECT_EQ("OK", result.status_text);
  EXPECT_EQ("HTTP/1.1", result.http_version);
  EXPECT_EQ("127.0.0.1", result.server_ip);
  EXPECT_NE(0u, result.socket_log_id);
  ASSERT_FALSE(result.request_headers.empty());
  EXPECT_EQ("Host", result.request_headers[0].first);
  EXPECT_EQ(std::make_pair(std::string("User-Agent"), std::string("prewarm")),
            result.request_headers.back());
  ASSERT_NE(nullptr, context_->documents().Find("main"));
  EXPECT_EQ("https://news.example/",
            context_->documents().Find("main")->url().spec());
}

TEST_F(NetworkContextTest, SecondRequestToTheSameGroupReusesTheSocket) {
  CreateContext();
  ASSERT_EQ(net::OK, Navigate("main", "https://news.example/").error);
  FetchResult result = Fetch("main", "https://news.example/app.js");
  ASSERT_EQ(net::OK, result.error) << result.error_message;
  EXPECT_EQ(SocketReuse::kReused, result.socket_reuse);
  bool found_header = false;
  for (const auto& [name, value] : result.headers)
    found_header |= name == "X-Served-By" && value == "embedded";
  EXPECT_TRUE(found_header);
  EXPECT_EQ(1, server_.num_accepted_connections());
  EXPECT_EQ(1, context_->pool().IdleSocketCount());
}

TEST_F(NetworkContextTest, PreconnectThenFetchUsesThePreconnectedSocket) {
  CreateContext();
  ASSERT_TRUE(
      context_->CommitNavigation("main", "https://news.example/", "").ok());
  PreconnectResult preconnect =
      Preconnect({"main", "https://cdn.example", CrossOriginAttribute::kAbsent,
                  PreconnectPurpose::kUnknown, 1});
  ASSERT_EQ(net::OK, preconnect.error) << preconnect.diagnostic;
  ASSERT_EQ(1u, preconnect.preconnect_ids.size());
  EXPECT_EQ(PreconnectPurpose::kSubresource, preconnect.target.purpose);
  EXPECT_EQ(PurposeSource::kLoadPhase, preconnect.target.purpose_source);
  RunUntil([&] { return context_->pool().IdleSocketCount() == 1; });

  FetchResult result = Fetch("main", "https://cdn.example/lib.js");
  ASSERT_EQ(net::OK, result.error) << result.error_message;
  EXPECT_EQ(SocketReuse::kPreconnected, result.socket_reuse);
  EXPECT_EQ(preconnect.preconnect_ids[0], result.preconnect_id);
  EXPECT_EQ(preconnect.group_id, result.group_id);
  // The connect time was paid by the preconnect.
  EXPECT_EQ(absl::InfinitePast(),
            result.load_timing.connect_timing.connect_start);
  EXPECT_TRUE(result.load_timing.socket_reused);
  EXPECT_EQ(std::vector<uint64_t>{preconnect.preconnect_ids[0]},
            observer_.preconnected_ids);
  EXPECT_EQ(1, server_.num_accepted_connections());
}

TEST_F(NetworkContextTest,
       ThirdPartyCookiesBlockedPutsPreconnectAndFetchInPartitionedGroup) {
  CookieSettings cookies;
  cookies.set_block_third_party_cookies(true);
  CreateContext(cookies);
  ASSERT_TRUE(
      context_->CommitNavigation("main", "https://news.example/", "").ok());
  PreconnectResult preconnect =
      Preconnect({"main", "https://cdn.example", CrossOriginAttribute::kAbsent,
                  PreconnectPurpose::kSubresource, 1});
  ASSERT_EQ(net::OK, preconnect.error) << preconnect.diagnostic;
  EXPECT_EQ(net::PrivacyMode::kEnabledPartitionedStateAllowed,
            preconnect.group_id.privacy_mode());
  RunUntil([&] { return context_->pool().IdleSocketCount() == 1; });

  FetchResult result = Fetch("main", "https://cdn.example/font.woff2");
  ASSERT_EQ(net::OK, result.error) << result.error_message;
  EXPECT_EQ(net::PrivacyMode::kEnabledPartitionedStateAllowed,
            result.group_id.privacy_mode());
  EXPECT_EQ(CookieDecision::kPartitionedOnly, result.partition.cookie_decision);
  EXPECT_EQ(SocketReuse::kPreconnected, result.socket_reuse);
  EXPECT_TRUE(observer_.stranded_ids.empty());
}

TEST_F(NetworkContextTest, ChangedCookieSettingsStrandTheEarlierPreconnect) {
  CreateContext();
  ASSERT_TRUE(
      context_->CommitNavigation("main", "https://news.example/", "").ok());
  PreconnectResult preconnect =
      Preconnect({"main", "https://cdn.example", CrossOriginAttribute::kAbsent,
                  PreconnectPurpose::kSubresource, 1});
  ASSERT_EQ(1u, preconnect.preconnect_ids.size());
  EXPECT_EQ(net::PrivacyMode::kDisabled, preconnect.group_id.privacy_mode());
  RunUntil([&] { return context_->pool().IdleSocketCount() == 1; });

  CookieSettings cookies;
  cookies.set_block_third_party_cookies(true);
  context_->SetCookieSettings(cookies);
  FetchResult result = Fetch("main", "https://cdn.example/lib.js");
  ASSERT_EQ(net::OK, result.error) << result.error_message;
  EXPECT_EQ(SocketReuse::kNew, result.socket_reuse);
  EXPECT_EQ(std::vector<uint64_t>{preconnect.preconnect_ids[0]},
            observer_.stranded_ids);
}

TEST_F(NetworkContextTest, RequestsFromAnUnknownDocumentAreRefused) {
  CreateContext();
  FetchResult result = Fetch("nobody", "https://news.example/");
  EXPECT_EQ(net::ERR_UNKNOWN_DOCUMENT, result.error);
  EXPECT_NE(std::string::npos, result.error_message.find("nobody"));

  PreconnectResult preconnect = Preconnect({"nobody", "https://cdn.example",
                                            CrossOriginAttribute::kAbsent,
                                            PreconnectPurpose::kUnknown, 1});
  EXPECT_EQ(net::ERR_UNKNOWN_DOCUMENT, preconnect.error);
  EXPECT_TRUE(preconnect.target.ignored());
  EXPECT_FALSE(preconnect.diagnostic.empty());
  EXPECT_TRUE(preconnect.preconnect_ids.empty());
  EXPECT_EQ(0, server_.num_accepted_connections());
}

TEST_F(NetworkContextTest, InvalidPreconnectUrlIsIgnoredWithADiagnostic) {
  CreateContext();
  ASSERT_TRUE(
      context_->CommitNavigation("main", "https://news.example/", "").ok());
  PreconnectResult preconnect =
      Preconnect({"main", "ftp://files.example/", CrossOriginAttribute::kAbsent,
                  PreconnectPurpose::kUnknown, 1});
  EXPECT_EQ(net::ERR_DISALLOWED_URL_SCHEME, preconnect.error);
  EXPECT_FALSE(preconnect.diagnostic.empty());
  EXPECT_EQ(0, context_->pool().ConnectingSocketCount());
}

TEST_F(NetworkContextTest, MainFrameNavigationEndsThePreviousDocumentTree) {
  CreateContext();
  ASSERT_EQ(net::OK, Navigate("main", "https://news.example/").error);
  FetchResult frame = Navigate("frame", "https://cdn.example/widget", "main");
  ASSERT_EQ(net::OK, frame.error) << frame.error_message;
  // A cross-site subframe: NAK(news.example, cross-site).
  EXPECT_EQ("https://cdn.example:443 <https://news.example cross_site>",
            frame.group_id.ToString());
  EXPECT_EQ(2u, context_->documents().size());

  ASSERT_EQ(net::OK, Navigate("next", "https://blog.example/").error);
  EXPECT_EQ(1u, context_->documents().size());
  EXPECT_EQ(nullptr, context_->documents().Find("main"));
  EXPECT_EQ(nullptr, context_->documents().Find("frame"));
  EXPECT_EQ(net::ERR_UNKNOWN_DOCUMENT,
            Fetch("main", "https://news.example/late.js").error);
}

TEST_F(NetworkContextTest, SubframeNavigationIntoAnUnknownParentFails) {
  CreateContext();
  FetchResult result = Navigate("frame", "https://cdn.example/", "missing");
  EXPECT_EQ(net::ERR_UNKNOWN_DOCUMENT, result.error);
  EXPECT_EQ(0u, context_->documents().size());
}

TEST_F(NetworkContextTest, RealRequestsTeachTheLearnedCorrection) {
  CreateContext();
  ASSERT_EQ(net::OK, Navigate("main", "https://news.example/").error);
  EXPECT_EQ(0u, context_->learned_corrections().size());
  ASSERT_EQ(net::OK, Fetch("main", "https://cdn.example/a.js").error);
  // (news.example, cdn.example) from the fetch is only noted: the page view
  // learns for later page views (section 7 amendment)...
  EXPECT_EQ(0u, context_->learned_corrections().size());
  EXPECT_EQ(1u, context_->learned_corrections().pending_count());
  // ...and when it ends, that and (news.example, blog.example) from the
  // navigation leaving the page become corrections.
  ASSERT_EQ(net::OK, Navigate("next", "https://blog.example/").error);
  EXPECT_EQ(2u, context_->learned_corrections().size());
  EXPECT_EQ(0u, context_->learned_corrections().pending_count());
}

TEST_F(NetworkContextTest, DnsPrefetchResolvesValidHostsAndRejectsOthers) {
  CreateContext();
  ASSERT_TRUE(
      context_->CommitNavigation("main", "https://news.example/", "").ok());
  std::vector<int> errors;
  net::RunLoop run_loop;
  auto record = [&](int error, const std::string&) {
    errors.push_back(error);
    if (errors.size() == 2)
      run_loop.Quit();
  };
  context_->DnsPrefetch("main", "https://cdn.example/", record);
  context_->DnsPrefetch("main", "ftp://files.example/", record);
  run_loop.Run();
  std::sort(errors.begin(), errors.end());
  EXPECT_EQ((std::vector<int>{net::ERR_DISALLOWED_URL_SCHEME, net::OK}),
            errors);
  // A DNS prefetch opens no socket.
  EXPECT_EQ(0, context_->pool().ConnectingSocketCount());
  EXPECT_EQ(0, server_.num_accepted_connections());
}

// A DNS server that never answers keeps resolutions in flight: the manager
// runs three at a time, queues the rest, and ends them all when their
// document goes away.
TEST_F(NetworkContextTest, HintsBeyondThreeResolutionsQueueAndEndWithTheDoc) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(0,
            bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)));
  socklen_t length = sizeof(address);
  ASSERT_EQ(0, getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length));
  CreateContext(CookieSettings(),
                absl::StrCat("127.0.0.1:", ntohs(address.sin_port)));
  ASSERT_TRUE(
      context_->CommitNavigation("main", "https://news.example/", "").ok());

  std::vector<PreconnectResult> results;
  int prefetch_error = net::OK;
  for (int i = 0; i < 4; ++i) {
    context_->Preconnect(
        {"main", absl::StrCat("https://silent", i, ".example"),
         CrossOriginAttribute::kAbsent, PreconnectPurpose::kUnknown, 1},
        [&](const PreconnectResult& result) { results.push_back(result); });
  }
  context_->DnsPrefetch(
      "main", "https://silent-dns.example",
      [&](int error, const std::string&) { prefetch_error = error; });
  EXPECT_EQ(3u, context_->preconnect_manager().in_flight_count());
  EXPECT_EQ(2u, context_->preconnect_manager().queued_count());

  ASSERT_TRUE(context_->RemoveDocument("main").ok());
  EXPECT_EQ(0u, context_->preconnect_manager().in_flight_count());
  EXPECT_EQ(0u, context_->preconnect_manager().queued_count());
  RunUntil([&] { return results.size() == 4 && prefetch_error != net::OK; });
  for (const PreconnectResult& result : results) {
    EXPECT_EQ(net::ERR_ABORTED, result.error);
    EXPECT_NE(std::string::npos, result.diagnostic.find("went away"));
    EXPECT_TRUE(result.preconnect_ids.empty());
  }
  EXPECT_EQ(net::ERR_ABORTED, prefetch_error);
  EXPECT_EQ(0, context_->pool().ConnectingSocketCount());
  close(fd);
}

TEST_F(NetworkContextTest, CloseIdleSocketsAndPoolStateDump) {
  CreateContext();
  ASSERT_EQ(net::OK, Navigate("main", "https://news.example/").error);
  EXPECT_EQ(1, context_->pool().IdleSocketCount());
  EXPECT_NE(std::string::npos,
            context_->GetPoolStateJson().find("news.example"));
  context_->CloseIdleSockets();
  EXPECT_EQ(0, context_->pool().IdleSocketCount());
  FetchResult result = Fetch("main", "https://news.example/after-close");
  ASSERT_EQ(net::OK, result.error);
  EXPECT_EQ(SocketReuse::kNew, result.socket_reuse);
}

TEST_F(NetworkContextTest, BadConnectToOverrideIsAConfigurationError) {
  NetworkContextParams params;
  params.connect_to = "not a rule";
  int error = net::OK;
  std::string message;
  EXPECT_EQ(nullptr, NetworkContext::Create(params, &error, &message));
  EXPECT_EQ(net::ERR_INVALID_HOST_RESOLVER_RULE, error);
  EXPECT_FALSE(message.empty());

  params.connect_to.clear();
  params.pool_config.max_sockets_per_group = 0;
  EXPECT_EQ(nullptr, NetworkContext::Create(params, &error, &message));
  EXPECT_EQ(net::ERR_INVALID_ARGUMENT, error);
}

}  // namespace
}  // namespace prewarm
