#include "net/test/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace net {

namespace {

constexpr absl::Duration kStopTimeout = absl::Seconds(5);

}  // namespace

ChildProcess::ChildProcess() = default;

ChildProcess::~ChildProcess() {
  Stop();
}

bool ChildProcess::Start(const std::string& program,
                         const std::vector<std::string>& argv,
                         const std::string& output_path,
                         std::string* error) {
  if (is_running()) {
    *error = absl::StrCat(program, " is already running");
    return false;
  }
  // Everything the child needs is prepared before fork(): between fork and
  // exec only async-signal-safe calls are allowed.
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int output_fd =
      open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (output_fd < 0 || null_fd < 0) {
    *error = absl::StrCat("cannot open ", program,
                          "'s output files: ", std::strerror(errno));
    if (output_fd >= 0)
      close(output_fd);
    if (null_fd >= 0)
      close(null_fd);
    return false;
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    // The server must not outlive a test binary that crashed.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
      _exit(127);
    dup2(null_fd, STDIN_FILENO);
    dup2(output_fd, STDOUT_FILENO);
    dup2(output_fd, STDERR_FILENO);
    // Sockets the test holds must not leak into the server.
    close_range(3, ~0U, 0);
    // The test binary may ignore SIGPIPE; the server gets the default back.
    signal(SIGPIPE, SIG_DFL);
    execv(program.c_str(), args.data());
    _exit(127);
  }
  close(output_fd);
  close(null_fd);
  if (pid < 0) {
    *error = absl::StrCat("fork failed: ", std::strerror(errno));
    return false;
  }
  pid_ = pid;
  return true;
}

ChildProcess::WaitResult ChildProcess::WaitUntilReady(
    absl::FunctionRef<bool()> is_ready,
    absl::Duration timeout,
    absl::Duration poll_interval,
    int* exit_status) {
  const absl::Time deadline = absl::Now() + timeout;
  while (is_running() && absl::Now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      *exit_status = status;
      return WaitResult::kExited;
    }
    if (is_ready())
      return WaitResult::kReady;
    if (poll_interval > absl::ZeroDuration())
      absl::SleepFor(poll_interval);
  }
  return WaitResult::kTimedOut;
}

void ChildProcess::Stop() {
  if (!is_running())
    return;
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + kStopTimeout;
  bool reaped = false;
  while (!reaped && absl::Now() < deadline) {
    pid_t result = waitpid(pid_, nullptr, WNOHANG);
    reaped = result == pid_ || (result < 0 && errno == ECHILD);
    if (!reaped)
      absl::SleepFor(absl::Milliseconds(5));
  }
  if (!reaped) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  pid_ = -1;
}

}  // namespace net
