#ifndef NET_TEST_CHILD_PROCESS_H_
#define NET_TEST_CHILD_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/time/time.h"

namespace net {

// A server program that a test fixture runs as a child (nginx, dnsmasq):
// fork + execv with stdin on /dev/null, stdout and stderr into a file, no
// other inherited descriptors, default SIGPIPE handling, and SIGKILL if this
// process dies first. Stop() or the destructor ends it (SIGTERM, then SIGKILL
// after 5 s) and reaps it.
class ChildProcess {
 public:
  enum class WaitResult {
    kReady,     // `is_ready` returned true
    kExited,    // the child exited (and was reaped) first
    kTimedOut,  // neither within the timeout; the child is still running
  };

  ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  // Runs `program` with `argv` (argv[0] included). Returns false and fills
  // `error` if one is already running, `output_path` cannot be opened or
  // fork fails. An exec failure shows up as the child exiting with 127.
  bool Start(const std::string& program,
             const std::vector<std::string>& argv,
             const std::string& output_path,
             std::string* error);

  // Calls `is_ready` every `poll_interval` (back to back if zero: for probes
  // that wait themselves) until it returns true, the child exits or `timeout`
  // passes. On kExited, `exit_status` gets the waitpid() status.
  WaitResult WaitUntilReady(absl::FunctionRef<bool()> is_ready,
                            absl::Duration timeout,
                            absl::Duration poll_interval,
                            int* exit_status);

  // Does nothing if no child is running.
  void Stop();

  bool is_running() const { return pid_ > 0; }
  // -1 when not running.
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

}  // namespace net

#endif  // NET_TEST_CHILD_PROCESS_H_
