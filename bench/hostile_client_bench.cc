// hostile_client_bench: what hostile IPC clients cost prewarm_service and
// another, well-behaved client while they run (issue 15, findings F1, F5,
// F11). It spawns a prewarm_service binary (--service=PATH, by default the
// one next to this binary) on a Unix socket in a temp dir, connects one
// well-behaved NetworkServiceClient that makes a GetPoolState round trip
// after another on its own thread, and runs these phases one after another,
// loopback only:
//
//   baseline       nothing hostile
//   never-reading  8 clients flood GetPoolState calls and never read a reply
//   one-byte       5,000 connections that each send one byte and wait
//   partial-1MiB   200 connections that each send all but the last byte of
//                  a 1,000,000-byte frame and wait
//   deep-chain     one client commits a 50,000-deep chain of subframes in
//                  one write and disconnects (its teardown)
//
// For each phase it reports the service's peak RSS (VmRSS sampled every
// 50 ms from /proc), its RSS after the hostile clients left, and the other
// client's round trips: count, median, p99, max, and calls that got no
// reply within 5 s. Whether the service is still alive is checked after
// each phase. So the figures of two service binaries (main's and a fixed
// one) can be compared from one run of this harness each.
//
// Usage: hostile_client_bench [--service=PATH] [--phase-seconds=S]

#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "proto/ipc.pb.h"
#include "service/network_service_client.h"

extern char** environ;

namespace prewarm {
namespace {

using Clock = std::chrono::steady_clock;

struct Flags {
  std::string service;
  double phase_seconds = 12;
};

std::string Frame(const ipc::ClientMessage& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream out(&bytes);
  google::protobuf::util::SerializeDelimitedToZeroCopyStream(message, &out);
  return bytes;
}

// A blocking connect to the service's socket; -1 on failure.
int ConnectTo(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// VmRSS of `pid` in KiB, or 0 once it is gone.
size_t RssKib(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0)
      return static_cast<size_t>(std::strtoull(line.c_str() + 6, nullptr, 10));
  }
  return 0;
}

bool Alive(pid_t pid) {
  int status = 0;
  return ::waitpid(pid, &status, WNOHANG) == 0;
}

// The well-behaved client: GetPoolState round trips, one after another, on
// its own thread and loop. Latencies are filed under the current phase.
class PoliteClient {
 public:
  explicit PoliteClient(std::string path) : path_(std::move(path)) {}

  bool Start() {
    std::promise<bool> ready;
    auto started = ready.get_future();
    thread_ = std::thread(
        [this, ready = std::move(ready)]() mutable { Run(std::move(ready)); });
    return started.get();
  }
  void SetPhase(int phase) {
    std::lock_guard<std::mutex> lock(mutex_);
    phase_ = phase;
  }
  void Stop() {
    stop_ = true;
    thread_.join();
  }
  struct Figures {
    std::vector<double> ms;
    int timeouts = 0;
  };
  Figures TakeFigures(int phase) {
    std::lock_guard<std::mutex> lock(mutex_);
    return figures_[phase];
  }

 private:
  void Run(std::promise<bool> ready) {
    net::EventLoop loop;
    int error = net::OK;
    std::string message;
    std::unique_ptr<NetworkServiceClient> client =
        NetworkServiceClient::Connect(path_, &error, &message);
    if (!client) {
      std::fprintf(stderr, "polite client: %s\n", message.c_str());
      ready.set_value(false);
      return;
    }
    uint32_t context_id = 0;
    {
      net::RunLoop run_loop;
      ipc::ClientMessage create;
      create.mutable_create_network_context();
      client->Call(std::move(create), [&](const ipc::ServiceMessage& reply) {
        context_id = reply.reply().context_created().context_id();
        run_loop.Quit();
      });
      run_loop.RunWithTimeout(absl::Seconds(5));
    }
    ready.set_value(context_id != 0);
    if (context_id == 0)
      return;
    while (!stop_) {
      ipc::ClientMessage call;
      call.mutable_get_pool_state()->set_context_id(context_id);
      net::RunLoop run_loop;
      bool answered = false;
      const Clock::time_point start = Clock::now();
      client->Call(std::move(call), [&](const ipc::ServiceMessage&) {
        answered = true;
        run_loop.Quit();
      });
      run_loop.RunWithTimeout(absl::Seconds(5));
      const double ms =
          std::chrono::duration<double, std::milli>(Clock::now() - start)
              .count();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (answered)
          figures_[phase_].ms.push_back(ms);
        else
          ++figures_[phase_].timeouts;
      }
      if (!client->is_connected())
        break;
      // About 200 calls a second: a page load's pace, not a flood.
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    // The call still waiting (if any) dies with the client.
  }

  const std::string path_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  int phase_ = 0;
  Figures figures_[8];
};

double Percentile(std::vector<double> values, double p) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  size_t index =
      static_cast<size_t>(p * static_cast<double>(values.size() - 1));
  return values[index];
}

