#include "service/network_service.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/log/net_log_entry.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "service/ipc_server.h"
#include "service/network_service_client.h"
#include "service/remote_network_context.h"
#include "socket_pool/socket_pool_observer.h"

extern char** environ;

namespace prewarm {
namespace {

using net::test_server::EmbeddedTestServer;
using net::test_server::HttpRequest;
using net::test_server::HttpResponse;

// Spins the loop until `done` holds, for at most ten seconds of real time.
bool RunUntil(const std::function<bool()>& done) {
  for (int i = 0; i < 10000 && !done(); ++i) {
    net::RunLoop run_loop;
    net::EventLoop::Current()->PostDelayedTask(run_loop.QuitClosure(),
                                               absl::Milliseconds(1));
    run_loop.Run();
  }
  return done();
}

// Records what a RemoteNetworkContext's event stream delivers.
class RecordingObserver : public net::SocketPoolObserver {
 public:
  void OnPreconnectSocketOutcome(uint64_t preconnect_id,
                                 const net::GroupId& group_id,
                                 net::PreconnectOutcome outcome,
                                 int error) override {
    outcomes.emplace_back(preconnect_id, outcome);
  }
  void OnSocketHandedOut(const net::GroupId& group_id,
                         net::ClientSocketHandle::ReuseType reuse_type,
                         uint64_t preconnect_id) override {
    handed_out.push_back(preconnect_id);
  }
  void OnPreconnectSocketStranded(
      uint64_t preconnect_id,
      const net::GroupId& preconnect_group_id,
      const net::GroupId& request_group_id,
      const net::GroupId::KeyDifference& difference) override {
    stranded.push_back(preconnect_id);
    last_difference = difference;
  }
  void OnPreconnectSocketLateBound(
      uint64_t preconnect_id,
      const net::GroupId& preconnect_group_id,
      const net::GroupId& bound_group_id) override {
    late_bound.emplace_back(preconnect_id, bound_group_id);
  }

  std::vector<std::pair<uint64_t, net::PreconnectOutcome>> outcomes;
  std::vector<uint64_t> handed_out;
  std::vector<uint64_t> stranded;
  std::vector<std::pair<uint64_t, net::GroupId>> late_bound;
  net::GroupId::KeyDifference last_difference;
};

// A test-side end of a socket that writes raw bytes and `Outgoing` frames
// and reads back `Incoming` frames: RawPeer talks to the service as a client
// NetworkServiceClient never would be; FakeService plays the service to a
// NetworkServiceClient.
template <typename Outgoing, typename Incoming>
class RawEnd {
 public:
  explicit RawEnd(int fd) : fd_(fd) {}
  ~RawEnd() { ::close(fd_); }

  static std::string Frame(const Outgoing& message) {
    std::string bytes;
    {
      google::protobuf::io::StringOutputStream out(&bytes);
      EXPECT_TRUE(google::protobuf::util::SerializeDelimitedToZeroCopyStream(
          message, &out));
    }
    return bytes;
  }

  void Write(const std::string& bytes) {
    ASSERT_EQ(static_cast<ssize_t>(bytes.size()),
              ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL));
  }
  void WriteMessage(const Outgoing& message) { Write(Frame(message)); }
  // Writes what the socket takes now; returns how much.
  size_t WriteSome(std::string_view bytes) {
    ssize_t n =
        ::send(fd_, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    return n > 0 ? static_cast<size_t>(n) : 0;
  }

  // Reads until `count` messages arrived or the peer closed the
  // connection; returns what was read.
  std::vector<Incoming> Read(size_t count) {
    RunUntil([&] {
      Drain();
      return messages_.size() >= count || closed_;
    });
    std::vector<Incoming> out;
    out.swap(messages_);
    return out;
  }
  // For a service's messages: reads until the Reply or Error tagged
  // `request_id` arrived or the service closed the connection; returns every
  // message up to and with it (the last one, if it came).
  std::vector<Incoming> ReadThrough(uint32_t request_id) {
    auto answer = [&] {
      return std::find_if(
          messages_.begin(), messages_.end(), [&](const Incoming& message) {
            return message.request_id() == request_id && !message.has_event();
          });
    };
    RunUntil([&] {
      Drain();
      return answer() != messages_.end() || closed_;
    });
    auto end = answer();
    if (end != messages_.end())
      ++end;
    std::vector<Incoming> out(std::make_move_iterator(messages_.begin()),
                              std::make_move_iterator(end));
    messages_.erase(messages_.begin(), end);
    return out;
  }
  // True once the peer closed its end.
  bool WaitForClose() {
    return RunUntil([&] {
      Drain();
      return closed_;
    });
  }

 private:
  void Drain() {
    char buffer[65536];
    for (;;) {
      ssize_t n = ::recv(fd_, buffer, sizeof(buffer), MSG_DONTWAIT);
      if (n > 0) {
        bytes_.append(buffer, static_cast<size_t>(n));
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
        closed_ = true;
      break;
    }
    google::protobuf::io::ArrayInputStream input(
        bytes_.data(), static_cast<int>(bytes_.size()));
    google::protobuf::io::CodedInputStream coded(&input);
    size_t consumed = 0;
    for (;;) {
      Incoming message;
      bool clean_eof = false;
      if (!google::protobuf::util::ParseDelimitedFromCodedStream(
              &message, &coded, &clean_eof)) {
        break;
      }
      consumed = static_cast<size_t>(coded.CurrentPosition());
      messages_.push_back(std::move(message));
    }
    bytes_.erase(0, consumed);
  }

  const int fd_;
  std::string bytes_;
  std::vector<Incoming> messages_;
  bool closed_ = false;
};

using RawPeer = RawEnd<ipc::ClientMessage, ipc::ServiceMessage>;
using FakeService = RawEnd<ipc::ServiceMessage, ipc::ClientMessage>;

// ClientMessages for a RawPeer.
ipc::ClientMessage CreateMessage(uint32_t request_id,
                                 const ipc::NetworkContextParams& params) {
  ipc::ClientMessage message;
  message.set_request_id(request_id);
  *message.mutable_create_network_context()->mutable_params() = params;
  return message;
}

ipc::ClientMessage CommitMessage(uint32_t request_id,
                                 uint32_t context_id,
                                 const std::string& document,
                                 const std::string& url) {
  ipc::ClientMessage message;
  message.set_request_id(request_id);
  ipc::CommitNavigation* call = message.mutable_commit_navigation();
  call->set_context_id(context_id);
  call->set_document_id(document);
  call->set_url(url);
  return message;
}

ipc::ClientMessage FetchMessage(uint32_t request_id,
                                uint32_t context_id,
                                const std::string& document,
                                const std::string& url) {
  ipc::ClientMessage message;
  message.set_request_id(request_id);
  ipc::Fetch* call = message.mutable_fetch();
  call->set_context_id(context_id);
  call->set_document_id(document);
  call->set_url(url);
  return message;
}

ipc::ClientMessage SubscribeMessage(uint32_t request_id,
                                    uint32_t context_id,
                                    bool net_log = false) {
  ipc::ClientMessage message;
  message.set_request_id(request_id);
  if (net_log)
    message.mutable_subscribe_net_log()->set_context_id(context_id);
  else
    message.mutable_subscribe_events()->set_context_id(context_id);
  return message;
}

ipc::ClientMessage UnsubscribeMessage(uint32_t request_id,
                                      uint32_t subscription_id) {
  ipc::ClientMessage message;
  message.set_request_id(request_id);
  message.mutable_unsubscribe()->set_subscription_id(subscription_id);
  return message;
}

ipc::ClientMessage PoolStateMessage(uint32_t request_id, uint32_t context_id) {
  ipc::ClientMessage message;
  message.set_request_id(request_id);
  message.mutable_get_pool_state()->set_context_id(context_id);
  return message;
}

// How many of `messages` are Events tagged `request_id`.
size_t CountEvents(const std::vector<ipc::ServiceMessage>& messages,
                   uint32_t request_id) {
  return static_cast<size_t>(std::count_if(
      messages.begin(), messages.end(),
      [&](const ipc::ServiceMessage& message) {
        return message.has_event() && message.request_id() == request_id;
      }));
}

// How many of `messages` are tagged `request_id`, of any kind.
size_t CountTagged(const std::vector<ipc::ServiceMessage>& messages,
                   uint32_t request_id) {
  return static_cast<size_t>(
      std::count_if(messages.begin(), messages.end(),
                    [&](const ipc::ServiceMessage& message) {
                      return message.request_id() == request_id;
                    }));
}

// The service on the test's loop; clients reach it through real Unix-domain
// socket pairs. One HTTPS EmbeddedTestServer answers for news.example,
// cdn.example and blog.example through each context's connect-to
// overrides; stall.example goes to a second server that accepts and never
// answers.
class NetworkServiceTest : public testing::Test {
 protected:
  NetworkServiceTest() : NetworkServiceTest(NetworkService::Options()) {}
  explicit NetworkServiceTest(const NetworkService::Options& options)
      : server_(EmbeddedTestServer::Type::kHttps),
        stalled_server_(EmbeddedTestServer::Type::kHttps),
        service_(options) {
    server_.RegisterRequestHandler(
        [](const HttpRequest& request) -> std::optional<HttpResponse> {
          HttpResponse response;
          response.set_content(
              absl::StrCat("hello ", request.sni_host, request.relative_url));
          response.AddCustomHeader("X-Served-By", "embedded");
          return response;
        });
    EXPECT_EQ(net::OK, server_.Start());
    stalled_server_.SetStallNewConnections(true);
    EXPECT_EQ(net::OK, stalled_server_.Start());
  }

  std::unique_ptr<NetworkServiceClient> ConnectClient() {
    int fds[2];
    EXPECT_EQ(0, ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds));
    service_.AddClient(fds[0]);
    return std::make_unique<NetworkServiceClient>(fds[1]);
  }

  std::unique_ptr<RawPeer> ConnectRawPeer() {
    int fds[2];
    EXPECT_EQ(0, ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds));
    service_.AddClient(fds[0]);
    return std::make_unique<RawPeer>(fds[1]);
  }

  ipc::NetworkContextParams Params() const {
    ipc::NetworkContextParams params;
    params.set_trusted_root_certificates_pem(
        absl::StrCat(server_.root_certificate_pem(),
                     stalled_server_.root_certificate_pem()));
    std::string connect_to;
    for (const char* host : {"news.example", "cdn.example", "blog.example"}) {
      absl::StrAppend(&connect_to, host, ":443:127.0.0.1:", server_.port(),
                      ",");
    }
    absl::StrAppend(&connect_to,
                    "stall.example:443:127.0.0.1:", stalled_server_.port());
    params.set_connect_to(connect_to);
    return params;
  }

  // CreateNetworkContext, waited for.
  std::unique_ptr<RemoteNetworkContext> CreateContext(
      NetworkServiceClient* client,
      const ipc::NetworkContextParams& params,
      int* error = nullptr,
      std::string* message = nullptr) {
    std::unique_ptr<RemoteNetworkContext> out;
    bool done = false;
    client->CreateNetworkContext(
        params, [&](int rv, const std::string& text,
                    std::unique_ptr<RemoteNetworkContext> context) {
          if (error)
            *error = rv;
          if (message)
            *message = text;
          out = std::move(context);
          done = true;
        });
    EXPECT_TRUE(RunUntil([&] { return done; }));
    return out;
  }

  FetchResult Navigate(RemoteNetworkContext* context,
                       const std::string& document,
                       const std::string& url,
                       const std::string& parent = "") {
    std::optional<FetchResult> out;
    context->Navigate({document, url, parent},
                      [&](FetchResult result) { out = std::move(result); });
    EXPECT_TRUE(RunUntil([&] { return out.has_value(); }));
    return out.value_or(FetchResult());
  }

  FetchResult Fetch(RemoteNetworkContext* context,
                    const std::string& document,
                    const std::string& url,
                    CredentialsMode credentials = CredentialsMode::kInclude) {
    std::optional<FetchResult> out;
    context->Fetch({document, url, RequestMode::kNoCors, credentials, ""},
                   [&](FetchResult result) { out = std::move(result); });
    EXPECT_TRUE(RunUntil([&] { return out.has_value(); }));
    return out.value_or(FetchResult());
  }

