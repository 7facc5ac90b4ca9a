// ipc_benchmark: the network service's IPC cost, measured end to end over a
// Unix-domain socket. The service (NetworkService + IpcServer, with an
// HTTPS EmbeddedTestServer for the origin) runs on its own thread and
// EventLoop; clients run on other threads, each with its own loop and
// NetworkServiceClient, exactly as an embedder process would talk to
// prewarm_service.
//
// 1. Round trip: one client sends a Preconnect, waits for the reply, sends
//    the next (the origin's group already holds the warmed socket, so each
//    call is the full decision + host-cache lookup + top-up of zero sockets).
//    Reports the median and p99 of --calls round trips.
// 2. Throughput: --clients clients, each keeping --window calls in flight,
//    alternating Preconnect and GetPoolState, for --seconds. Reports the
//    replies per second across all clients.
//
//    --pool-state-every=N puts a GetPoolState (the pool's JSON dump) every
//    Nth call instead (0: Preconnect only).
//
// Usage: ipc_benchmark [--calls=N] [--clients=N] [--window=N] [--seconds=S]
//                      [--pool-state-every=N]

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "proto/ipc.pb.h"
#include "service/ipc_server.h"
#include "service/network_service.h"
#include "service/network_service_client.h"

namespace prewarm {
namespace {

using Clock = std::chrono::steady_clock;

struct Flags {
  int calls = 20000;
  int clients = 8;
  int window = 16;
  double seconds = 3.0;
  // Throughput mix: GetPoolState every Nth call (2: alternate; 0: never).
  int pool_state_every = 2;
};

struct ServiceInfo {
  std::string socket_path;
  std::string root_pem;
  uint16_t port = 0;
};

// Runs the service until `loop_out` is told to quit.
void RunService(std::promise<ServiceInfo> ready,
                std::promise<net::EventLoop*> loop_ready,
                std::string socket_path) {
  net::EventLoop loop;
  net::test_server::EmbeddedTestServer origin(
      net::test_server::EmbeddedTestServer::Type::kHttps);
  if (origin.Start() != net::OK) {
    fprintf(stderr, "ipc_benchmark: cannot start the test server\n");
    std::exit(1);
  }
  NetworkService::Options options;
  // The throughput run keeps clients * window calls in flight.
  options.max_outstanding_requests = 4096;
  NetworkService service(options);
  IpcServer server([&service](int fd) { service.AddClient(fd); });
  std::string message;
  if (server.Listen(socket_path, &message) != net::OK) {
    fprintf(stderr, "ipc_benchmark: %s\n", message.c_str());
    std::exit(1);
  }
  ready.set_value({socket_path, origin.root_certificate_pem(), origin.port()});
  loop_ready.set_value(&loop);
  loop.Run();
}

// One client on the calling thread: connects, makes a context with a live
// document whose cdn group holds one warmed socket.
class BenchClient {
 public:
  explicit BenchClient(const ServiceInfo& info) {
    int error = net::OK;
    std::string message;
    client_ = NetworkServiceClient::Connect(info.socket_path, &error, &message);
    if (!client_)
      Die(message);
    ipc::ClientMessage create;
    ipc::NetworkContextParams* params =
        create.mutable_create_network_context()->mutable_params();
    params->set_trusted_root_certificates_pem(info.root_pem);
    params->set_connect_to(
        absl::StrCat("news.example:443:127.0.0.1:", info.port,
                     ",cdn.example:443:127.0.0.1:", info.port));
    ipc::ServiceMessage reply = Wait(std::move(create));
    if (!reply.reply().has_context_created())
      Die("CreateNetworkContext: " + reply.error().message());
    context_id_ = reply.reply().context_created().context_id();

    ipc::ClientMessage commit;
    commit.mutable_commit_navigation()->set_context_id(context_id_);
    commit.mutable_commit_navigation()->set_document_id("main");
    commit.mutable_commit_navigation()->set_url("https://news.example/");
    if (Wait(std::move(commit)).has_error())
      Die("CommitNavigation failed");
    // Warm the group once and wait until the socket is idle.
    if (!Wait(PreconnectCall()).reply().has_preconnect())
      Die("Preconnect failed");
    for (int i = 0; i < 5000; ++i) {
      ipc::ServiceMessage state = Wait(PoolStateCall());
      if (state.reply().pool_state().idle_sockets() == 1)
        return;
      usleep(1000);
    }
    Die("the preconnected socket never became idle");
  }

  ipc::ClientMessage PreconnectCall() const {
    ipc::ClientMessage message;
    ipc::Preconnect* call = message.mutable_preconnect();
    call->set_context_id(context_id_);
    call->set_document_id("main");
    call->set_url("https://cdn.example");
    call->set_num_sockets(1);
    return message;
  }
  ipc::ClientMessage PoolStateCall() const {
    ipc::ClientMessage message;
    message.mutable_get_pool_state()->set_context_id(context_id_);
    return message;
  }

  // One call, waited for on this thread's loop.
  ipc::ServiceMessage Wait(ipc::ClientMessage message) {
    std::optional<ipc::ServiceMessage> out;
    net::RunLoop run_loop;
    client_->Call(std::move(message), [&](const ipc::ServiceMessage& reply) {
      out = reply;
      run_loop.Quit();
    });
    run_loop.Run();
    return *out;
  }

  NetworkServiceClient* client() { return client_.get(); }

 private:
  static void Die(const std::string& message) {
    fprintf(stderr, "ipc_benchmark: %s\n", message.c_str());
    std::exit(1);
  }