// Samples the service's RSS until `done` says stop; returns the peak.
size_t PeakRssWhile(pid_t pid, const std::function<bool()>& done) {
  size_t peak = 0;
  while (!done()) {
    peak = std::max(peak, RssKib(pid));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return std::max(peak, RssKib(pid));
}

// Reads one delimited ServiceMessage from a blocking fd; false on EOF.
bool ReadReply(int fd, ipc::ServiceMessage* reply) {
  std::string bytes;
  char c;
  // The varint length, byte by byte, then the body.
  uint32_t length = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (::recv(fd, &c, 1, MSG_WAITALL) != 1)
      return false;
    length |= static_cast<uint32_t>(c & 0x7f) << shift;
    if (!(c & 0x80))
      break;
  }
  bytes.resize(length);
  if (length > 0 && ::recv(fd, bytes.data(), length, MSG_WAITALL) !=
                        static_cast<ssize_t>(length))
    return false;
  return reply->ParseFromString(bytes);
}

// A raw client with a context and a committed main frame; -1 on failure.
int RawClientWithContext(const std::string& path, uint32_t* context_id) {
  int fd = ConnectTo(path);
  if (fd < 0)
    return -1;
  ipc::ClientMessage create;
  create.set_request_id(1);
  create.mutable_create_network_context();
  std::string frame = Frame(create);
  ipc::ServiceMessage reply;
  if (::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL) < 0 ||
      !ReadReply(fd, &reply) || !reply.reply().has_context_created()) {
    ::close(fd);
    return -1;
  }
  *context_id = reply.reply().context_created().context_id();
  ipc::ClientMessage commit;
  commit.set_request_id(2);
  commit.mutable_commit_navigation()->set_context_id(*context_id);
  commit.mutable_commit_navigation()->set_document_id("main");
  commit.mutable_commit_navigation()->set_url("https://news.example/");
  frame = Frame(commit);
  if (::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL) < 0 ||
      !ReadReply(fd, &reply)) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Eight clients that flood GetPoolState and never read.