  PreconnectResult Preconnect(RemoteNetworkContext* context,
                              const PreconnectRequest& request) {
    std::optional<PreconnectResult> out;
    context->Preconnect(request,
                        [&](const PreconnectResult& result) { out = result; });
    EXPECT_TRUE(RunUntil([&] { return out.has_value(); }));
    return out.value_or(PreconnectResult());
  }

  DocumentRegistry::Result Commit(RemoteNetworkContext* context,
                                  const std::string& document,
                                  const std::string& url,
                                  const std::string& parent = "") {
    std::optional<DocumentRegistry::Result> out;
    context->CommitNavigation(
        document, url, parent,
        [&](const DocumentRegistry::Result& result) { out = result; });
    EXPECT_TRUE(RunUntil([&] { return out.has_value(); }));
    return out.value_or(DocumentRegistry::Result{net::ERR_FAILED, "no reply"});
  }

  PoolStateSnapshot PoolState(RemoteNetworkContext* context) {
    std::optional<PoolStateSnapshot> out;
    context->GetPoolState([&](PoolStateSnapshot state) { out = state; });
    EXPECT_TRUE(RunUntil([&] { return out.has_value(); }));
    return out.value_or(PoolStateSnapshot());
  }

  // One raw call through `client`, waited for.
  ipc::ServiceMessage Call(NetworkServiceClient* client,
                           ipc::ClientMessage message) {
    std::optional<ipc::ServiceMessage> out;
    client->Call(std::move(message),
                 [&](const ipc::ServiceMessage& reply) { out = reply; });
    EXPECT_TRUE(RunUntil([&] { return out.has_value(); }));
    return out.value_or(ipc::ServiceMessage());
  }

  ipc::ServiceMessage CreateRaw(NetworkServiceClient* client,
                                const ipc::NetworkContextParams& params) {
    ipc::ClientMessage message;
    *message.mutable_create_network_context()->mutable_params() = params;
    return Call(client, std::move(message));
  }

  // Over a raw peer, with request ids 1 and 2: CreateNetworkContext, then
  // the commit of "main" at https://news.example/. Returns the context's id
  // (0 when either failed).
  uint32_t CreateRawContextWithMainDocument(RawPeer* peer) {
    peer->WriteMessage(CreateMessage(1, Params()));
    std::vector<ipc::ServiceMessage> created = peer->ReadThrough(1);
    EXPECT_FALSE(created.empty());
    if (created.empty() || !created.back().reply().has_context_created())
      return 0;
    uint32_t context_id = created.back().reply().context_created().context_id();
    peer->WriteMessage(
        CommitMessage(2, context_id, "main", "https://news.example/"));
    std::vector<ipc::ServiceMessage> committed = peer->ReadThrough(2);
    EXPECT_FALSE(committed.empty());
    if (committed.empty() || !committed.back().reply().has_done())
      return 0;
    return context_id;
  }

  net::EventLoop loop_;
  EmbeddedTestServer server_;
  EmbeddedTestServer stalled_server_;
  NetworkService service_;
};

TEST_F(NetworkServiceTest, EveryCallRoundTripsOverTheSocket) {
  std::unique_ptr<NetworkServiceClient> client = ConnectClient();
  std::unique_ptr<RemoteNetworkContext> context =
      CreateContext(client.get(), Params());
  ASSERT_TRUE(context);
  EXPECT_EQ(1u, service_.context_count());

  FetchResult navigation =
      Navigate(context.get(), "main", "https://news.example/");
  ASSERT_EQ(net::OK, navigation.error) << navigation.error_message;
  EXPECT_EQ(200, navigation.status_code);
  EXPECT_EQ("hello news.example/", navigation.body);
  EXPECT_EQ("https", navigation.group_id.scheme());
  EXPECT_EQ("news.example", navigation.group_id.destination().host());
  EXPECT_EQ("https://news.example",
            navigation.group_id.network_anonymization_key()
                .top_frame_site()
                .Serialize());
  EXPECT_NE(absl::InfinitePast(), navigation.load_timing.request_start);
  EXPECT_LE(navigation.load_timing.request_start,
            navigation.load_timing.response_end);
  EXPECT_EQ("OK", navigation.status_text);
  EXPECT_EQ("HTTP/1.1", navigation.http_version);
  EXPECT_EQ("127.0.0.1", navigation.server_ip);
  EXPECT_NE(0u, navigation.socket_log_id);
  ASSERT_FALSE(navigation.request_headers.empty());
  EXPECT_EQ("User-Agent", navigation.request_headers.back().first);

  EXPECT_TRUE(
      Commit(context.get(), "ad", "https://blog.example/frame", "main").ok());
  std::optional<DocumentRegistry::Result> load;
  context->LoadEvent(
      "main", [&](const DocumentRegistry::Result& result) { load = result; });
  ASSERT_TRUE(RunUntil([&] { return load.has_value(); }));
  EXPECT_TRUE(load->ok()) << load->message;

  std::optional<std::pair<int, std::string>> prefetch;
  context->DnsPrefetch("main", "https://cdn.example/",
                       [&](int error, const std::string& diagnostic) {
                         prefetch.emplace(error, diagnostic);
                       });
  ASSERT_TRUE(RunUntil([&] { return prefetch.has_value(); }));
  EXPECT_EQ(net::OK, prefetch->first) << prefetch->second;

  FetchResult fetch = Fetch(context.get(), "ad", "https://cdn.example/x.js");
  ASSERT_EQ(net::OK, fetch.error) << fetch.error_message;
  EXPECT_EQ("hello cdn.example/x.js", fetch.body);
  bool has_header = false;
  for (const auto& [name, value] : fetch.headers)
    has_header |= name == "X-Served-By" && value == "embedded";
  EXPECT_TRUE(has_header);
  EXPECT_TRUE(fetch.group_id.network_anonymization_key().is_cross_site());

  std::vector<int> done;
  scenario::CookieSettings cookies;
  cookies.set_block_third_party_cookies(true);
  context->SetCookieSettings(cookies, [&](int rv) { done.push_back(rv); });
  context->CloseIdleSockets([&](int rv) { done.push_back(rv); });
  context->Flush([&](int rv) { done.push_back(rv); });
  ASSERT_TRUE(RunUntil([&] { return done.size() == 3; }));
  EXPECT_EQ((std::vector<int>{net::OK, net::OK, net::OK}), done);

  PoolStateSnapshot state = PoolState(context.get());
  EXPECT_EQ(net::OK, state.error);
  EXPECT_TRUE(absl::StrContains(state.json, "{")) << state.json;
  EXPECT_EQ(0u, state.idle_sockets);
  EXPECT_EQ(0u, state.requests_in_flight);

  std::optional<DocumentRegistry::Result> removed;
  context->RemoveDocument("main", [&](const DocumentRegistry::Result& result) {
    removed = result;
  });
  ASSERT_TRUE(RunUntil([&] { return removed.has_value(); }));
  EXPECT_TRUE(removed->ok());

  context.reset();  // DestroyNetworkContext.
  EXPECT_TRUE(RunUntil([&] { return service_.context_count() == 0; }));
  EXPECT_EQ(1u, service_.client_count());
}

TEST_F(NetworkServiceTest, PreconnectThenFetchGetsThePreconnectedSocket) {
  std::unique_ptr<NetworkServiceClient> client = ConnectClient();
  std::unique_ptr<RemoteNetworkContext> context =
      CreateContext(client.get(), Params());
  ASSERT_TRUE(context);
  ASSERT_TRUE(Commit(context.get(), "main", "https://news.example/").ok());

  PreconnectResult preconnect =
      Preconnect(context.get(),
                 {"main", "https://cdn.example", CrossOriginAttribute::kAbsent,
                  PreconnectPurpose::kUnknown, 1});
  ASSERT_EQ(net::OK, preconnect.error) << preconnect.diagnostic;
  EXPECT_EQ(PreconnectPurpose::kSubresource, preconnect.target.purpose);
  EXPECT_EQ(PurposeSource::kLoadPhase, preconnect.target.purpose_source);
  EXPECT_EQ("https://cdn.example/", preconnect.target.url.spec());
  ASSERT_EQ(1u, preconnect.preconnect_ids.size());
  EXPECT_EQ("cdn.example", preconnect.group_id.destination().host());
  ASSERT_TRUE(
      RunUntil([&] { return PoolState(context.get()).idle_sockets == 1; }));

  FetchResult fetch = Fetch(context.get(), "main", "https://cdn.example/a.js");
  ASSERT_EQ(net::OK, fetch.error) << fetch.error_message;
  EXPECT_EQ(SocketReuse::kPreconnected, fetch.socket_reuse);
  EXPECT_EQ(preconnect.preconnect_ids[0], fetch.preconnect_id);
  EXPECT_EQ(preconnect.group_id, fetch.group_id);
  EXPECT_EQ(preconnect.target.partition, fetch.partition);
  // The warmed socket paid the connect; the request did not.
  EXPECT_EQ(absl::InfinitePast(),
            fetch.load_timing.connect_timing.connect_start);
  EXPECT_EQ(1, server_.num_accepted_connections());
}

TEST_F(NetworkServiceTest, PoolEventsStreamToTheSubscriber) {
  std::unique_ptr<NetworkServiceClient> client = ConnectClient();
  std::unique_ptr<RemoteNetworkContext> context =
      CreateContext(client.get(), Params());
  ASSERT_TRUE(context);
  RecordingObserver observer;
  context->AddSocketPoolObserver(&observer);
  ASSERT_TRUE(Commit(context.get(), "main", "https://news.example/").ok());

  // Warmed without credentials for an explicit subresource (bound), then a
  // credentialed request: stranded.
  PreconnectResult stranded =
      Preconnect(context.get(), {"main", "https://cdn.example",
                                 CrossOriginAttribute::kAnonymous,
                                 PreconnectPurpose::kSubresource, 1});
  ASSERT_EQ(1u, stranded.preconnect_ids.size());
  // Warmed and then used.
  PreconnectResult used =
      Preconnect(context.get(),
                 {"main", "https://blog.example", CrossOriginAttribute::kAbsent,
                  PreconnectPurpose::kSubresource, 1});
  ASSERT_EQ(1u, used.preconnect_ids.size());
  ASSERT_TRUE(
      RunUntil([&] { return PoolState(context.get()).idle_sockets == 2; }));

  ASSERT_EQ(
      net::OK,
      Fetch(context.get(), "main", "https://cdn.example/font.woff").error);
  ASSERT_EQ(net::OK,
            Fetch(context.get(), "main", "https://blog.example/post").error);
  EXPECT_EQ(std::vector<uint64_t>{stranded.preconnect_ids[0]},
            observer.stranded);
  EXPECT_TRUE(observer.last_difference.privacy_mode);
  ASSERT_EQ(1u, observer.outcomes.size());
  EXPECT_EQ(used.preconnect_ids[0], observer.outcomes[0].first);
  EXPECT_EQ(net::PreconnectOutcome::kUsed, observer.outcomes[0].second);
  EXPECT_EQ((std::vector<uint64_t>{0, used.preconnect_ids[0]}),
            observer.handed_out);

  // Closing idle sockets flushes the stranded one: its final outcome streams.
  std::optional<int> closed;
  context->CloseIdleSockets([&](int rv) { closed = rv; });
  ASSERT_TRUE(RunUntil([&] { return closed.has_value(); }));
  ASSERT_EQ(2u, observer.outcomes.size());
  EXPECT_EQ(stranded.preconnect_ids[0], observer.outcomes[1].first);
  EXPECT_EQ(net::PreconnectOutcome::kFlushed, observer.outcomes[1].second);

  // A guessed anonymous preconnect is unbound: the credentialed request
  // takes it, and the late binding streams too.
  PreconnectResult guessed =
      Preconnect(context.get(), {"main", "https://cdn.example",
                                 CrossOriginAttribute::kAnonymous,
                                 PreconnectPurpose::kUnknown, 1});
  ASSERT_EQ(1u, guessed.preconnect_ids.size());
  ASSERT_TRUE(
      RunUntil([&] { return PoolState(context.get()).idle_sockets == 1; }));
  FetchResult late =
      Fetch(context.get(), "main", "https://cdn.example/font2.woff");
  ASSERT_EQ(net::OK, late.error);
  EXPECT_EQ(guessed.preconnect_ids[0], late.preconnect_id);
  ASSERT_EQ(1u, observer.late_bound.size());
  EXPECT_EQ(guessed.preconnect_ids[0], observer.late_bound[0].first);
  EXPECT_EQ(net::PrivacyMode::kDisabled,
            observer.late_bound[0].second.privacy_mode());
  context->RemoveSocketPoolObserver(&observer);
}

TEST_F(NetworkServiceTest, RemovingTheLastObserverEndsTheEventsSubscription) {
  std::unique_ptr<NetworkServiceClient> client = ConnectClient();
  std::unique_ptr<RemoteNetworkContext> context =
      CreateContext(client.get(), Params());
  ASSERT_TRUE(context);
  RecordingObserver first;
  RecordingObserver second;
  context->AddSocketPoolObserver(&first);
  context->AddSocketPoolObserver(&second);
  ASSERT_TRUE(RunUntil([&] { return service_.subscription_count() == 1; }));
  // One observer left: the stream stays.
  context->RemoveSocketPoolObserver(&first);
  context->RemoveSocketPoolObserver(&second);
  ASSERT_TRUE(RunUntil([&] { return service_.subscription_count() == 0; }));

  // A new observer opens a new stream, which carries the pool's events.
  context->AddSocketPoolObserver(&second);
  ASSERT_TRUE(RunUntil([&] { return service_.subscription_count() == 1; }));
  ASSERT_TRUE(Commit(context.get(), "main", "https://news.example/").ok());
  PreconnectResult used =
      Preconnect(context.get(),
                 {"main", "https://blog.example", CrossOriginAttribute::kAbsent,
                  PreconnectPurpose::kSubresource, 1});
  ASSERT_EQ(1u, used.preconnect_ids.size());
  ASSERT_TRUE(
      RunUntil([&] { return PoolState(context.get()).idle_sockets == 1; }));
  ASSERT_EQ(net::OK,
            Fetch(context.get(), "main", "https://blog.example/post").error);
  ASSERT_TRUE(RunUntil([&] { return !second.outcomes.empty(); }));
  EXPECT_EQ(used.preconnect_ids[0], second.outcomes[0].first);
  EXPECT_TRUE(first.outcomes.empty());
  context->RemoveSocketPoolObserver(&second);
}

TEST_F(NetworkServiceTest, NetLogEntriesStreamAsJson) {
  std::unique_ptr<NetworkServiceClient> client = ConnectClient();
  std::unique_ptr<RemoteNetworkContext> context =
      CreateContext(client.get(), Params());
  ASSERT_TRUE(context);
  std::vector<std::string> entries;
  std::optional<int> subscribed;
  context->SubscribeNetLog(
      [&](const std::string& json) { entries.push_back(json); },
      [&](int rv) { subscribed = rv; });
  ASSERT_TRUE(RunUntil([&] { return subscribed.has_value(); }));
  EXPECT_EQ(net::OK, *subscribed);
  ASSERT_EQ(net::OK,
            Navigate(context.get(), "main", "https://news.example/").error);
  bool tcp_connect = false;
  bool ssl_connect = false;
  // Each entry is one NetLog entry in Chrome's JSON form.
  for (const std::string& json : entries) {
    google::protobuf::Struct parsed;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok())
        << json;
    const std::optional<net::NetLogEntry> entry =
        net::NetLogEntry::FromStruct(parsed);
    ASSERT_TRUE(entry) << json;
    tcp_connect |= entry->type == net::NetLogEventType::TCP_CONNECT;
    ssl_connect |= entry->type == net::NetLogEventType::SSL_CONNECT;
  }
  EXPECT_TRUE(tcp_connect);
  EXPECT_TRUE(ssl_connect);
}

