// The IPC byte stream into a real NetworkService: each input is what one
// client writes on its socket (delimited ClientMessage frames, or garbage)
// before it hangs up. The service runs on a real EventLoop over a socketpair;
// the fuzzer reads and discards its replies. Invariants: no crash, leak or
// sanitizer report; a client that hung up is dropped, and its contexts with
// it, within two seconds.
//
// The process first moves into a network namespace of its own (only a down
// loopback), so nothing an input asks for (Preconnect, DnsPrefetch, Fetch to
// any address, DNS servers of its choosing) reaches a real network: every
// connect fails at once.

#include <fcntl.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fuzz/fuzz_check.h"
#include "net/event/event_loop.h"
#include "service/network_service.h"

namespace {

void EnterPrivateNetworkNamespace() {
  if (unshare(CLONE_NEWNET) == 0 ||
      unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0) {
    return;
  }
  std::fprintf(stderr,
               "ipc_fuzzer: cannot enter a private network namespace (%s); "
               "refusing to let fuzz inputs reach the network\n",
               std::strerror(errno));
  std::exit(1);
}

// Reads and drops whatever the service sent; false once the service closed.
bool DrainReplies(int fd) {
  char buffer[65536];
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n > 0)
      continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
  }
}

struct Harness {
  net::EventLoop loop;
  prewarm::NetworkService service;
};

Harness* harness = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  EnterPrivateNetworkNamespace();
  harness = new Harness();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  int fds[2];
  FUZZ_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0,
             "socketpair: %s", std::strerror(errno));
  FUZZ_CHECK(fcntl(fds[1], F_SETFL, O_NONBLOCK) == 0, "fcntl");
  harness->service.AddClient(fds[0]);

  // Write the input as the socket takes it, letting the service read.
  size_t written = 0;
  bool peer_open = true;
  for (int spins = 0; written < size && peer_open && spins < 100000; ++spins) {
    const ssize_t n = write(fds[1], data + written, size - written);
    if (n > 0)
      written += static_cast<size_t>(n);
    else if (errno != EAGAIN && errno != EINTR)
      break;  // the service closed on a framing error
    harness->loop.RunUntilIdle();
    peer_open = DrainReplies(fds[1]);
  }
  shutdown(fds[1], SHUT_WR);

  for (int i = 0; i < 2000 && harness->service.client_count() > 0; ++i) {
    harness->loop.RunUntilIdle();
    DrainReplies(fds[1]);
    if (harness->service.client_count() == 0)
      break;
    net::RunLoop().RunWithTimeout(absl::Milliseconds(1));
  }
  FUZZ_CHECK(harness->service.client_count() == 0,
             "a client that hung up is still connected after 2 s");
  FUZZ_CHECK(harness->service.context_count() == 0,
             "%zu contexts outlive their client",
             harness->service.context_count());
  close(fds[1]);
  // Let destroyed contexts finish their teardown tasks.
  harness->loop.RunUntilIdle();
  return 0;
}