void NeverReadingClients(const std::string& path, Clock::time_point end) {
  std::vector<int> fds;
  std::vector<std::string> floods;
  for (int i = 0; i < 8; ++i) {
    uint32_t context_id = 0;
    int fd = RawClientWithContext(path, &context_id);
    if (fd < 0)
      continue;
    std::string flood;
    for (uint32_t id = 10; id < 10 + 100000; ++id) {
      ipc::ClientMessage call;
      call.set_request_id(id);
      call.mutable_get_pool_state()->set_context_id(context_id);
      flood += Frame(call);
    }
    fds.push_back(fd);
    floods.push_back(std::move(flood));
  }
  std::vector<size_t> offsets(fds.size(), 0);
  while (Clock::now() < end) {
    bool wrote = false;
    for (size_t i = 0; i < fds.size(); ++i) {
      // Request ids repeat as the flood wraps round: GetPoolState answers at
      // once, so its id is free again.
      std::string_view rest = std::string_view(floods[i]).substr(offsets[i]);
      ssize_t n =
          ::send(fds[i], rest.data(), rest.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n > 0) {
        wrote = true;
        offsets[i] = (offsets[i] + static_cast<size_t>(n)) % floods[i].size();
      }
    }
    if (!wrote)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  for (int fd : fds)
    ::close(fd);
}

// `count` connections that each send `bytes` and wait until `end`.
void WaitingConnections(const std::string& path,
                        int count,
                        const std::string& bytes,
                        Clock::time_point end) {
  std::vector<int> fds;
  for (int i = 0; i < count && Clock::now() < end; ++i) {
    int fd = ConnectTo(path);
    if (fd < 0)
      continue;
    // Everything goes in, unless the service refuses or stops reading
    // (then the rest waits in this process, as a slow sender's would).
    size_t sent = 0;
    const Clock::time_point give_up =
        Clock::now() + std::chrono::milliseconds(200);
    while (sent < bytes.size() && Clock::now() < give_up) {
      ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent,
                         MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<size_t>(n);
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      } else {
        break;  // Refused and closed.
      }
    }
    fds.push_back(fd);
  }
  while (Clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (int fd : fds)
    ::close(fd);
}

// One client commits a 50,000-deep subframe chain in one go and leaves.
void DeepChain(const std::string& path) {
  uint32_t context_id = 0;
  int fd = RawClientWithContext(path, &context_id);
  if (fd < 0)
    return;
  std::string frames;
  std::string parent = "main";
  for (uint32_t level = 1; level <= 50000; ++level) {
    ipc::ClientMessage commit;
    commit.set_request_id(10 + level);
    ipc::CommitNavigation* call = commit.mutable_commit_navigation();
    call->set_context_id(context_id);
    call->set_document_id(absl::StrCat("f", level));
    call->set_url("https://frames.example/");
    call->set_parent_id(parent);
    parent = call->document_id();
    frames += Frame(commit);
  }
  // Write everything (the service's replies are read and dropped meanwhile,
  // so it is never held up by this client), then leave.
  std::thread reader([fd] {
    char buffer[65536];
    while (::recv(fd, buffer, sizeof(buffer), 0) > 0) {
    }
  });
  size_t sent = 0;
  while (sent < frames.size()) {
    ssize_t n =
        ::send(fd, frames.data() + sent, frames.size() - sent, MSG_NOSIGNAL);
    if (n <= 0)
      break;
    sent += static_cast<size_t>(n);
  }
  // Give the service a moment to run what it read, then disconnect.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  ::shutdown(fd, SHUT_RDWR);
  reader.join();
  ::close(fd);
}

int Main(int argc, char** argv) {
  Flags flags;
  {
    char self[4096];
    ssize_t n = ::readlink("/proc/self/exe", self, sizeof(self) - 1);
    std::string dir = n > 0 ? std::string(self, static_cast<size_t>(n)) : "";
    flags.service = dir.substr(0, dir.rfind('/') + 1) + "prewarm_service";
  }
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.rfind("--service=", 0) == 0) {
      flags.service = std::string(arg.substr(10));
    } else if (arg.rfind("--phase-seconds=", 0) == 0) {
      flags.phase_seconds = std::atof(std::string(arg.substr(16)).c_str());
    } else {
      std::fprintf(stderr,
                   "usage: hostile_client_bench [--service=PATH] "
                   "[--phase-seconds=S]\n");
      return 2;
    }
  }
  ::signal(SIGPIPE, SIG_IGN);
  char dir_template[] = "/tmp/hostile_bench_XXXXXX";
  const char* dir = ::mkdtemp(dir_template);
  if (!dir)
    return 1;
  const std::string path = absl::StrCat(dir, "/service.sock");
  const std::string socket_flag = "--socket=" + path;
  char* service_argv[] = {flags.service.data(),
                          const_cast<char*>(socket_flag.c_str()), nullptr};
  pid_t pid = 0;
  if (::posix_spawn(&pid, flags.service.c_str(), nullptr, nullptr, service_argv,
                    environ) != 0) {
    std::fprintf(stderr, "cannot start %s\n", flags.service.c_str());
    return 1;
  }
  for (int i = 0; i < 200 && ::access(path.c_str(), F_OK) != 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));

  PoliteClient polite(path);
  if (!polite.Start()) {
    ::kill(pid, SIGKILL);
    return 1;
  }
  std::printf("service: %s\n", flags.service.c_str());
  std::printf("%-14s %10s %10s %8s %9s %9s %9s %9s %s\n", "phase", "peak RSS",
              "RSS after", "calls", "median", "p99", "max", "no reply",
              "service");
  const char* names[] = {"baseline", "never-reading", "one-byte",
                         "partial-1MiB", "deep-chain"};
  const auto phase_length = std::chrono::milliseconds(
      static_cast<int64_t>(flags.phase_seconds * 1000));
  for (int phase = 0; phase < 5; ++phase) {
    polite.SetPhase(phase);
    const Clock::time_point end = Clock::now() + phase_length;
    std::atomic<bool> hostile_done{false};
    std::thread hostile([&] {
      switch (phase) {
        case 0:
          std::this_thread::sleep_until(end);
          break;
        case 1:
          NeverReadingClients(path, end);
          break;
        case 2:
          WaitingConnections(path, 5000, std::string(1, '\x05'), end);
          break;
        case 3: {
          ipc::ClientMessage big;
          big.set_request_id(1);
          big.mutable_create_network_context()
              ->mutable_params()
              ->set_connect_to(std::string(999980, 'x'));
          std::string frame = Frame(big);
          frame.pop_back();
          WaitingConnections(path, 200, frame, end);
          break;
        }
        case 4:
          DeepChain(path);
          std::this_thread::sleep_until(end);
          break;
      }
      hostile_done = true;
    });
    size_t peak = PeakRssWhile(pid, [&] { return hostile_done.load(); });
    hostile.join();
    // The hostile clients are gone; what the service keeps is what it did
    // not give back.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const size_t after = RssKib(pid);
    const bool alive = Alive(pid);
    PoliteClient::Figures figures = polite.TakeFigures(phase);
    std::printf(
        "%-14s %7.1f MB %7.1f MB %8zu %6.2f ms %6.2f ms %6.1f ms %9d %s\n",
        names[phase], static_cast<double>(peak) / 1024.0,
        static_cast<double>(after) / 1024.0, figures.ms.size(),
        Percentile(figures.ms, 0.5), Percentile(figures.ms, 0.99),
        Percentile(figures.ms, 1.0), figures.timeouts,
        alive ? "alive" : "DIED");
    std::fflush(stdout);
    if (!alive)
      break;
  }
  polite.Stop();
  ::kill(pid, SIGTERM);
  int status = 0;
  // A service stuck in a teardown does not get to hold the run up.
  for (int i = 0; i < 100 && ::waitpid(pid, &status, WNOHANG) == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (::waitpid(pid, &status, WNOHANG) == 0) {
    std::printf("service: no exit 5 s after SIGTERM; killed\n");
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  ::unlink(path.c_str());
  ::rmdir(dir);
  return 0;
}

}  // namespace
}  // namespace prewarm

int main(int argc, char** argv) {
  return prewarm::Main(argc, argv);
}