TEST_F(NetworkServiceTest, TwoClientsAreIsolatedAndOneLeavingSparesTheOther) {
  std::unique_ptr<NetworkServiceClient> alice = ConnectClient();
  std::unique_ptr<NetworkServiceClient> bob = ConnectClient();
  std::unique_ptr<RemoteNetworkContext> alice_context =
      CreateContext(alice.get(), Params());
  std::unique_ptr<RemoteNetworkContext> bob_context =
      CreateContext(bob.get(), Params());
  ASSERT_TRUE(alice_context && bob_context);
  ASSERT_NE(alice_context->context_id(), bob_context->context_id());
  ASSERT_TRUE(
      Commit(alice_context.get(), "main", "https://news.example/").ok());

  // Bob cannot reach Alice's context, nor see her documents in his.
  ipc::ClientMessage steal;
  steal.mutable_get_pool_state()->set_context_id(alice_context->context_id());
  ipc::ServiceMessage refused = Call(bob.get(), steal);
  ASSERT_TRUE(refused.has_error());
  EXPECT_EQ(net::ERR_INVALID_ARGUMENT, refused.error().code());
  EXPECT_EQ(net::ERR_UNKNOWN_DOCUMENT,
            Fetch(bob_context.get(), "main", "https://news.example/").error);

  // Alice leaves with a request in flight (to the server that never
  // answers); her context goes, Bob's keeps working.
  bool alice_answered = false;
  alice_context->Fetch({"main", "https://stall.example/", RequestMode::kNoCors,
                        CredentialsMode::kInclude, ""},
                       [&](FetchResult) { alice_answered = true; });
  ASSERT_TRUE(RunUntil(
      [&] { return stalled_server_.num_accepted_connections() == 1; }));
  alice_context.reset();
  alice.reset();
  ASSERT_TRUE(RunUntil([&] { return service_.client_count() == 1; }));
  EXPECT_EQ(1u, service_.context_count());
  EXPECT_FALSE(alice_answered);

  ASSERT_TRUE(Commit(bob_context.get(), "main", "https://blog.example/").ok());
  FetchResult fetch =
      Fetch(bob_context.get(), "main", "https://blog.example/b");
  ASSERT_EQ(net::OK, fetch.error) << fetch.error_message;
  EXPECT_EQ("hello blog.example/b", fetch.body);
}

TEST_F(NetworkServiceTest, AClientThatDisconnectsLosesEveryContext) {
  std::unique_ptr<NetworkServiceClient> client = ConnectClient();
  // Made with raw calls: nothing on the client side destroys them.
  ASSERT_TRUE(CreateRaw(client.get(), Params()).reply().has_context_created());
  ASSERT_TRUE(CreateRaw(client.get(), Params()).reply().has_context_created());
  EXPECT_EQ(2u, service_.context_count());
  client.reset();
  ASSERT_TRUE(RunUntil([&] { return service_.client_count() == 0; }));
  EXPECT_EQ(0u, service_.context_count());
}

TEST_F(NetworkServiceTest,
       CallsAfterTheServiceWentAwayFailWithConnectionClosed) {
  int fds[2];
  ASSERT_EQ(0, ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds));
  NetworkServiceClient client(fds[1]);
  std::optional<int> disconnected;
  client.set_disconnect_callback([&](int error) { disconnected = error; });
  ::close(fds[0]);
  ASSERT_TRUE(RunUntil([&] { return disconnected.has_value(); }));
  EXPECT_EQ(net::OK, *disconnected);
  int error = net::OK;
  std::unique_ptr<RemoteNetworkContext> context;
  bool done = false;
  client.CreateNetworkContext(Params(),
                              [&](int rv, const std::string&,
                                  std::unique_ptr<RemoteNetworkContext> made) {
                                error = rv;
                                context = std::move(made);
                                done = true;
                              });
  EXPECT_FALSE(done);  // Posted, never run from inside the call.
  ASSERT_TRUE(RunUntil([&] { return done; }));
  EXPECT_EQ(net::ERR_CONNECTION_CLOSED, error);
  EXPECT_FALSE(context);
}

TEST_F(NetworkServiceTest, AFrameSplitIntoSingleBytesWaitsForItsEnd) {
  std::unique_ptr<RawPeer> peer = ConnectRawPeer();
  ipc::ClientMessage message;
  message.set_request_id(7);
  *message.mutable_create_network_context()->mutable_params() = Params();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    ASSERT_TRUE(google::protobuf::util::SerializeDelimitedToZeroCopyStream(
        message, &out));
  }
  ASSERT_GT(bytes.size(), 200u);  // The prefix itself takes two bytes.
  for (size_t i = 0; i + 1 < bytes.size(); ++i) {
    peer->Write(bytes.substr(i, 1));
    net::RunLoop().RunUntilIdle();
  }
  EXPECT_EQ(0u, service_.context_count());
  peer->Write(bytes.substr(bytes.size() - 1));
  std::vector<ipc::ServiceMessage> replies = peer->Read(1);
  ASSERT_EQ(1u, replies.size());
  EXPECT_EQ(7u, replies[0].request_id());
  EXPECT_TRUE(replies[0].reply().has_context_created());
  EXPECT_EQ(1u, service_.context_count());
}

// ---- Bad input ----------------------------------------------------------

TEST_F(NetworkServiceTest, GarbageBytesGetAnErrorAndADisconnect) {
  std::unique_ptr<NetworkServiceClient> bystander = ConnectClient();
  std::unique_ptr<RemoteNetworkContext> context =
      CreateContext(bystander.get(), Params());
  ASSERT_TRUE(context);

  std::unique_ptr<RawPeer> peer = ConnectRawPeer();
  // 'G' reads as a length of 71; what follows is no ClientMessage.
  peer->Write(
      "GET / HTTP/1.1\r\nHost: example\r\nUser-Agent: definitely not "
      "protobuf\r\nAccept: */*\r\n\r\n");
  std::vector<ipc::ServiceMessage> replies = peer->Read(1);
  ASSERT_EQ(1u, replies.size());
  EXPECT_EQ(0u, replies[0].request_id());
  EXPECT_EQ(net::ERR_INVALID_IPC_MESSAGE, replies[0].error().code());
  EXPECT_EQ("ERR_INVALID_IPC_MESSAGE", replies[0].error().error_name());
  EXPECT_TRUE(absl::StrContains(replies[0].error().message(),
                                "not a valid prewarm.ipc.ClientMessage"))
      << replies[0].error().message();
  EXPECT_TRUE(peer->WaitForClose());
  ASSERT_TRUE(RunUntil([&] { return service_.client_count() == 1; }));
  EXPECT_EQ(
      200,
      Navigate(context.get(), "main", "https://news.example/").status_code);
}

TEST_F(NetworkServiceTest,
       ALengthPrefixThatIsNoVarintGetsAnErrorAndADisconnect) {
  std::unique_ptr<RawPeer> peer = ConnectRawPeer();
  peer->Write(std::string(6, '\xff'));
  std::vector<ipc::ServiceMessage> replies = peer->Read(1);
  ASSERT_EQ(1u, replies.size());
  EXPECT_EQ(net::ERR_INVALID_IPC_MESSAGE, replies[0].error().code());
  EXPECT_TRUE(absl::StrContains(replies[0].error().message(), "varint32"));
  EXPECT_TRUE(peer->WaitForClose());
  EXPECT_TRUE(RunUntil([&] { return service_.client_count() == 0; }));
}

TEST_F(NetworkServiceTest, AnIncompletePrefixWaitsInsteadOfFailing) {
  std::unique_ptr<RawPeer> peer = ConnectRawPeer();
  peer->Write(std::string(4, '\xff'));
  net::RunLoop().RunUntilIdle();
  EXPECT_EQ(1u, service_.client_count());
  // The fifth continuation byte decides it.
  peer->Write(std::string(1, '\xff'));
  EXPECT_TRUE(peer->WaitForClose());
}

TEST_F(NetworkServiceTest, AFrameWhoseBodyIsNoClientMessageDisconnects) {
  std::unique_ptr<RawPeer> peer = ConnectRawPeer();
  // Length 3; field 1 with wire type 7, which does not exist.
  peer->Write(std::string("\x03\x0f\x00\x00", 4));
  std::vector<ipc::ServiceMessage> replies = peer->Read(1);
  ASSERT_EQ(1u, replies.size());
  EXPECT_EQ(net::ERR_INVALID_IPC_MESSAGE, replies[0].error().code());
  EXPECT_TRUE(peer->WaitForClose());
}

