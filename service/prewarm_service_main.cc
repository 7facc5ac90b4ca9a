// prewarm_service --socket=PATH [--owner-pid=PID]: runs the network service
// (NetworkService) on one EventLoop, serving every client that connects to the
// Unix-domain socket at PATH, until SIGTERM or SIGINT, or until the process
// PID exits. Then it destroys every client's contexts, removes the socket file
// and exits 0. The host that launches the service names itself as the owner,
// so a host that crashes does not leave an orphaned service behind (the
// service's clients are gone with it, and an orphan would hold the host's
// inherited stderr open).

#include <errno.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/event/fd_watcher.h"
#include "service/ipc_server.h"
#include "service/network_service.h"

namespace prewarm {
namespace {

constexpr char kUsage[] =
    "usage: prewarm_service --socket=PATH [--owner-pid=PID]\n";

// Parses a positive process id; anything else is a usage error.
bool ParsePid(std::string_view text, pid_t* pid) {
  if (text.empty() || text.size() > 10)
    return false;
  long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return false;
    value = value * 10 + (c - '0');
  }
  if (value <= 0 || value > 0x3fffffff)
    return false;
  *pid = static_cast<pid_t>(value);
  return true;
}

int Main(int argc, char** argv) {
  std::string socket_path;
  std::optional<pid_t> owner_pid;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.rfind("--socket=", 0) == 0) {
      socket_path = std::string(arg.substr(9));
    } else if (arg.rfind("--owner-pid=", 0) == 0) {
      pid_t pid = 0;
      if (!ParsePid(arg.substr(12), &pid)) {
        fprintf(stderr, "prewarm_service: bad process id in '%s'\n%s", argv[i],
                kUsage);
        return 2;
      }
      owner_pid = pid;
    } else if (arg == "--help" || arg == "-h") {
      fputs(kUsage, stdout);
      return 0;
    } else {
      fprintf(stderr, "prewarm_service: unknown argument '%s'\n%s", argv[i],
              kUsage);
      return 2;
    }
  }
  if (socket_path.empty()) {
    fputs(kUsage, stderr);
    return 2;
  }

  // SIGTERM and SIGINT arrive through a signalfd the loop watches, so
  // shutdown runs on the network thread like everything else.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigprocmask(SIG_BLOCK, &signals, nullptr);
  int signal_fd = signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd < 0) {
    perror("prewarm_service: signalfd");
    return 1;
  }
  // Writes to a client that went away must fail, not kill the service.
  signal(SIGPIPE, SIG_IGN);

  // A pidfd turns readable when its process exits, so the owner's death is
  // one more event on the loop. Opening it fails if the owner is already
  // gone, which is the same outcome, only sooner.
  int owner_fd = -1;
  if (owner_pid) {
    // The raw syscall: glibc 2.36's <sys/pidfd.h> lacks extern "C".
    owner_fd = static_cast<int>(syscall(SYS_pidfd_open, *owner_pid, 0));
    if (owner_fd < 0) {
      fprintf(stderr, "prewarm_service: owner process %d: %s\n", *owner_pid,
              std::strerror(errno));
      close(signal_fd);
      return 1;
    }
  }

  int exit_code = 0;
  {
    net::EventLoop loop;
    NetworkService service;
    IpcServer server([&service](int fd) { service.AddClient(fd); });
    std::string message;
    int rv = server.Listen(socket_path, &message);
    if (rv != net::OK) {
      fprintf(stderr, "prewarm_service: %s (%s)\n", message.c_str(),
              net::ErrorToShortString(rv).c_str());
      exit_code = 1;
    } else {
      net::FdWatcher signal_watcher(signal_fd);
      int received = 0;
      signal_watcher.WatchReadable([&] {
        signalfd_siginfo info;
        if (read(signal_fd, &info, sizeof(info)) == sizeof(info))
          received = static_cast<int>(info.ssi_signo);
        loop.Quit();
      });
      std::optional<net::FdWatcher> owner_watcher;
      bool owner_exited = false;
      if (owner_fd >= 0) {
        owner_watcher.emplace(owner_fd);
        owner_watcher->WatchReadable([&] {
          owner_exited = true;
          loop.Quit();
        });
      }
      printf("prewarm_service: listening on %s\n", socket_path.c_str());
      fflush(stdout);
      loop.Run();
      if (owner_exited) {
        printf("prewarm_service: owner %d exited, %zu clients, shutting down\n",
               *owner_pid, service.client_count());
      } else {
        printf("prewarm_service: signal %d, %zu clients, shutting down\n",
               received, service.client_count());
      }
      fflush(stdout);
    }
  }
  if (owner_fd >= 0)
    close(owner_fd);
  close(signal_fd);
  return exit_code;
}

}  // namespace
}  // namespace prewarm

int main(int argc, char** argv) {
  return prewarm::Main(argc, argv);
}