  std::unique_ptr<NetworkServiceClient> client_;
  uint32_t context_id_ = 0;
};

double Percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(fraction * (values.size() - 1) + 0.5);
  return values[index];
}

void MeasureRoundTrip(const ServiceInfo& info, int calls) {
  net::EventLoop loop;
  BenchClient bench(info);
  // Warm-up: caches, allocator, branch predictors.
  for (int i = 0; i < 1000; ++i)
    bench.Wait(bench.PreconnectCall());
  std::vector<double> micros;
  micros.reserve(static_cast<size_t>(calls));
  int errors = 0;
  for (int i = 0; i < calls; ++i) {
    Clock::time_point start = Clock::now();
    ipc::ServiceMessage reply = bench.Wait(bench.PreconnectCall());
    micros.push_back(
        std::chrono::duration<double, std::micro>(Clock::now() - start)
            .count());
    if (!reply.reply().has_preconnect() ||
        reply.reply().preconnect().error() != net::OK) {
      ++errors;
    }
  }
  printf(
      "round trip (Preconnect, 1 client, %d calls): median %.1f us, p99 %.1f "
      "us, p99.9 %.1f us, max %.1f us, errors %d\n",
      calls, Percentile(micros, 0.5), Percentile(micros, 0.99),
      Percentile(micros, 0.999),
      *std::max_element(micros.begin(), micros.end()), errors);
}

// Keeps `window` calls in flight until the deadline; counts replies.
void ThroughputClient(const ServiceInfo& info,
                      int window,
                      int pool_state_every,
                      std::shared_future<Clock::time_point> start,
                      double seconds,
                      std::atomic<uint64_t>* replies,
                      std::atomic<uint64_t>* errors,
                      std::atomic<int>* ready) {
  net::EventLoop loop;
  BenchClient bench(info);
  ready->fetch_add(1);
  Clock::time_point begin = start.get();
  Clock::time_point deadline =
      begin + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(seconds));
  uint64_t done = 0;
  uint64_t failed = 0;
  int in_flight = 0;
  uint64_t sent = 0;
  bool stopping = false;
  net::RunLoop run_loop;
  std::function<void()> issue = [&] {
    bool pool_state =
        pool_state_every > 0 && sent % pool_state_every == 1 % pool_state_every;
    ++sent;
    ipc::ClientMessage message =
        pool_state ? bench.PoolStateCall() : bench.PreconnectCall();
    ++in_flight;
    bench.client()->Call(std::move(message),
                         [&](const ipc::ServiceMessage& reply) {
                           --in_flight;
                           if (Clock::now() < deadline) {
                             ++done;
                             if (reply.has_error())
                               ++failed;
                             issue();
                           } else {
                             stopping = true;
                           }
                           if (stopping && in_flight == 0)
                             run_loop.Quit();
                         });
  };
  for (int i = 0; i < window; ++i)
    issue();
  run_loop.Run();
  replies->fetch_add(done);
  errors->fetch_add(failed);
}

void MeasureThroughput(const ServiceInfo& info,
                       int clients,
                       int window,
                       int pool_state_every,
                       double seconds) {
  std::atomic<uint64_t> replies{0};
  std::atomic<uint64_t> errors{0};
  std::atomic<int> ready{0};
  std::promise<Clock::time_point> start;
  std::shared_future<Clock::time_point> start_future = start.get_future();
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back(ThroughputClient, std::cref(info), window,
                         pool_state_every, start_future, seconds, &replies,
                         &errors, &ready);
  }
  while (ready.load() < clients)
    usleep(1000);
  start.set_value(Clock::now());
  for (std::thread& thread : threads)
    thread.join();
  std::string mix = pool_state_every == 0
                        ? std::string("Preconnect only")
                        : absl::StrCat("Preconnect + GetPoolState every ",
                                       pool_state_every, " calls");
  printf(
      "throughput (%s, %d clients x %d in flight, %.1f s): %.0f calls/s, "
      "errors %llu\n",
      mix.c_str(), clients, window, seconds,
      static_cast<double>(replies.load()) / seconds,
      static_cast<unsigned long long>(errors.load()));
}

int Main(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&](std::string_view name) -> const char* {
      return arg.rfind(name, 0) == 0 ? argv[i] + name.size() : nullptr;
    };
    if (const char* v = value("--calls="))
      flags.calls = std::max(1, atoi(v));
    else if (const char* v = value("--clients="))
      flags.clients = std::max(1, atoi(v));
    else if (const char* v = value("--window="))
      flags.window = std::max(1, atoi(v));
    else if (const char* v = value("--pool-state-every="))
      flags.pool_state_every = std::max(0, atoi(v));
    else if (const char* v = value("--seconds="))
      flags.seconds = std::max(0.1, atof(v));
    else {
      fprintf(stderr,
              "usage: ipc_benchmark [--calls=N] [--clients=N] [--window=N] "
              "[--seconds=S] [--pool-state-every=N]\n");
      return 2;
    }
  }
  std::string path = absl::StrCat("/tmp/prewarm-ipc-bench-", getpid(), ".sock");
  std::promise<ServiceInfo> ready;
  std::future<ServiceInfo> info_future = ready.get_future();
  std::promise<net::EventLoop*> loop_ready;
  std::future<net::EventLoop*> loop_future = loop_ready.get_future();
  std::thread service(RunService, std::move(ready), std::move(loop_ready),
                      path);
  ServiceInfo info = info_future.get();
  net::EventLoop* service_loop = loop_future.get();

  MeasureRoundTrip(info, flags.calls);
  MeasureThroughput(info, flags.clients, flags.window, flags.pool_state_every,
                    flags.seconds);

  service_loop->PostTaskFromAnyThread([service_loop] { service_loop->Quit(); });
  service.join();
  return 0;
}

}  // namespace
}  // namespace prewarm

int main(int argc, char** argv) {
  return prewarm::Main(argc, argv);
}
