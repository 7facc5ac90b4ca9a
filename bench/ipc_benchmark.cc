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
// 3. Floor: the same thread topology with no work at all, a bare socketpair
//    ping-pong between two threads that block in epoll_wait, with the
//    Preconnect's request and reply sizes. It is what the machine charges
//    for two cross-thread wake-ups; the round trip minus the floor is the
//    service's and client's own cost. On a VM whose vCPUs halt when idle the
//    floor alone can be tens of microseconds.
//
// Usage: ipc_benchmark [--calls=N] [--clients=N] [--window=N] [--seconds=S]
//                      [--pool-state-every=N]

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
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
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/message_lite.h"
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

// Blocks in epoll_wait until `fd` is readable, then reads what is there.
bool WaitAndRead(int epoll_fd, int fd, char* buffer, size_t size) {
  epoll_event ready;
  while (epoll_wait(epoll_fd, &ready, 1, -1) < 0) {
    if (errno != EINTR)
      return false;
  }
  return recv(fd, buffer, size, 0) > 0;
}

// A new epoll set that watches `fd` for readability.
int EpollWatchingReadable(int fd) {
  int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  epoll_event event = {};
  event.events = EPOLLIN;
  event.data.fd = fd;
  if (epoll_fd < 0 || epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0) {
    fprintf(stderr, "ipc_benchmark: epoll setup failed\n");
    std::exit(1);
  }
  return epoll_fd;
}

// Returns the floor's median, in microseconds.
double MeasureFloor(int calls, size_t request_bytes, size_t reply_bytes) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    fprintf(stderr, "ipc_benchmark: socketpair failed\n");
    std::exit(1);
  }
  std::thread echo([&] {
    int epoll_fd = EpollWatchingReadable(pair[1]);
    std::vector<char> buffer(std::max(request_bytes, reply_bytes));
    while (WaitAndRead(epoll_fd, pair[1], buffer.data(), buffer.size())) {
      if (send(pair[1], buffer.data(), reply_bytes, MSG_NOSIGNAL) < 0)
        break;
    }
    close(epoll_fd);
  });
  int epoll_fd = EpollWatchingReadable(pair[0]);
  std::vector<char> buffer(std::max(request_bytes, reply_bytes), 'x');
  std::vector<double> micros;
  micros.reserve(static_cast<size_t>(calls));
  for (int i = 0; i < calls + 1000; ++i) {
    Clock::time_point start = Clock::now();
    if (send(pair[0], buffer.data(), request_bytes, MSG_NOSIGNAL) < 0 ||
        !WaitAndRead(epoll_fd, pair[0], buffer.data(), buffer.size())) {
      fprintf(stderr, "ipc_benchmark: the floor's ping-pong failed\n");
      std::exit(1);
    }
    // The first 1000 warm up, as in the round trip.
    if (i >= 1000) {
      micros.push_back(
          std::chrono::duration<double, std::micro>(Clock::now() - start)
              .count());
    }
  }
  shutdown(pair[0], SHUT_RDWR);
  echo.join();
  close(epoll_fd);
  close(pair[0]);
  close(pair[1]);
  double median = Percentile(micros, 0.5);
  printf(
      "floor (bare socketpair ping-pong between two threads, %zu/%zu bytes, "
      "no work, %d calls): median %.1f us, p99 %.1f us\n",
      request_bytes, reply_bytes, calls, median, Percentile(micros, 0.99));
  return median;
}

struct RoundTrip {
  double median_micros = 0;
  // One call's frames on the wire, length prefix included.
  size_t request_bytes = 0;
  size_t reply_bytes = 0;
};

size_t FrameBytes(const google::protobuf::MessageLite& message) {
  size_t body = message.ByteSizeLong();
  return google::protobuf::io::CodedOutputStream::VarintSize32(
             static_cast<uint32_t>(body)) +
         body;
}

RoundTrip MeasureRoundTrip(const ServiceInfo& info, int calls) {
  net::EventLoop loop;
  BenchClient bench(info);
  // Warm-up: caches, allocator, branch predictors.
  for (int i = 0; i < 1000; ++i)
    bench.Wait(bench.PreconnectCall());
  RoundTrip result;
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
  ipc::ClientMessage request = bench.PreconnectCall();
  // The client numbers calls from 1; a mid-run id has the same varint size.
  request.set_request_id(static_cast<uint32_t>(calls));
  result.request_bytes = FrameBytes(request);
  result.reply_bytes = FrameBytes(bench.Wait(bench.PreconnectCall()));
  result.median_micros = Percentile(micros, 0.5);
  return result;
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

  const RoundTrip round_trip = MeasureRoundTrip(info, flags.calls);
  const double floor = MeasureFloor(flags.calls, round_trip.request_bytes,
                                    round_trip.reply_bytes);
  printf(
      "round trip minus floor (the client's and service's own cost): %.1f "
      "us\n",
      round_trip.median_micros - floor);
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