TEST_F(NetworkServiceTest, AnOversizedFrameIsRefusedBeforeItsBodyArrives) {
  std::unique_ptr<RawPeer> peer = ConnectRawPeer();
  std::string prefix;
  {
    google::protobuf::io::StringOutputStream out(&prefix);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.WriteVarint32(2u << 20);  // 2 MiB announced, nothing sent.
  }
  peer->Write(prefix);
  std::vector<ipc::ServiceMessage> replies = peer->Read(1);
  ASSERT_EQ(1u, replies.size());
  EXPECT_EQ(net::ERR_IPC_MESSAGE_TOO_LARGE, replies[0].error().code());
  EXPECT_EQ("ERR_IPC_MESSAGE_TOO_LARGE", replies[0].error().error_name());
  EXPECT_TRUE(peer->WaitForClose());
  EXPECT_TRUE(RunUntil([&] { return service_.client_count() == 0; }));
}

TEST_F(NetworkServiceTest, UnknownCallsGetAnErrorAndTheConnectionStays) {
  std::unique_ptr<RawPeer> peer = ConnectRawPeer();
  ipc::ClientMessage empty;
  empty.set_request_id(1);
  peer->WriteMessage(empty);
  // Field 99: a call from a newer client.
  ipc::ClientMessage future;
  future.set_request_id(2);
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    std::string body;
    future.SerializeToString(&body);
    body += std::string("\x9a\x06\x00", 3);  // Field 99, length 0.
    coded.WriteVarint32(static_cast<uint32_t>(body.size()));
    coded.WriteString(body);
  }
  peer->Write(bytes);
  ipc::ClientMessage create;
  create.set_request_id(3);
  *create.mutable_create_network_context()->mutable_params() = Params();
  peer->WriteMessage(create);

  std::vector<ipc::ServiceMessage> replies = peer->Read(3);
  ASSERT_EQ(3u, replies.size());
  EXPECT_EQ(1u, replies[0].request_id());
  EXPECT_EQ(net::ERR_UNKNOWN_IPC_MESSAGE, replies[0].error().code());
  EXPECT_EQ(2u, replies[1].request_id());
  EXPECT_EQ(net::ERR_UNKNOWN_IPC_MESSAGE, replies[1].error().code());
  EXPECT_TRUE(absl::StrContains(replies[1].error().message(), "99"));
  EXPECT_EQ(3u, replies[2].request_id());
  EXPECT_TRUE(replies[2].reply().has_context_created());
}

TEST_F(NetworkServiceTest, BadRequestIdsAreRefused) {
  std::unique_ptr<RawPeer> peer = ConnectRawPeer();
  ipc::ClientMessage zero;
  *zero.mutable_create_network_context()->mutable_params() = Params();
  peer->WriteMessage(zero);
  std::vector<ipc::ServiceMessage> replies = peer->Read(1);
  ASSERT_EQ(1u, replies.size());
  EXPECT_EQ(0u, replies[0].request_id());
  EXPECT_EQ(net::ERR_INVALID_ARGUMENT, replies[0].error().code());
  EXPECT_EQ(0u, replies[0].error().duplicate_request_id());
  EXPECT_EQ(0u, service_.context_count());
  // Not a broken stream: the connection stays.
  peer->WriteMessage(CreateMessage(1, Params()));
  replies = peer->ReadThrough(1);
  ASSERT_EQ(1u, replies.size());
  EXPECT_TRUE(replies[0].reply().has_context_created());
}

