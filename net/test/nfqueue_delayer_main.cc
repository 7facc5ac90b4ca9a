// nfqueue_delayer: holds the packets of netfilter queues for a fixed one-way
// delay each (see NfqueueDelayer), for LatencyLab.
//
//   nfqueue_delayer --queue=NUM:ONE_WAY_US... [--max-held=N] [--no-realtime]
//
// It prints "ready" once every queue is bound (only then may iptables rules
// send packets to it), a stats line (NfqueueDelayerStats::ToLine) on SIGUSR1,
// and on SIGTERM or SIGINT accepts everything it holds, prints a last stats
// line and exits 0. It asks for a real-time priority (SCHED_FIFO) so that a
// busy machine does not add its scheduling delays to the emulated ones, and
// runs without one when that is refused.

#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "net/test/nfqueue_delayer.h"

namespace {

constexpr char kUsage[] =
    "usage: nfqueue_delayer --queue=NUM:ONE_WAY_US... [--max-held=N] "
    "[--no-realtime]\n";
constexpr int kRealtimePriority = 50;

bool ParseQueue(const std::string& value, net::NfqueueDelayer::Queue* queue) {
  std::vector<std::string> parts = absl::StrSplit(value, ':');
  uint32_t number = 0;
  int64_t delay_us = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &number) ||
      number > 65535 || !absl::SimpleAtoi(parts[1], &delay_us) ||
      delay_us < 0 || delay_us > int64_t{3600} * 1000000) {
    return false;
  }
  queue->number = static_cast<uint16_t>(number);
  queue->one_way_delay = absl::Microseconds(delay_us);
  return true;
}

bool SetRealtimePriority() {
  sched_param param = {};
  param.sched_priority = kRealtimePriority;
  if (sched_setscheduler(0, SCHED_FIFO, &param) != 0) {
    // Without a real-time class, at least ask for precise timer wakeups.
    prctl(PR_SET_TIMERSLACK, 1UL);
    return false;
  }
  // No page faults in the packet path; best effort.
  mlockall(MCL_CURRENT | MCL_FUTURE);
  return true;
}

void PrintLine(const std::string& line) {
  std::string text = line + "\n";
  fputs(text.c_str(), stdout);
  fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  net::NfqueueDelayer::Options options;
  bool realtime = true;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    net::NfqueueDelayer::Queue queue;
    if (absl::StartsWith(arg, "--queue=") &&
        ParseQueue(arg.substr(8), &queue)) {
      options.queues.push_back(queue);
    } else if (absl::StartsWith(arg, "--max-held=") &&
               absl::SimpleAtoi(arg.substr(11), &options.max_held_per_queue) &&
               options.max_held_per_queue > 0) {
    } else if (arg == "--no-realtime") {
      realtime = false;
    } else {
      fprintf(stderr, "nfqueue_delayer: bad argument '%s'\n%s", arg.c_str(),
              kUsage);
      return 2;
    }
  }
  // Held packets must be released even if the parent dies without stopping
  // us: SIGTERM (handled below) rather than the launcher's SIGKILL.
  prctl(PR_SET_PDEATHSIG, SIGTERM);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGUSR1);
  sigprocmask(SIG_BLOCK, &signals, nullptr);
  const int signal_fd = signalfd(-1, &signals, SFD_CLOEXEC);
  if (signal_fd < 0) {
    fprintf(stderr, "nfqueue_delayer: signalfd: %s\n", std::strerror(errno));
    return 1;
  }

  std::string error;
  std::unique_ptr<net::NfqueueDelayer> delayer =
      net::NfqueueDelayer::Create(options, &error);
  if (!delayer) {
    fprintf(stderr, "nfqueue_delayer: %s\n", error.c_str());
    return 1;
  }
  delayer->set_realtime(realtime && SetRealtimePriority());
  PrintLine("ready");

  bool ok = delayer->Run(
      signal_fd,
      [&] {
        signalfd_siginfo info;
        if (read(signal_fd, &info, sizeof(info)) != sizeof(info))
          return false;
        if (info.ssi_signo == SIGUSR1) {
          PrintLine(delayer->stats().ToLine());
          return false;
        }
        return true;
      },
      &error);
  PrintLine(delayer->stats().ToLine());
  if (!ok) {
    fprintf(stderr, "nfqueue_delayer: %s\n", error.c_str());
    return 1;
  }
  return 0;
}
