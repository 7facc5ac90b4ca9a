// Connection benchmarks for prewarm's own stack (BoringSSL side):
//   BM_FullConnect/<server>/<session>: resolve + TCP + TLS 1.3 through
//     TransportConnectJob, to the in-process EmbeddedTestServer (whose server
//     work runs on the same thread and is included) or to nginx; "new" offers
//     no session, "resumed" offers the partition's ticket (collected outside
//     the timed region).
//   BM_PrewarmKeepAliveGet: HTTP/1.1 GETs over one TLS connection to nginx with
//     HttpBasicStream; compare with curl_keepalive_bench.
//   BM_IdleTlsSocketMemory/<n>: RSS growth per idle TLS socket over n
//   connections.
//   BM_PrewarmHttp2MultiplexedGets: rounds of 100 concurrent GETs over one
//     HTTP/2 session to nginx; compare with curl_keepalive_bench's
//     BM_CurlHttp2MultiplexedGets.
//   BM_IdleHttp2SessionMemory/<n>: heap per idle HTTP/2 session over n
//     connections, beside the TLS socket under it.
//
//   connection_bench [--nginx_url=https://127.0.0.1:PORT/ --ca_file=PATH]
//   [flags]
// Without --nginx_url it starts its own nginx.

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "bench/keepalive_counters.h"
#include "benchmark/benchmark.h"
#include "net/base/net_errors.h"
#include "net/base/url.h"
#include "net/dns/host_resolver.h"
#include "net/event/event_loop.h"
#include "net/event/timer.h"
#include "net/http/http_basic_stream.h"
#include "net/socket/stream_socket.h"
#include "net/socket/transport_connect_job.h"
#include "net/spdy/http2_session.h"
#include "net/spdy/http2_stream.h"
#include "net/ssl/ssl_client_session_cache.h"
#include "net/ssl/ssl_client_socket.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "net/test/nginx_server.h"
#include "net/test/test_certificate_authority.h"
#include "net/test/test_completion_callback.h"