TEST_F(NetworkServiceTest, WrongFieldValuesGetInvalidArgumentWithAMessage) {
  std::unique_ptr<NetworkServiceClient> client = ConnectClient();
  struct Case {
    const char* name;
    std::function<void(ipc::NetworkContextParams*)> mutate;
    int error;
    const char* words;
  };
  const Case cases[] = {
      {"unknown policy",
       [](ipc::NetworkContextParams* p) {
         p->set_policy(static_cast<ipc::PreconnectPolicy>(9));
       },
       net::ERR_INVALID_ARGUMENT, "policy 9"},
      {"zero group limit",
       [](ipc::NetworkContextParams* p) {
         p->mutable_pool_config()->set_max_sockets_per_group(0);
       },
       net::ERR_INVALID_ARGUMENT, "max_sockets_per_group"},
      {"total limit past INT_MAX",
       [](ipc::NetworkContextParams* p) {
         p->mutable_pool_config()->set_max_sockets_total(3000000000u);
       },
       net::ERR_INVALID_ARGUMENT, "max_sockets_total"},
      {"total below the group limit",
       [](ipc::NetworkContextParams* p) {
         p->mutable_pool_config()->set_max_sockets_total(2);
       },
       net::ERR_INVALID_ARGUMENT, "max_sockets_total"},
      {"cookie exception site",
       [](ipc::NetworkContextParams* p) {
         p->mutable_cookie_settings()->add_exceptions()->set_site("cdn");
       },
       net::ERR_INVALID_URL, "exceptions[0].site"},
      {"cookie exception kind",
       [](ipc::NetworkContextParams* p) {
         scenario::CookieException* exception =
             p->mutable_cookie_settings()->add_exceptions();
         exception->set_site("https://cdn.example");
         exception->set_kind(static_cast<scenario::CookieException::Kind>(7));
       },
       net::ERR_INVALID_ARGUMENT, "kind 7"},
      {"resolver rule",
       [](ipc::NetworkContextParams* p) {
         p->set_host_resolver_rules("TELEPORT * 127.0.0.1");
       },
       net::ERR_INVALID_HOST_RESOLVER_RULE, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ipc::NetworkContextParams params = Params();
    c.mutate(&params);
    ipc::ServiceMessage reply = CreateRaw(client.get(), params);
    ASSERT_TRUE(reply.has_error());
    EXPECT_EQ(c.error, reply.error().code()) << reply.error().message();
    EXPECT_TRUE(absl::StrContains(reply.error().message(), c.words))
        << reply.error().message();
  }
  EXPECT_EQ(0u, service_.context_count());

  // Calls on a live context.
  ipc::ServiceMessage created = CreateRaw(client.get(), Params());
  ASSERT_TRUE(created.reply().has_context_created());
  uint32_t id = created.reply().context_created().context_id();
  std::unique_ptr<RemoteNetworkContext> context =
      std::make_unique<RemoteNetworkContext>(client.get(), id);
  ASSERT_TRUE(Commit(context.get(), "main", "https://news.example/").ok());

  ipc::ClientMessage bad_crossorigin;
  bad_crossorigin.mutable_preconnect()->set_context_id(id);
  bad_crossorigin.mutable_preconnect()->set_document_id("main");
  bad_crossorigin.mutable_preconnect()->set_url("https://cdn.example");
  bad_crossorigin.mutable_preconnect()->set_crossorigin(
      static_cast<scenario::CrossOrigin>(5));
  ipc::ServiceMessage reply = Call(client.get(), bad_crossorigin);
  EXPECT_EQ(net::ERR_INVALID_ARGUMENT, reply.error().code());
  EXPECT_TRUE(absl::StrContains(reply.error().message(), "crossorigin 5"));

  ipc::ClientMessage absurd = bad_crossorigin;
  absurd.mutable_preconnect()->set_crossorigin(scenario::ANONYMOUS);
  absurd.mutable_preconnect()->set_num_sockets(1000000);
  reply = Call(client.get(), absurd);
  EXPECT_EQ(net::ERR_INVALID_ARGUMENT, reply.error().code());
  EXPECT_TRUE(
      absl::StrContains(reply.error().message(), "num_sockets 1000000"));

  ipc::ClientMessage bad_mode;
  bad_mode.mutable_fetch()->set_context_id(id);
  bad_mode.mutable_fetch()->set_document_id("main");
  bad_mode.mutable_fetch()->set_url("https://cdn.example/");
  bad_mode.mutable_fetch()->set_mode(static_cast<scenario::RequestMode>(42));
  reply = Call(client.get(), bad_mode);
  EXPECT_EQ(net::ERR_INVALID_ARGUMENT, reply.error().code());
  EXPECT_TRUE(absl::StrContains(reply.error().message(), "mode 42"));

  ipc::ClientMessage huge_body = bad_mode;
  huge_body.mutable_fetch()->set_mode(scenario::CORS);
  huge_body.mutable_fetch()->set_max_body_bytes(64u << 20);
  reply = Call(client.get(), huge_body);
  EXPECT_EQ(net::ERR_INVALID_ARGUMENT, reply.error().code());

  FetchResult bad_url = Fetch(context.get(), "main", "https://exa mple/");
  EXPECT_EQ(net::ERR_INVALID_URL, bad_url.error);
  EXPECT_FALSE(bad_url.error_message.empty());
  EXPECT_EQ(net::ERR_DISALLOWED_URL_SCHEME,
            Fetch(context.get(), "main", "ws://cdn.example/").error);
  PreconnectResult bad_hint = Preconnect(
      context.get(), {"main", "not a url", CrossOriginAttribute::kAbsent,
                      PreconnectPurpose::kUnknown, 1});
  EXPECT_EQ(net::ERR_INVALID_URL, bad_hint.error);
  EXPECT_TRUE(bad_hint.target.ignored());
  EXPECT_FALSE(bad_hint.diagnostic.empty());
  EXPECT_EQ(net::ERR_INVALID_URL,
            Commit(context.get(), "sub", "https://[", "main").error);
}

TEST_F(NetworkServiceTest, UnknownContextsAndDocumentsAreNamedInTheError) {
  std::unique_ptr<NetworkServiceClient> client = ConnectClient();
  ipc::ClientMessage message;
  message.mutable_load_event()->set_context_id(4242);
  message.mutable_load_event()->set_document_id("main");
  ipc::ServiceMessage reply = Call(client.get(), message);
  EXPECT_EQ(net::ERR_INVALID_ARGUMENT, reply.error().code());
  EXPECT_TRUE(absl::StrContains(reply.error().message(), "4242"));

  std::unique_ptr<RemoteNetworkContext> context =
      CreateContext(client.get(), Params());
  ASSERT_TRUE(context);
  std::optional<DocumentRegistry::Result> load;
  context->LoadEvent(
      "ghost", [&](const DocumentRegistry::Result& result) { load = result; });
  ASSERT_TRUE(RunUntil([&] { return load.has_value(); }));
  EXPECT_EQ(net::ERR_UNKNOWN_DOCUMENT, load->error);
  EXPECT_TRUE(absl::StrContains(load->message, "ghost"));

  FetchResult fetch = Fetch(context.get(), "ghost", "https://news.example/");
  EXPECT_EQ(net::ERR_UNKNOWN_DOCUMENT, fetch.error);
  EXPECT_TRUE(absl::StrContains(fetch.error_message, "ghost"));
  PreconnectResult hint =
      Preconnect(context.get(),
                 {"ghost", "https://cdn.example", CrossOriginAttribute::kAbsent,
                  PreconnectPurpose::kUnknown, 1});
  EXPECT_EQ(net::ERR_UNKNOWN_DOCUMENT, hint.error);
  EXPECT_TRUE(absl::StrContains(hint.diagnostic, "ghost"));
  std::optional<int> prefetch;
  context->DnsPrefetch(
      "ghost", "https://cdn.example",
      [&](int error, const std::string&) { prefetch = error; });
  ASSERT_TRUE(RunUntil([&] { return prefetch.has_value(); }));
  EXPECT_EQ(net::ERR_UNKNOWN_DOCUMENT, *prefetch);
  std::optional<DocumentRegistry::Result> subframe;
  context->CommitNavigation(
      "child", "https://blog.example/", "ghost",
      [&](const DocumentRegistry::Result& result) { subframe = result; });
  ASSERT_TRUE(RunUntil([&] { return subframe.has_value(); }));
  EXPECT_EQ(net::ERR_UNKNOWN_DOCUMENT, subframe->error);
}

class NetworkServiceFloodTest : public NetworkServiceTest {
 protected:
  static NetworkService::Options SmallLimits() {
    NetworkService::Options options;
    options.max_outstanding_requests = 8;
    options.max_contexts_per_client = 2;
    return options;
  }
  NetworkServiceFloodTest() : NetworkServiceTest(SmallLimits()) {}
};

TEST_F(NetworkServiceFloodTest, TheExcessOfAFloodIsRefusedAndOthersAreServed) {
  std::unique_ptr<NetworkServiceClient> flooder = ConnectClient();
  std::unique_ptr<NetworkServiceClient> neighbour = ConnectClient();
  std::unique_ptr<RemoteNetworkContext> context =
      CreateContext(flooder.get(), Params());
  ASSERT_TRUE(context);
  ASSERT_TRUE(Commit(context.get(), "main", "https://news.example/").ok());

  // Requests to the server that never answers stay outstanding.
  std::vector<FetchResult> results;
  for (int i = 0; i < 13; ++i) {
    context->Fetch(
        {"main", absl::StrCat("https://stall.example/", i),
         RequestMode::kNoCors, CredentialsMode::kInclude, ""},
        [&](FetchResult result) { results.push_back(std::move(result)); });
  }
  ASSERT_TRUE(RunUntil([&] { return results.size() == 5; }));
  for (const FetchResult& result : results) {
    EXPECT_EQ(net::ERR_TOO_MANY_REQUESTS, result.error);
    EXPECT_TRUE(absl::StrContains(result.error_message, "8"));
  }
  // Calls that answer at once still do; the neighbour is unaffected.
  EXPECT_EQ(8u, PoolState(context.get()).requests_in_flight);
  std::unique_ptr<RemoteNetworkContext> other =
      CreateContext(neighbour.get(), Params());
  ASSERT_TRUE(other);
  ASSERT_TRUE(Commit(other.get(), "main", "https://news.example/").ok());
  EXPECT_EQ(net::OK, Fetch(other.get(), "main", "https://cdn.example/").error);

  // The contexts limit.
  std::unique_ptr<RemoteNetworkContext> second =
      CreateContext(flooder.get(), Params());
  ASSERT_TRUE(second);
  int error = net::OK;
  std::string message;
  EXPECT_FALSE(CreateContext(flooder.get(), Params(), &error, &message));
  EXPECT_EQ(net::ERR_INSUFFICIENT_RESOURCES, error);

  EXPECT_EQ(3u, service_.context_count());
}

TEST_F(NetworkServiceTest, DestroyingAContextAbortsItsOutstandingCalls) {
  std::unique_ptr<NetworkServiceClient> client = ConnectClient();
  ipc::ServiceMessage created = CreateRaw(client.get(), Params());
  ASSERT_TRUE(created.reply().has_context_created());
  uint32_t id = created.reply().context_created().context_id();
  RemoteNetworkContext context(client.get(), id);
  ASSERT_TRUE(Commit(&context, "main", "https://news.example/").ok());

  std::vector<ipc::ServiceMessage> replies;
  for (int i = 0; i < 3; ++i) {
    ipc::ClientMessage fetch;
    ipc::Fetch* call = fetch.mutable_fetch();
    call->set_context_id(id);
    call->set_document_id("main");
    call->set_url(absl::StrCat("https://stall.example/", i));
    client->Call(fetch, [&](const ipc::ServiceMessage& reply) {
      replies.push_back(reply);
    });
  }
  ASSERT_TRUE(RunUntil(
      [&] { return stalled_server_.num_accepted_connections() == 3; }));
  EXPECT_TRUE(replies.empty());
  ipc::ClientMessage destroy;
  destroy.mutable_destroy_network_context()->set_context_id(id);
  ipc::ServiceMessage done = Call(client.get(), destroy);
  EXPECT_TRUE(done.reply().has_done());
  ASSERT_EQ(3u, replies.size());
  for (const ipc::ServiceMessage& reply : replies) {
    EXPECT_EQ(net::ERR_ABORTED, reply.error().code());
    EXPECT_TRUE(absl::StrContains(reply.error().message(), "destroyed"));
  }
  EXPECT_EQ(0u, service_.context_count());
}

TEST_F(NetworkServiceTest, IpcServerAcceptsClientsOnASocketPath) {
  std::string path =
      absl::StrCat(::testing::TempDir(), "prewarm-ipc-", ::getpid(), ".sock");
  IpcServer server([this](int fd) { service_.AddClient(fd); });
  std::string message;
  ASSERT_EQ(net::OK, server.Listen(path, &message)) << message;
  int error = net::ERR_FAILED;
  std::unique_ptr<NetworkServiceClient> first =
      NetworkServiceClient::Connect(path, &error, &message);
  ASSERT_TRUE(first) << message;
  std::unique_ptr<NetworkServiceClient> second =
      NetworkServiceClient::Connect(path, &error, &message);
  ASSERT_TRUE(second) << message;
  EXPECT_TRUE(CreateContext(first.get(), Params()));
  EXPECT_TRUE(CreateContext(second.get(), Params()));
  EXPECT_EQ(2u, service_.client_count());

  std::string too_long(200, 'x');
  IpcServer bad([](int fd) { ::close(fd); });
  EXPECT_EQ(net::ERR_INVALID_ARGUMENT, bad.Listen(too_long, &message));
  EXPECT_FALSE(
      NetworkServiceClient::Connect(path + ".missing", &error, &message));
  EXPECT_NE(net::OK, error);
}

// ---- Unsubscribe and request ids in use ----------------------------------

TEST_F(NetworkServiceTest,
       UnsubscribeEndsOneSubscriptionWhileItsSiblingKeepsStreaming) {
  std::unique_ptr<RawPeer> peer = ConnectRawPeer();
  uint32_t context_id = CreateRawContextWithMainDocument(peer.get());
  ASSERT_NE(0u, context_id);
  constexpr uint32_t kEnded = 3;
  constexpr uint32_t kSibling = 4;
  peer->WriteMessage(SubscribeMessage(kEnded, context_id));
  peer->WriteMessage(SubscribeMessage(kSibling, context_id));
  std::vector<ipc::ServiceMessage> replies = peer->ReadThrough(kSibling);
  ASSERT_EQ(2u, replies.size());
  EXPECT_TRUE(replies[0].reply().has_subscribed());
  EXPECT_TRUE(replies[1].reply().has_subscribed());

  // Both stream the handing-out of the fetch's socket.
  peer->WriteMessage(
      FetchMessage(5, context_id, "main", "https://cdn.example/a.js"));
  replies = peer->ReadThrough(5);
  ASSERT_TRUE(replies.back().reply().has_fetch());
  EXPECT_GE(CountEvents(replies, kEnded), 1u);
  EXPECT_GE(CountEvents(replies, kSibling), 1u);

  peer->WriteMessage(UnsubscribeMessage(6, kEnded));
  replies = peer->ReadThrough(6);
  ASSERT_FALSE(replies.empty());
  EXPECT_EQ(6u, replies.back().request_id());
  EXPECT_TRUE(replies.back().reply().has_done());

  // After Done, nothing under kEnded; the sibling goes on (a socket is
  // handed out before the response, so each fetch's event precedes its
  // reply).
  peer->WriteMessage(
      FetchMessage(7, context_id, "main", "https://cdn.example/b.js"));
  replies = peer->ReadThrough(7);
  ASSERT_TRUE(replies.back().reply().has_fetch());
  peer->WriteMessage(
      FetchMessage(8, context_id, "main", "https://blog.example/c"));
  std::vector<ipc::ServiceMessage> more = peer->ReadThrough(8);
  ASSERT_TRUE(more.back().reply().has_fetch());
  replies.insert(replies.end(), more.begin(), more.end());
  EXPECT_EQ(0u, CountTagged(replies, kEnded));
  EXPECT_GE(CountEvents(replies, kSibling), 2u);
}

TEST_F(NetworkServiceTest, NetworkServiceClientUnsubscribeRepliesDoneLater) {
  std::unique_ptr<NetworkServiceClient> client = ConnectClient();
  std::unique_ptr<RemoteNetworkContext> context =
      CreateContext(client.get(), Params());
  ASSERT_TRUE(context);
  ASSERT_TRUE(Commit(context.get(), "main", "https://news.example/").ok());
  ipc::ClientMessage subscribe;
  subscribe.mutable_subscribe_events()->set_context_id(context->context_id());
  size_t ended_events = 0;
  size_t sibling_events = 0;
  std::vector<ipc::ServiceMessage> subscribed;
  uint32_t ended = client->Subscribe(
      subscribe,
      [&](const ipc::ServiceMessage& reply) { subscribed.push_back(reply); },
      [&](const ipc::Event&) { ++ended_events; });
  client->Subscribe(
      subscribe,
      [&](const ipc::ServiceMessage& reply) { subscribed.push_back(reply); },
      [&](const ipc::Event&) { ++sibling_events; });
  ASSERT_TRUE(RunUntil([&] { return subscribed.size() == 2; }));
  EXPECT_TRUE(subscribed[0].reply().has_subscribed());
  EXPECT_TRUE(subscribed[1].reply().has_subscribed());
  ASSERT_EQ(net::OK,
            Fetch(context.get(), "main", "https://cdn.example/a.js").error);
  EXPECT_GE(ended_events, 1u);
  EXPECT_GE(sibling_events, 1u);

  std::optional<ipc::ServiceMessage> done;
  uint32_t call = client->Unsubscribe(
      ended, [&](const ipc::ServiceMessage& reply) { done = reply; });
  EXPECT_NE(ended, call);
  EXPECT_FALSE(done.has_value());  // Never from inside the call.
  ASSERT_TRUE(RunUntil([&] { return done.has_value(); }));
  EXPECT_EQ(call, done->request_id());
  EXPECT_TRUE(done->reply().has_done());

  size_t ended_before = ended_events;
  size_t sibling_before = sibling_events;
  ASSERT_EQ(net::OK,
            Fetch(context.get(), "main", "https://blog.example/c").error);
  EXPECT_EQ(ended_before, ended_events);
  EXPECT_GT(sibling_events, sibling_before);

  // A second Unsubscribe of the same id reaches the service, which refuses
  // it; the client hands that Error to the callback.
  std::optional<ipc::ServiceMessage> again;
  call = client->Unsubscribe(
      ended, [&](const ipc::ServiceMessage& reply) { again = reply; });
  ASSERT_TRUE(RunUntil([&] { return again.has_value(); }));
  EXPECT_EQ(call, again->request_id());
  EXPECT_EQ(net::ERR_INVALID_ARGUMENT, again->error().code());
  EXPECT_TRUE(client->is_connected());
}

TEST_F(NetworkServiceTest, AnUnsubscribedIdCanBeUsedAgain) {
  std::unique_ptr<RawPeer> peer = ConnectRawPeer();
  uint32_t context_id = CreateRawContextWithMainDocument(peer.get());
  ASSERT_NE(0u, context_id);
  constexpr uint32_t kReused = 3;
  // More rounds than a context takes subscriptions at once: each
  // Unsubscribe frees the context's slot as well as the id.
  const size_t rounds =
      NetworkService::Options().max_subscriptions_per_context + 2;
  for (size_t i = 0; i < rounds; ++i) {
    SCOPED_TRACE(i);
    peer->WriteMessage(SubscribeMessage(kReused, context_id,
                                        /*net_log=*/i % 2 == 1));
    std::vector<ipc::ServiceMessage> replies = peer->ReadThrough(kReused);
    ASSERT_EQ(1u, replies.size());
    ASSERT_TRUE(replies[0].reply().has_subscribed())
        << replies[0].error().message();
    peer->WriteMessage(UnsubscribeMessage(4, kReused));
    replies = peer->ReadThrough(4);
    ASSERT_FALSE(replies.empty());
    ASSERT_TRUE(replies.back().reply().has_done())
        << replies.back().error().message();
  }

  // The id now serves a NetLog subscription, then an ordinary call.
  peer->WriteMessage(SubscribeMessage(kReused, context_id, /*net_log=*/true));
  peer->WriteMessage(
      FetchMessage(5, context_id, "main", "https://cdn.example/a.js"));
  std::vector<ipc::ServiceMessage> replies = peer->ReadThrough(5);
  ASSERT_TRUE(replies.back().reply().has_fetch());
  size_t net_log_entries = 0;
  for (const ipc::ServiceMessage& message : replies) {
    if (message.request_id() == kReused && message.has_event())
      net_log_entries += !message.event().net_log_entry().empty();
  }
  EXPECT_GE(net_log_entries, 1u);
  peer->WriteMessage(UnsubscribeMessage(6, kReused));
  ASSERT_TRUE(peer->ReadThrough(6).back().reply().has_done());
  peer->WriteMessage(PoolStateMessage(kReused, context_id));
  replies = peer->ReadThrough(kReused);
  ASSERT_FALSE(replies.empty());
  EXPECT_TRUE(replies.back().reply().has_pool_state());
  EXPECT_EQ(0u, CountEvents(replies, kReused));
}

TEST_F(NetworkServiceTest,
       UnsubscribeRefusesIdsThatAreNoLiveSubscriptionOfThisConnection) {
  std::unique_ptr<RawPeer> alice = ConnectRawPeer();
  std::unique_ptr<RawPeer> bob = ConnectRawPeer();
  uint32_t alice_context = CreateRawContextWithMainDocument(alice.get());
  uint32_t bob_context = CreateRawContextWithMainDocument(bob.get());
  ASSERT_NE(0u, alice_context);
  ASSERT_NE(0u, bob_context);

  constexpr uint32_t kAliceLive = 3;
  constexpr uint32_t kStalledFetch = 4;
  constexpr uint32_t kAliceEnded = 5;
  constexpr uint32_t kBobLive = 7;
  alice->WriteMessage(SubscribeMessage(kAliceLive, alice_context));
  ASSERT_TRUE(alice->ReadThrough(kAliceLive).back().reply().has_subscribed());
  // To the server that never answers: outstanding for the whole test.
  alice->WriteMessage(FetchMessage(kStalledFetch, alice_context, "main",
                                   "https://stall.example/"));
  alice->WriteMessage(SubscribeMessage(kAliceEnded, alice_context));
  alice->WriteMessage(UnsubscribeMessage(6, kAliceEnded));
  ASSERT_TRUE(alice->ReadThrough(6).back().reply().has_done());
  bob->WriteMessage(SubscribeMessage(kBobLive, bob_context));
  ASSERT_TRUE(bob->ReadThrough(kBobLive).back().reply().has_subscribed());

  struct Case {
    const char* name;
    uint32_t subscription_id;
    const char* words;
  };
  const Case cases[] = {
      {"zero", 0, "must not be 0"},
      {"never used", 999, "no live subscription 999"},
      {"another connection's", kBobLive, "no live subscription 7"},
      {"an outstanding call's", kStalledFetch,
       "request_id 4 is an outstanding call, not a subscription"},
      {"already ended", kAliceEnded, "no live subscription 5"},
  };
  uint32_t request_id = 10;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    alice->WriteMessage(UnsubscribeMessage(request_id, c.subscription_id));
    std::vector<ipc::ServiceMessage> replies = alice->ReadThrough(request_id);
    ASSERT_FALSE(replies.empty());
    const ipc::ServiceMessage& reply = replies.back();
    EXPECT_EQ(request_id, reply.request_id());
    ASSERT_TRUE(reply.has_error());
    EXPECT_EQ(net::ERR_INVALID_ARGUMENT, reply.error().code());
    EXPECT_EQ("ERR_INVALID_ARGUMENT", reply.error().error_name());
    EXPECT_TRUE(absl::StrContains(reply.error().message(), c.words))
        << reply.error().message();
    ++request_id;
  }

  // Nothing changed: the stalled fetch is still in flight, both live
  // subscriptions still stream, and both connections still answer.
  alice->WriteMessage(PoolStateMessage(20, alice_context));
  std::vector<ipc::ServiceMessage> replies = alice->ReadThrough(20);
  ASSERT_TRUE(replies.back().reply().has_pool_state());
  EXPECT_EQ(1u, replies.back().reply().pool_state().requests_in_flight());
  alice->WriteMessage(
      FetchMessage(21, alice_context, "main", "https://cdn.example/a.js"));
  replies = alice->ReadThrough(21);
  ASSERT_TRUE(replies.back().reply().has_fetch());
  EXPECT_EQ(200, replies.back().reply().fetch().status_code());
  EXPECT_GE(CountEvents(replies, kAliceLive), 1u);
  EXPECT_EQ(0u, CountTagged(replies, kAliceEnded));
  bob->WriteMessage(
      FetchMessage(8, bob_context, "main", "https://cdn.example/b.js"));
  replies = bob->ReadThrough(8);
  ASSERT_TRUE(replies.back().reply().has_fetch());
  EXPECT_GE(CountEvents(replies, kBobLive), 1u);
  EXPECT_EQ(2u, service_.client_count());
}

