// prewarm_service --socket=PATH: runs the network service (NetworkService)
// on one EventLoop, serving every client that connects to the Unix-domain
// socket at PATH, until SIGTERM or SIGINT. Then it destroys every client's
// contexts, removes the socket file and exits 0.

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/event/fd_watcher.h"
#include "service/ipc_server.h"
#include "service/network_service.h"

namespace prewarm {
namespace {

constexpr char kUsage[] = "usage: prewarm_service --socket=PATH\n";

int Main(int argc, char** argv) {
  std::string socket_path;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.rfind("--socket=", 0) == 0) {
      socket_path = std::string(arg.substr(9));
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
      printf("prewarm_service: listening on %s\n", socket_path.c_str());
      fflush(stdout);
      loop.Run();
      printf("prewarm_service: signal %d, %zu clients, shutting down\n",
             received, service.client_count());
      fflush(stdout);
    }
  }
  close(signal_fd);
  return exit_code;
}

}  // namespace
}  // namespace prewarm

int main(int argc, char** argv) {
  return prewarm::Main(argc, argv);
}