namespace net {
namespace {

// Where nginx is: given on the command line, or started here.
struct NginxTarget {
  uint16_t port = 0;
  std::string root_pem;
};

NginxTarget g_nginx;
std::unique_ptr<TestCertificateAuthority> g_own_authority;
std::unique_ptr<NginxServer> g_own_nginx;

size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t total_pages = 0;
  size_t resident_pages = 0;
  statm >> total_pages >> resident_pages;
  return resident_pages * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

// Heap bytes in use (glibc), which unlike RSS is not hidden by pages that
// earlier benchmarks freed and the allocator kept.
size_t HeapBytesInUse() {
  struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

class Delegate : public ConnectJob::Delegate {
 public:
  explicit Delegate(TestCompletionCallback* callback)
      : callback_(callback->callback()) {}
  void OnConnectJobComplete(int result, ConnectJob*) override {
    std::move(callback_)(result);
  }

 private:
  CompletionOnceCallback callback_;
};

// One client stack: resolver (with "localhost:443" sent to `port`), session
// cache.
class Client {
 public:
  // `alpn`: what the TLS handshake offers. The HTTP/1.1 benchmarks offer
  // only http/1.1, as curl does with CURL_HTTP_VERSION_1_1.
  Client(uint16_t port,
         const std::string& root_pem,
         std::vector<std::string> alpn = {"http/1.1"})
      : session_cache_(EventLoop::Current()->clock()) {
    ssl_config_.alpn_protocols = std::move(alpn);
    HostResolver::Options options;
    std::string message;
    ConnectToOverrides::Parse("localhost:443:127.0.0.1:" + std::to_string(port),
                              &options.connect_to, &message);
    int error = OK;
    resolver_ = HostResolver::Create(std::move(options), &error, &message);
    ssl_config_.trusted_root_certificates_pem = root_pem;
  }

  // Connects to https://localhost (mapped); OK or an error.
  int Connect(bool use_session_cache,
              std::unique_ptr<StreamSocket>* socket,
              bool* resumed) {
    ConnectJobParams params;
    params.scheme = "https";
    params.destination = HostPortPair("localhost", 443);
    TestCompletionCallback callback;
    Delegate delegate(&callback);
    TransportConnectJob job(params, resolver_.get(),
                            use_session_cache ? &session_cache_ : nullptr,
                            ssl_config_, {}, nullptr, &delegate);
    int rv = callback.GetResult(job.Connect());
    if (rv == OK) {
      *socket = job.PassSocket();
      *resumed = job.ssl_session_resumed();
    }
    return rv;
  }

 private:
  SslClientSessionCache session_cache_;
  SslConfig ssl_config_;
  std::unique_ptr<HostResolver> resolver_;
};

// One GET; OK if a 200 with a complete body came back on a reusable connection.
int Get(StreamSocket* socket, const HttpRequestInfo& request, bool* reusable) {
  HttpBasicStream stream(socket);
  TestCompletionCallback callback;
  int rv = callback.GetResult(stream.SendRequest(request, callback.callback()));
  if (rv == OK)
    rv = callback.GetResult(stream.ReadResponseHeaders(callback.callback()));
  std::string body;
  if (rv == OK) {
    rv = callback.GetResult(
        stream.ReadResponseBodyToEnd(&body, callback.callback()));
  }
  if (rv == OK && stream.response_headers().response_code() != 200)
    rv = ERR_INVALID_HTTP_RESPONSE;
  *reusable = stream.CanReuseConnection();
  return rv;
}

HttpRequestInfo RootRequest(const std::string& url) {
  HttpRequestInfo request;
  request.url = Url::Parse(url);
  // What curl sends besides Host, so both clients make the same request.
  request.extra_headers.emplace_back("Accept", "*/*");
  return request;
}

void RunFullConnect(benchmark::State& state,
                    uint16_t port,
                    const std::string& root_pem) {
  const bool use_sessions = state.range(0) == 1;
  Client client(port, root_pem);
  HttpRequestInfo request = RootRequest("https://localhost/");
  int resumed_count = 0;
  bool warmed = false;
  for (auto _ : state) {
    if (use_sessions && !warmed) {
      // The first connection of the run fills the session cache untimed.
      state.PauseTiming();
      std::unique_ptr<StreamSocket> socket;
      bool resumed = false, reusable = false;
      if (client.Connect(true, &socket, &resumed) != OK ||
          Get(socket.get(), request, &reusable) != OK) {
        state.SkipWithError("warm-up connection failed");
        break;
      }
      warmed = true;
      state.ResumeTiming();
    }
    std::unique_ptr<StreamSocket> socket;
    bool resumed = false;
    int rv = client.Connect(use_sessions, &socket, &resumed);
    if (rv != OK) {
      state.SkipWithError(ErrorToString(rv).c_str());
      break;
    }
    resumed_count += resumed;
    state.PauseTiming();
    if (use_sessions) {
      // TLS 1.3 tickets are single-use and arrive after the handshake: read a
      // response so the next iteration has a fresh one.
      bool reusable = false;
      Get(socket.get(), request, &reusable);
    }
    socket.reset();
    state.ResumeTiming();
  }
  if (state.iterations() > 0) {
    state.counters["resumed_fraction"] =
        static_cast<double>(resumed_count) / state.iterations();
  }
}

void BM_FullConnect_EmbeddedTestServer(benchmark::State& state) {
  test_server::EmbeddedTestServer server(
      test_server::EmbeddedTestServer::Type::kHttps);
  server.RegisterRequestHandler(
      [](const test_server::HttpRequest&)
          -> std::optional<test_server::HttpResponse> {
        test_server::HttpResponse response;
        response.set_content("hello");
        return response;
      });
  if (server.Start() != OK) {
    state.SkipWithError("EmbeddedTestServer did not start");
    return;
  }
  RunFullConnect(state, server.port(), server.root_certificate_pem());
}
BENCHMARK(BM_FullConnect_EmbeddedTestServer)
    ->ArgName("resumed")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMicrosecond);

void BM_FullConnect_Nginx(benchmark::State& state) {
  RunFullConnect(state, g_nginx.port, g_nginx.root_pem);
}
BENCHMARK(BM_FullConnect_Nginx)
    ->ArgName("resumed")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMicrosecond);

void BM_PrewarmKeepAliveGet(benchmark::State& state) {
  Client client(g_nginx.port, g_nginx.root_pem);
  std::unique_ptr<StreamSocket> socket;
  bool resumed = false;
  if (client.Connect(false, &socket, &resumed) != OK) {
    state.SkipWithError("connect to nginx failed");
    return;
  }
  // The same URL curl_keepalive_bench fetches.
  HttpRequestInfo request =
      RootRequest("https://127.0.0.1:" + std::to_string(g_nginx.port) + "/");
  bool reusable = false;
  if (Get(socket.get(), request, &reusable) != OK || !reusable) {
    state.SkipWithError("first GET failed");
    return;
  }
  double cpu_start = prewarm::CpuSeconds();
  for (auto _ : state) {
    int rv = Get(socket.get(), request, &reusable);
    if (rv != OK || !reusable) {
      state.SkipWithError(rv != OK ? ErrorToString(rv).c_str()
                                   : "connection not reusable");
      break;
    }
  }
  prewarm::SetKeepAliveCounters(state, prewarm::CpuSeconds() - cpu_start,
                                /*new_connections=*/0);
}
BENCHMARK(BM_PrewarmKeepAliveGet)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_IdleTlsSocketMemory(benchmark::State& state) {
  const int count = static_cast<int>(state.range(0));
  Client client(g_nginx.port, g_nginx.root_pem);
  for (auto _ : state) {
    // One connection first, so one-time allocations (BoringSSL tables, the
    // resolver, the loop) are in the baseline.
    std::unique_ptr<StreamSocket> first;
    bool resumed = false;
    if (client.Connect(false, &first, &resumed) != OK) {
      state.SkipWithError("connect to nginx failed");
      return;
    }
    std::vector<std::unique_ptr<StreamSocket>> sockets;
    sockets.reserve(count);
    size_t rss_before = ResidentBytes();
    size_t heap_before = HeapBytesInUse();
    for (int i = 0; i < count; ++i) {
      std::unique_ptr<StreamSocket> socket;
      int rv = client.Connect(false, &socket, &resumed);
      if (rv != OK) {
        state.SkipWithError(ErrorToString(rv).c_str());
        return;
      }
      sockets.push_back(std::move(socket));
    }
    size_t rss_after = ResidentBytes();
    size_t heap_after = HeapBytesInUse();
    int connected = 0;
    for (const auto& socket : sockets)
      connected += socket->IsConnected();
    state.counters["idle_sockets"] = connected;
    state.counters["rss_bytes_per_socket"] =
        (static_cast<double>(rss_after) - static_cast<double>(rss_before)) /
        count;
    state.counters["heap_bytes_per_socket"] =
        (static_cast<double>(heap_after) - static_cast<double>(heap_before)) /
        count;
  }
}
BENCHMARK(BM_IdleTlsSocketMemory)
    ->Arg(1000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// One iteration: `count` GETs in flight at once on one HTTP/2 session, all
// read to the end.
int MultiplexedGets(Http2Session* session,
                    const HttpRequestInfo& request,
                    int count) {
  struct Pending {
    std::unique_ptr<Http2Stream> stream;
    std::string body;
  };
  std::vector<Pending> pending(count);
  int remaining = count;
  int error = OK;
  RunLoop run_loop;
  auto done = [&](int result) {
    if (result != OK && error == OK)
      error = result;
    if (--remaining == 0)
      run_loop.Quit();
  };
  for (Pending& p : pending) {
    p.stream = std::make_unique<Http2Stream>(session);
    Pending* self = &p;
    auto read_body = [self, done](int result) mutable {
      if (result != OK) {
        done(result);
        return;
      }
      int rv = self->stream->ReadResponseBodyToEnd(&self->body, done);
      if (rv != ERR_IO_PENDING)
        done(rv);
    };
    auto read_headers = [self, read_body, done](int result) mutable {
      if (result != OK) {
        done(result);
        return;
      }
      int rv = self->stream->ReadResponseHeaders(read_body);
      if (rv != ERR_IO_PENDING)
        read_body(rv);
    };
    int rv = p.stream->SendRequest(request, read_headers);
    if (rv != ERR_IO_PENDING)
      read_headers(rv);
  }
  if (remaining > 0)
    run_loop.Run();
  for (const Pending& p : pending) {
    if (error == OK && p.stream->response_headers().response_code() != 200)
      error = ERR_INVALID_HTTP_RESPONSE;
  }
  return error;
}

constexpr int kMultiplexedGets = 100;

void BM_PrewarmHttp2MultiplexedGets(benchmark::State& state) {
  Client client(g_nginx.port, g_nginx.root_pem, {"h2", "http/1.1"});
  std::unique_ptr<StreamSocket> socket;
  bool resumed = false;
  if (client.Connect(false, &socket, &resumed) != OK ||
      socket->GetNegotiatedProtocol() != "h2") {
    state.SkipWithError("no h2 connection to nginx");
    return;
  }
  Http2Session session(socket.get(), Http2SessionOptions(), socket->NetLog());
  if (session.Start() != OK) {
    state.SkipWithError("the HTTP/2 session did not start");
    return;
  }
  // The same URL curl fetches.
  HttpRequestInfo request =
      RootRequest("https://127.0.0.1:" + std::to_string(g_nginx.port) + "/");
  if (MultiplexedGets(&session, request, kMultiplexedGets) != OK) {
    state.SkipWithError("first round of GETs failed");
    return;
  }
  double cpu_start = prewarm::CpuSeconds();
  for (auto _ : state) {
    int rv = MultiplexedGets(&session, request, kMultiplexedGets);
    if (rv != OK) {
      state.SkipWithError(ErrorToString(rv).c_str());
      break;
    }
  }
  prewarm::SetKeepAliveCounters(state, prewarm::CpuSeconds() - cpu_start,
                                /*new_connections=*/0, kMultiplexedGets);
}
BENCHMARK(BM_PrewarmHttp2MultiplexedGets)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// Heap of idle HTTP/2 sessions: `count` TLS connections, then a started
// session on each (SETTINGS exchanged, no stream); the session's own share is
// reported beside the whole connection's.
void BM_IdleHttp2SessionMemory(benchmark::State& state) {
  const int count = static_cast<int>(state.range(0));
  Client client(g_nginx.port, g_nginx.root_pem, {"h2", "http/1.1"});
  for (auto _ : state) {
    std::unique_ptr<StreamSocket> first;
    bool resumed = false;
    if (client.Connect(false, &first, &resumed) != OK) {
      state.SkipWithError("connect to nginx failed");
      return;
    }
    Http2Session first_session(first.get(), Http2SessionOptions(),
                               first->NetLog());
    first_session.Start();
    std::vector<std::unique_ptr<StreamSocket>> sockets;
    std::vector<std::unique_ptr<Http2Session>> sessions;
    sockets.reserve(count);
    sessions.reserve(count);
    size_t heap_start = HeapBytesInUse();
    for (int i = 0; i < count; ++i) {
      std::unique_ptr<StreamSocket> socket;
      int rv = client.Connect(false, &socket, &resumed);
      if (rv != OK) {
        state.SkipWithError(ErrorToString(rv).c_str());
        return;
      }
      sockets.push_back(std::move(socket));
    }
    size_t heap_sockets = HeapBytesInUse();
    for (auto& socket : sockets) {
      sessions.push_back(std::make_unique<Http2Session>(
          socket.get(), Http2SessionOptions(), socket->NetLog()));
      sessions.back()->Start();
    }
    // Let every server SETTINGS arrive and be acknowledged.
    RunLoop run_loop;
    OneShotTimer settle;
    settle.Start(absl::Milliseconds(200), run_loop.QuitClosure());
    run_loop.Run();
    size_t heap_sessions = HeapBytesInUse();
    int available = 0;
    for (const auto& session : sessions)
      available += session->IsAvailable();
    state.counters["idle_sessions"] = available;
    state.counters["heap_bytes_per_tls_socket"] =
        (static_cast<double>(heap_sockets) - static_cast<double>(heap_start)) /
        count;
    state.counters["heap_bytes_per_session"] =
        (static_cast<double>(heap_sessions) -
         static_cast<double>(heap_sockets)) /
        count;
    state.counters["heap_bytes_per_h2_connection"] =
        (static_cast<double>(heap_sessions) - static_cast<double>(heap_start)) /
        count;
    sessions.clear();
  }
}
BENCHMARK(BM_IdleHttp2SessionMemory)
    ->Arg(1000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

// Parses --nginx_url=https://127.0.0.1:PORT/ and --ca_file, or starts nginx.
bool SetUpNginx(const std::string& url, const std::string& ca_file) {
  if (!url.empty()) {
    Url parsed = Url::Parse(url);
    g_nginx.root_pem = ReadFile(ca_file);
    g_nginx.port = parsed.port();
    if (!parsed.is_valid() || g_nginx.root_pem.empty()) {
      std::fprintf(stderr, "bad --nginx_url or --ca_file\n");
      return false;
    }
    return true;
  }
  g_own_authority = std::make_unique<TestCertificateAuthority>();
  NginxServer::Options options;
  options.http2 = true;
  options.keepalive_timeout = absl::Seconds(300);
  options.keepalive_requests = 100000000;
  options.worker_connections = 4096;
  g_own_nginx = std::make_unique<NginxServer>(options, g_own_authority.get());
  std::string error;
  if (!g_own_nginx->Start(&error)) {
    std::fprintf(stderr, "nginx did not start: %s\n", error.c_str());
    return false;
  }
  g_nginx.port = g_own_nginx->https_port();
  g_nginx.root_pem = g_own_authority->root_certificate_pem();
  return true;
}

}  // namespace
}  // namespace net

int main(int argc, char** argv) {
  std::string nginx_url;
  std::string ca_file;
  std::vector<char*> remaining;
  for (int i = 0; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.substr(0, 12) == "--nginx_url=")
      nginx_url = std::string(arg.substr(12));
    else if (arg.substr(0, 10) == "--ca_file=")
      ca_file = std::string(arg.substr(10));
    else
      remaining.push_back(argv[i]);
  }
  int remaining_argc = static_cast<int>(remaining.size());
  benchmark::Initialize(&remaining_argc, remaining.data());
  // A peer that closes while we write must give ERR_CONNECTION_RESET, not end
  // the process.
  std::signal(SIGPIPE, SIG_IGN);

  // 1,000 idle sockets plus the loop's own descriptors.
  rlimit limit = {};
  getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < 4096 && limit.rlim_max >= 4096) {
    limit.rlim_cur = 4096;
    setrlimit(RLIMIT_NOFILE, &limit);
  }

  net::EventLoop loop;
  if (!net::SetUpNginx(nginx_url, ca_file))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  net::g_own_nginx.reset();
  return 0;
}