TEST_F(NetworkServiceTest,
       ADuplicateRequestIdIsRefusedUnderIdZeroAndTheOriginalCallGetsItsReply) {
  std::unique_ptr<RawPeer> peer = ConnectRawPeer();
  uint32_t context_id = CreateRawContextWithMainDocument(peer.get());
  ASSERT_NE(0u, context_id);
  // One write: the duplicate arrives while the fetch is surely in flight.
  constexpr uint32_t kId = 5;
  peer->Write(RawPeer::Frame(FetchMessage(kId, context_id, "main",
                                          "https://cdn.example/dup")) +
              RawPeer::Frame(CreateMessage(kId, Params())));
  std::vector<ipc::ServiceMessage> replies = peer->ReadThrough(kId);
  ASSERT_EQ(2u, replies.size());

  const ipc::ServiceMessage& refusal = replies[0];
  EXPECT_EQ(0u, refusal.request_id());
  ASSERT_TRUE(refusal.has_error());
  EXPECT_EQ(kId, refusal.error().duplicate_request_id());
  EXPECT_EQ(net::ERR_INVALID_ARGUMENT, refusal.error().code());
  EXPECT_TRUE(absl::StrContains(refusal.error().message(),
                                "request_id 5 is still in use"))
      << refusal.error().message();
  EXPECT_EQ(1u, service_.context_count());  // The duplicate did not run.

  const ipc::ServiceMessage& original = replies[1];
  EXPECT_EQ(kId, original.request_id());
  ASSERT_TRUE(original.reply().has_fetch()) << original.error().message();
  EXPECT_EQ(200, original.reply().fetch().status_code());
  EXPECT_EQ("hello cdn.example/dup", original.reply().fetch().body());

  // The connection stays, and the id is free again once answered.
  peer->WriteMessage(CreateMessage(kId, Params()));
  replies = peer->ReadThrough(kId);
  ASSERT_EQ(1u, replies.size());
  EXPECT_TRUE(replies[0].reply().has_context_created());
  EXPECT_EQ(2u, service_.context_count());
}

TEST_F(NetworkServiceTest,
       ADuplicateOfALiveSubscriptionsIdLeavesTheSubscriptionStreaming) {
  std::unique_ptr<RawPeer> peer = ConnectRawPeer();
  uint32_t context_id = CreateRawContextWithMainDocument(peer.get());
  ASSERT_NE(0u, context_id);
  constexpr uint32_t kSubscription = 3;
  peer->WriteMessage(SubscribeMessage(kSubscription, context_id));
  ASSERT_TRUE(peer->ReadThrough(kSubscription).back().reply().has_subscribed());

  peer->WriteMessage(UnsubscribeMessage(kSubscription, kSubscription));
  peer->WriteMessage(PoolStateMessage(4, context_id));
  std::vector<ipc::ServiceMessage> replies = peer->ReadThrough(4);
  ASSERT_EQ(2u, replies.size());
  EXPECT_EQ(0u, replies[0].request_id());
  EXPECT_EQ(kSubscription, replies[0].error().duplicate_request_id());
  EXPECT_EQ(net::ERR_INVALID_ARGUMENT, replies[0].error().code());
  EXPECT_TRUE(replies[1].reply().has_pool_state());

  peer->WriteMessage(
      FetchMessage(5, context_id, "main", "https://cdn.example/a.js"));
  replies = peer->ReadThrough(5);
  ASSERT_TRUE(replies.back().reply().has_fetch());
  EXPECT_GE(CountEvents(replies, kSubscription), 1u);
}

TEST_F(NetworkServiceTest,
       TheClientKeepsADuplicateIdRefusalAwayFromTheCallHoldingTheId) {
  int fds[2];
  ASSERT_EQ(0, ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds));
  FakeService service(fds[0]);
  NetworkServiceClient client(fds[1]);
  std::vector<ipc::Error> unrouted;
  client.set_unrouted_error_callback(
      [&](const ipc::Error& error) { unrouted.push_back(error); });

  std::vector<ipc::ServiceMessage> replies;
  ipc::ClientMessage call;
  call.mutable_get_pool_state()->set_context_id(1);
  uint32_t request_id = client.Call(
      call, [&](const ipc::ServiceMessage& m) { replies.push_back(m); });
  std::vector<ipc::ClientMessage> sent = service.Read(1);
  ASSERT_EQ(1u, sent.size());
  ASSERT_EQ(request_id, sent[0].request_id());

  // As the service answers a duplicate of the id, then the call itself.
  ipc::ServiceMessage refusal;
  refusal.mutable_error()->set_code(net::ERR_INVALID_ARGUMENT);
  refusal.mutable_error()->set_duplicate_request_id(request_id);
  service.WriteMessage(refusal);
  ASSERT_TRUE(RunUntil([&] { return unrouted.size() == 1; }));
  EXPECT_EQ(request_id, unrouted[0].duplicate_request_id());
  EXPECT_TRUE(replies.empty());
  EXPECT_EQ(1u, client.pending_call_count());

  ipc::ServiceMessage reply;
  reply.set_request_id(request_id);
  reply.mutable_reply()->mutable_pool_state()->set_idle_sockets(3);
  service.WriteMessage(reply);
  ASSERT_TRUE(RunUntil([&] { return !replies.empty(); }));
  ASSERT_EQ(1u, replies.size());
  EXPECT_EQ(3u, replies[0].reply().pool_state().idle_sockets());
  EXPECT_TRUE(client.is_connected());
  EXPECT_EQ(0u, client.pending_call_count());
}

// ---- The prewarm_service binary ------------------------------------------

std::string BinaryDirectory() {
  char buffer[4096];
  ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof(buffer) - 1);
  if (n <= 0)
    return ".";
  std::string path(buffer, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/'));
}

// Reads the child's stdout until `text` shows up or ten seconds pass.
bool WaitForOutput(int fd, const std::string& text, std::string* output) {
  for (int i = 0; i < 100; ++i) {
    if (absl::StrContains(*output, text))
      return true;
    pollfd poll_fd = {fd, POLLIN, 0};
    if (::poll(&poll_fd, 1, 100) <= 0)
      continue;
    char buffer[1024];
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n <= 0)
      break;
    output->append(buffer, static_cast<size_t>(n));
  }
  return absl::StrContains(*output, text);
}

// ---- Hostile clients (issue 15) -------------------------------------------

// Limits small enough to reach in a test.
class NetworkServiceLimitsTest : public NetworkServiceTest {
 protected:
  static NetworkService::Options SmallLimits() {
    NetworkService::Options options;
    options.max_clients = 3;
    options.max_sockets = 2 * (256 + NetworkService::kFdsPerContext) + 10;
    options.partial_frame_timeout = absl::Milliseconds(200);
    options.pause_reading_above_bytes = 64 * 1024;
    return options;
  }
  NetworkServiceLimitsTest() : NetworkServiceTest(SmallLimits()) {}
};

// F11: there was no connection cap.
TEST_F(NetworkServiceLimitsTest, ClientsPastTheCapAreTurnedAwayWithAnError) {
  auto a = ConnectRawPeer();
  auto b = ConnectRawPeer();
  auto c = ConnectRawPeer();
  auto turned_away = ConnectRawPeer();
  std::vector<ipc::ServiceMessage> refused = turned_away->Read(1);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].request_id(), 0u);
  EXPECT_EQ(refused[0].error().code(), net::ERR_INSUFFICIENT_RESOURCES);
  EXPECT_TRUE(
      absl::StrContains(refused[0].error().message(), "at most 3 clients"));
  EXPECT_TRUE(turned_away->WaitForClose());
  EXPECT_EQ(service_.client_count(), 3u);
  EXPECT_NE(CreateRawContextWithMainDocument(a.get()), 0u);
  // One leaving makes room for the next.
  c.reset();
  EXPECT_TRUE(RunUntil([&] { return service_.client_count() == 2; }));
  auto next = ConnectRawPeer();
  EXPECT_NE(CreateRawContextWithMainDocument(next.get()), 0u);
}

// F11: a partial frame used to be kept for ever.
TEST_F(NetworkServiceLimitsTest, ADribblingClientIsDroppedAtTheFrameDeadline) {
  auto peer = ConnectRawPeer();
  peer->Write(RawPeer::Frame(CreateMessage(1, Params())).substr(0, 10));
  EXPECT_TRUE(peer->WaitForClose());
  std::vector<ipc::ServiceMessage> messages = peer->Read(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].error().code(), net::ERR_TIMED_OUT);
  EXPECT_TRUE(
      absl::StrContains(messages[0].error().message(), "stayed incomplete"));
  EXPECT_EQ(service_.client_count(), 0u);
}

// F5: a client that never read its replies had every request run, its
// replies piling up (134.6 MB for one, 817 MB for eight), and another
// client's call took seconds.
TEST_F(NetworkServiceLimitsTest,
       AClientThatNeverReadsIsNotReadAndOthersAreServed) {
  auto hostile = ConnectRawPeer();
  uint32_t context_id = CreateRawContextWithMainDocument(hostile.get());
  ASSERT_NE(context_id, 0u);
  std::string flood;
  constexpr uint32_t kCalls = 200000;
  for (uint32_t id = 100; id < 100 + kCalls; ++id)
    flood += RawPeer::Frame(PoolStateMessage(id, context_id));
  size_t written = 0;
  for (int round = 0; round < 200 && written < flood.size(); ++round) {
    written += hostile->WriteSome(std::string_view(flood).substr(written));
    net::RunLoop().RunUntilIdle();
  }
  // The service stopped reading it; what waits for it stays small.
  EXPECT_LT(written, flood.size());
  EXPECT_LE(service_.pending_output_bytes(), 128u * 1024);
  EXPECT_EQ(service_.client_count(), 1u);
  // Another client is served meanwhile.
  auto client = ConnectClient();
  std::unique_ptr<RemoteNetworkContext> context =
      CreateContext(client.get(), Params());
  ASSERT_TRUE(context);
  EXPECT_TRUE(Commit(context.get(), "main", "https://news.example/").ok());
}

// F4: pool limits up to 2^31-1 and idle timeouts of 2^32-1 ms were taken.
TEST_F(NetworkServiceTest, PoolLimitsAndIdleTimeoutsPastTheCapsAreRefused) {
  auto client = ConnectClient();
  struct Case {
    std::function<void(scenario::PoolConfig*)> set;
    const char* says;
  };
  const Case cases[] = {
      {[](scenario::PoolConfig* pool) {
         pool->set_max_sockets_total(1024);
         pool->set_max_sockets_per_group(257);
       },
       "max_sockets_per_group 257 is over the cap of 256"},
      {[](scenario::PoolConfig* pool) {
         pool->set_max_sockets_total(2147483647);
       },
       "max_sockets_total 2147483647 is over the cap of 1024"},
      {[](scenario::PoolConfig* pool) {
         pool->set_unused_idle_timeout_ms(4294967295u);
       },
       "unused_idle_timeout"},
      {[](scenario::PoolConfig* pool) {
         pool->set_used_idle_timeout_ms(3600001);
       },
       "used_idle_timeout 1h0.001s is over the cap of 1h"},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.says);
    ipc::NetworkContextParams params = Params();
    test_case.set(params.mutable_pool_config());
    ipc::ServiceMessage reply = CreateRaw(client.get(), params);
    EXPECT_EQ(reply.error().code(), net::ERR_INVALID_ARGUMENT);
    EXPECT_TRUE(absl::StrContains(reply.error().message(), test_case.says))
        << reply.error().message();
  }
  // At the caps a context is made.
  ipc::NetworkContextParams params = Params();
  params.mutable_pool_config()->set_max_sockets_per_group(256);
  params.mutable_pool_config()->set_max_sockets_total(1024);
  params.mutable_pool_config()->set_used_idle_timeout_ms(3600000);
  EXPECT_TRUE(CreateRaw(client.get(), params).reply().has_context_created());
}

// F4: no service-wide socket budget let one client's pools take every fd.
TEST_F(NetworkServiceLimitsTest, ContextsPastTheSocketBudgetAreRefused) {
  auto client = ConnectClient();
  std::unique_ptr<RemoteNetworkContext> first =
      CreateContext(client.get(), Params());
  std::unique_ptr<RemoteNetworkContext> second =
      CreateContext(client.get(), Params());
  ASSERT_TRUE(first && second);
  int error = net::OK;
  std::string message;
  EXPECT_FALSE(CreateContext(client.get(), Params(), &error, &message));
  EXPECT_EQ(error, net::ERR_INSUFFICIENT_RESOURCES);
  EXPECT_TRUE(absl::StrContains(message, "socket budget of 538 has 10 left"))
      << message;
  // A small pool fits in what is left.
  ipc::NetworkContextParams small = Params();
  small.mutable_pool_config()->set_max_sockets_per_group(2);
  small.mutable_pool_config()->set_max_sockets_total(2);
  std::unique_ptr<RemoteNetworkContext> third =
      CreateContext(client.get(), small);
  EXPECT_TRUE(third);
  EXPECT_EQ(service_.sockets_reserved(), service_.socket_budget());
  // Destroying a context gives its share back.
  first.reset();
  EXPECT_TRUE(RunUntil([&] { return service_.context_count() == 2; }));
  EXPECT_TRUE(CreateContext(client.get(), Params()));
}

TEST_F(NetworkServiceTest, TheSocketBudgetIsRlimitNofileLessTheServicesOwnFds) {
  rlimit saved = {};
  ASSERT_EQ(0, ::getrlimit(RLIMIT_NOFILE, &saved));
  rlimit low = saved;
  low.rlim_cur = std::min<rlim_t>(saved.rlim_max, 1000);
  ASSERT_EQ(0, ::setrlimit(RLIMIT_NOFILE, &low));
  NetworkService::Options options;
  options.max_clients = 10;
  NetworkService service(options);
  ASSERT_EQ(0, ::setrlimit(RLIMIT_NOFILE, &saved));
  EXPECT_EQ(service.socket_budget(),
            low.rlim_cur - NetworkService::kReservedFds - 10);
}

// F10: one string field with invalid UTF-8 used to drop the whole
// connection and every context on it.
TEST_F(NetworkServiceTest,
       InvalidUtf8InAStringFieldIsRefusedAndTheClientStays) {
  auto peer = ConnectRawPeer();
  uint32_t context_id = CreateRawContextWithMainDocument(peer.get());
  ASSERT_NE(context_id, 0u);
  std::string frame = RawPeer::Frame(
      CommitMessage(3, context_id, "next", "https://blog.example/@@"));
  frame.replace(frame.find("@@"), 2, "\xff\xfe");
  peer->Write(frame);
  std::vector<ipc::ServiceMessage> replies = peer->ReadThrough(3);
  ASSERT_FALSE(replies.empty());
  EXPECT_EQ(replies.back().request_id(), 3u);
  EXPECT_EQ(replies.back().error().code(), net::ERR_INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(replies.back().error().message(),
                                "commit_navigation.url is not valid UTF-8"))
      << replies.back().error().message();
  // The same connection and context serve the next call.
  peer->WriteMessage(
      CommitMessage(4, context_id, "next", "https://blog.example/"));
  replies = peer->ReadThrough(4);
  ASSERT_FALSE(replies.empty());
  EXPECT_TRUE(replies.back().reply().has_done());
  EXPECT_EQ(service_.context_count(), 1u);
}

// F1/F4: a hostile client's frame chain stops at the depth cap, and its
// teardown at disconnect takes the rest of the service with it no more.
TEST_F(NetworkServiceTest, AFrameChainPastTheDepthCapIsRefused) {
  auto peer = ConnectRawPeer();
  uint32_t context_id = CreateRawContextWithMainDocument(peer.get());
  ASSERT_NE(context_id, 0u);
  const size_t depth = DocumentRegistry::Limits().max_frame_depth;
  std::string parent = "main";
  std::string frames;
  for (uint32_t level = 1; level <= depth + 1; ++level) {
    ipc::ClientMessage message =
        CommitMessage(10 + level, context_id, absl::StrCat("f", level),
                      "https://cdn.example/");
    message.mutable_commit_navigation()->set_parent_id(parent);
    parent = absl::StrCat("f", level);
    frames += RawPeer::Frame(message);
  }
  peer->Write(frames);
  const uint32_t last = 10 + static_cast<uint32_t>(depth) + 1;
  std::vector<ipc::ServiceMessage> replies = peer->ReadThrough(last);
  ASSERT_EQ(replies.size(), depth + 1);
  EXPECT_TRUE(replies[depth - 1].reply().has_done());
  EXPECT_EQ(replies.back().error().code(), net::ERR_INSUFFICIENT_RESOURCES);
  EXPECT_TRUE(absl::StrContains(replies.back().error().message(), "levels"));
  peer.reset();
  EXPECT_TRUE(RunUntil([&] { return service_.context_count() == 0; }));
}

TEST(PrewarmServiceBinaryTest, ServesACallAndExitsCleanlyOnSigterm) {
  net::EventLoop loop;
  std::string binary = BinaryDirectory() + "/prewarm_service";
  ASSERT_EQ(0, ::access(binary.c_str(), X_OK)) << binary;
  std::string path = absl::StrCat(::testing::TempDir(), "prewarm-service-",
                                  ::getpid(), ".sock");
  std::string flag = "--socket=" + path;

  int out[2];
  ASSERT_EQ(0, ::pipe2(out, O_CLOEXEC));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  char* argv[] = {binary.data(), flag.data(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(
      0, ::posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv, environ));
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);

  std::string output;
  ASSERT_TRUE(WaitForOutput(out[0], "listening on", &output)) << output;

  {
    int error = net::ERR_FAILED;
    std::string message;
    std::unique_ptr<NetworkServiceClient> client =
        NetworkServiceClient::Connect(path, &error, &message);
    ASSERT_TRUE(client) << message;
    ipc::ClientMessage create;
    create.mutable_create_network_context()->mutable_params()->set_policy(
        ipc::SEED);
    std::optional<ipc::ServiceMessage> created;
    client->Call(create,
                 [&](const ipc::ServiceMessage& reply) { created = reply; });
    ASSERT_TRUE(RunUntil([&] { return created.has_value(); }));
    ASSERT_TRUE(created->reply().has_context_created());
    ipc::ClientMessage state;
    state.mutable_get_pool_state()->set_context_id(
        created->reply().context_created().context_id());
    std::optional<ipc::ServiceMessage> pool;
    client->Call(state,
                 [&](const ipc::ServiceMessage& reply) { pool = reply; });
    ASSERT_TRUE(RunUntil([&] { return pool.has_value(); }));
    EXPECT_TRUE(pool->reply().has_pool_state());
    EXPECT_FALSE(pool->reply().pool_state().json().empty());

    // SIGTERM with the client still connected.
    std::optional<int> disconnected;
    client->set_disconnect_callback([&](int rv) { disconnected = rv; });
    ASSERT_EQ(0, ::kill(pid, SIGTERM));
    EXPECT_TRUE(RunUntil([&] { return disconnected.has_value(); }));
  }
  int status = 0;
  ASSERT_EQ(pid, ::waitpid(pid, &status, 0));
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(0, WEXITSTATUS(status));
  WaitForOutput(out[0], "shutting down", &output);
  EXPECT_TRUE(absl::StrContains(output, "1 clients, shutting down")) << output;
  ::close(out[0]);
  struct stat info;
  EXPECT_NE(0, ::lstat(path.c_str(), &info));  // The socket file is gone.
}

TEST(PrewarmServiceBinaryTest, RefusesToStartWithoutASocketPath) {
  std::string binary = BinaryDirectory() + "/prewarm_service";
  char* argv[] = {binary.data(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(
      0, ::posix_spawn(&pid, binary.c_str(), nullptr, nullptr, argv, environ));
  int status = 0;
  ASSERT_EQ(pid, ::waitpid(pid, &status, 0));
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(2, WEXITSTATUS(status));
}

// Waits up to ten seconds for `pid` (a child) to exit; false if it is still
// running, and then it is killed so the test cannot leave it behind.
bool WaitForExit(pid_t pid, int* status) {
  for (int i = 0; i < 1000; ++i) {
    if (::waitpid(pid, status, WNOHANG) == pid)
      return true;
    ::usleep(10 * 1000);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, status, 0);
  return false;
}

// A host that crashes never sends SIGTERM; the service must notice that its
// owner is gone and shut down instead of running on as an orphan.
TEST(PrewarmServiceBinaryTest, ExitsWhenItsOwnerProcessDies) {
  std::string binary = BinaryDirectory() + "/prewarm_service";
  ASSERT_EQ(0, ::access(binary.c_str(), X_OK)) << binary;
  // The owner stands in for a host: a process the test can kill outright.
  char sleep_binary[] = "/bin/sleep";
  char sleep_seconds[] = "600";
  char* owner_argv[] = {sleep_binary, sleep_seconds, nullptr};
  pid_t owner = 0;
  ASSERT_EQ(0, ::posix_spawn(&owner, sleep_binary, nullptr, nullptr, owner_argv,
                             environ));

  std::string path =
      absl::StrCat(::testing::TempDir(), "prewarm-owned-", ::getpid(), ".sock");
  std::string socket_flag = "--socket=" + path;
  std::string owner_flag = absl::StrCat("--owner-pid=", owner);
  int out[2];
  ASSERT_EQ(0, ::pipe2(out, O_CLOEXEC));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  char* argv[] = {binary.data(), socket_flag.data(), owner_flag.data(),
                  nullptr};
  pid_t pid = 0;
  ASSERT_EQ(
      0, ::posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv, environ));
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  std::string output;
  ASSERT_TRUE(WaitForOutput(out[0], "listening on", &output)) << output;

  // While the owner lives the service keeps serving.
  int status = 0;
  EXPECT_EQ(0, ::waitpid(pid, &status, WNOHANG));
  ASSERT_EQ(0, ::kill(owner, SIGKILL));
  ASSERT_EQ(owner, ::waitpid(owner, &status, 0));

  ASSERT_TRUE(WaitForExit(pid, &status)) << output;
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(0, WEXITSTATUS(status));
  WaitForOutput(out[0], "shutting down", &output);
  EXPECT_TRUE(absl::StrContains(
      output, absl::StrCat("owner ", owner, " exited, 0 clients")))
      << output;
  ::close(out[0]);
  struct stat info;
  EXPECT_NE(0, ::lstat(path.c_str(), &info));  // The socket file is gone.
}

TEST(PrewarmServiceBinaryTest, AnOwnerThatIsAlreadyGoneIsAnError) {
  std::string binary = BinaryDirectory() + "/prewarm_service";
  char true_binary[] = "/bin/true";
  char* true_argv[] = {true_binary, nullptr};
  pid_t gone = 0;
  ASSERT_EQ(0, ::posix_spawn(&gone, true_binary, nullptr, nullptr, true_argv,
                             environ));
  int status = 0;
  ASSERT_EQ(gone, ::waitpid(gone, &status, 0));  // Reaped: the pid is free.

  std::string path = absl::StrCat(::testing::TempDir(), "prewarm-orphan-",
                                  ::getpid(), ".sock");
  std::string socket_flag = "--socket=" + path;
  std::string owner_flag = absl::StrCat("--owner-pid=", gone);
  char* argv[] = {binary.data(), socket_flag.data(), owner_flag.data(),
                  nullptr};
  pid_t pid = 0;
  ASSERT_EQ(
      0, ::posix_spawn(&pid, binary.c_str(), nullptr, nullptr, argv, environ));
  ASSERT_TRUE(WaitForExit(pid, &status));
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(1, WEXITSTATUS(status));
  struct stat info;
  EXPECT_NE(0, ::lstat(path.c_str(), &info));  // It never listened.
}

TEST(PrewarmServiceBinaryTest, ABadOwnerPidIsAUsageError) {
  std::string binary = BinaryDirectory() + "/prewarm_service";
  for (std::string flag : {"--owner-pid=", "--owner-pid=-3", "--owner-pid=12x",
                           "--owner-pid=0", "--owner-pid=99999999999"}) {
    std::string socket_flag = "--socket=/nonexistent/never.sock";
    char* argv[] = {binary.data(), socket_flag.data(), flag.data(), nullptr};
    pid_t pid = 0;
    ASSERT_EQ(0, ::posix_spawn(&pid, binary.c_str(), nullptr, nullptr, argv,
                               environ));
    int status = 0;
    ASSERT_TRUE(WaitForExit(pid, &status)) << flag;
    EXPECT_TRUE(WIFEXITED(status)) << flag;
    EXPECT_EQ(2, WEXITSTATUS(status)) << flag;
  }
}

// Preload: a real request, consumed by a later Fetch of the same document
// over the same connection; refused calls get an Error naming the field.
class NetworkServicePreloadTest : public NetworkServiceTest {
 protected:
  static ipc::ClientMessage PreloadMessage(uint32_t context_id,
                                           const std::string& document,
                                           const std::string& url,
                                           const std::string& as = "fetch") {
    ipc::ClientMessage message;
    ipc::Preload* call = message.mutable_preload();
    call->set_context_id(context_id);
    call->set_document_id(document);
    call->set_url(url);
    call->set_as(as);
    return message;
  }
};

TEST_F(NetworkServicePreloadTest, APreloadIsConsumedByTheLaterFetch) {
  std::unique_ptr<NetworkServiceClient> client = ConnectClient();
  ipc::ServiceMessage created = CreateRaw(client.get(), Params());
  ASSERT_TRUE(created.reply().has_context_created());
  uint32_t id = created.reply().context_created().context_id();
  ipc::ClientMessage commit;
  commit.mutable_commit_navigation()->set_context_id(id);
  commit.mutable_commit_navigation()->set_document_id("main");
  commit.mutable_commit_navigation()->set_url("https://news.example/");
  ASSERT_TRUE(Call(client.get(), commit).reply().has_done());

  ipc::ServiceMessage preloaded =
      Call(client.get(), PreloadMessage(id, "main", "https://cdn.example/d"));
  ASSERT_TRUE(preloaded.reply().has_preload()) << preloaded.DebugString();
  const ipc::PreloadResult& preload = preloaded.reply().preload();
  EXPECT_NE(0u, preload.preload_id());
  EXPECT_EQ("", preload.destination());
  EXPECT_EQ(scenario::NO_CORS, preload.mode());
  EXPECT_EQ(scenario::INCLUDE, preload.credentials());
  EXPECT_EQ(200, preload.response().status_code());
  EXPECT_EQ("cdn.example", preload.response().group().host());

  ipc::ClientMessage fetch;
  ipc::Fetch* call = fetch.mutable_fetch();
  call->set_context_id(id);
  call->set_document_id("main");
  call->set_url("https://cdn.example/d");
  call->set_credentials(scenario::INCLUDE);
  ipc::ServiceMessage fetched = Call(client.get(), fetch);
  ASSERT_TRUE(fetched.reply().has_fetch()) << fetched.DebugString();
  EXPECT_EQ(preload.preload_id(), fetched.reply().fetch().from_preload_id());
  EXPECT_EQ("hello cdn.example/d", fetched.reply().fetch().body());
  EXPECT_EQ(1, server_.num_requests()) << "the fetch sent nothing";

  // A second fetch of the URL finds the preload consumed.
  ipc::ServiceMessage again = Call(client.get(), fetch);
  EXPECT_EQ(0u, again.reply().fetch().from_preload_id());
  EXPECT_EQ(2, server_.num_requests());
}

TEST_F(NetworkServicePreloadTest, BadPreloadsAndFetchHeadersGetAnError) {
  std::unique_ptr<NetworkServiceClient> client = ConnectClient();
  ipc::ServiceMessage created = CreateRaw(client.get(), Params());
  uint32_t id = created.reply().context_created().context_id();
  ipc::ClientMessage commit;
  commit.mutable_commit_navigation()->set_context_id(id);
  commit.mutable_commit_navigation()->set_document_id("main");
  commit.mutable_commit_navigation()->set_url("https://news.example/");
  ASSERT_TRUE(Call(client.get(), commit).reply().has_done());

  struct Case {
    ipc::ClientMessage message;
    int code;
    const char* says;
  };
  std::vector<Case> cases = {
      {PreloadMessage(4242, "main", "https://cdn.example/"),
       net::ERR_INVALID_ARGUMENT, "4242"},
      {PreloadMessage(id, "ghost", "https://cdn.example/"),
       net::ERR_UNKNOWN_DOCUMENT, "ghost"},
      {PreloadMessage(id, "main", ""), net::ERR_INVALID_URL, "href"},
      {PreloadMessage(id, "main", "https://exa mple/"), net::ERR_INVALID_URL,
       "exa mple"},
      {PreloadMessage(id, "main", "data:text/plain,x"),
       net::ERR_DISALLOWED_URL_SCHEME, "http(s)"},
      {PreloadMessage(id, "main", "javascript:void(0)"),
       net::ERR_DISALLOWED_URL_SCHEME, "http(s)"},
      {PreloadMessage(id, "main", "https://cdn.example/", "document"),
       net::ERR_INVALID_ARGUMENT, "as=\"document\""},
  };
  cases.push_back({PreloadMessage(id, "main", "https://cdn.example/"),
                   net::ERR_INVALID_ARGUMENT, "crossorigin"});
  cases.back().message.mutable_preload()->set_crossorigin(
      static_cast<scenario::CrossOrigin>(9));
  ipc::ClientMessage bad_header;
  bad_header.mutable_fetch()->set_context_id(id);
  bad_header.mutable_fetch()->set_document_id("main");
  bad_header.mutable_fetch()->set_url("https://cdn.example/");
  scenario::Header* header = bad_header.mutable_fetch()->add_headers();
  header->set_name("X-A");
  header->set_value("1\r\nHost: evil.example");
  cases.push_back({bad_header, net::ERR_INVALID_ARGUMENT, "CR, LF"});
  ipc::ClientMessage many = bad_header;
  many.mutable_fetch()->clear_headers();
  for (int i = 0; i <= NetworkService::kMaxAuthorHeaders; ++i) {
    scenario::Header* h = many.mutable_fetch()->add_headers();
    h->set_name(absl::StrCat("X-", i));
  }
  cases.push_back({many, net::ERR_INVALID_ARGUMENT, "author headers"});

  for (const Case& c : cases) {
    SCOPED_TRACE(c.message.DebugString());
    ipc::ServiceMessage reply = Call(client.get(), c.message);
    ASSERT_TRUE(reply.has_error()) << reply.DebugString();
    EXPECT_EQ(c.code, reply.error().code());
    EXPECT_TRUE(absl::StrContains(reply.error().message(), c.says))
        << reply.error().message();
  }
  EXPECT_EQ(0, server_.num_requests());
}

TEST_F(NetworkServicePreloadTest, PreloadEventsStreamToTheSubscriber) {
  std::unique_ptr<RawPeer> peer = ConnectRawPeer();
  uint32_t id = CreateRawContextWithMainDocument(peer.get());
  ASSERT_NE(0u, id);
  peer->WriteMessage(SubscribeMessage(3, id));
  peer->ReadThrough(3);
  ipc::ClientMessage preload =
      PreloadMessage(id, "main", "https://cdn.example/p");
  preload.set_request_id(4);
  peer->WriteMessage(preload);
  peer->ReadThrough(4);
  // mode cors: the plain preload (no-cors) is not this request's.
  ipc::ClientMessage cors =
      FetchMessage(5, id, "main", "https://cdn.example/p");
  cors.mutable_fetch()->set_mode(scenario::CORS);
  peer->WriteMessage(cors);
  std::vector<ipc::ServiceMessage> messages = peer->ReadThrough(5);
  // Then one that matches.
  ipc::ClientMessage plain =
      FetchMessage(6, id, "main", "https://cdn.example/p");
  plain.mutable_fetch()->set_credentials(scenario::INCLUDE);
  peer->WriteMessage(plain);
  for (ipc::ServiceMessage& message : peer->ReadThrough(6))
    messages.push_back(std::move(message));

  std::vector<ipc::PreloadEvent> events;
  for (const ipc::ServiceMessage& message : messages) {
    if (message.has_event() && message.event().has_preload()) {
      EXPECT_EQ(3u, message.request_id());
      events.push_back(message.event().preload());
    }
  }
  ASSERT_EQ(2u, events.size());
  EXPECT_EQ(ipc::PreloadEvent::NOT_CONSUMED, events[0].kind());
  EXPECT_TRUE(absl::StrContains(events[0].diagnostic(), "mode 'cors'"))
      << events[0].diagnostic();
  EXPECT_EQ(ipc::PreloadEvent::CONSUMED, events[1].kind());
  EXPECT_EQ(events[0].preload_id(), events[1].preload_id());
  EXPECT_EQ("https://cdn.example/p", events[1].url());
}

}  // namespace
}  // namespace prewarm
