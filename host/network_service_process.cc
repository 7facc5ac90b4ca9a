#include "host/network_service_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "net/base/net_errors.h"
#include "service/network_service_client.h"

extern char** environ;

namespace prewarm {

namespace {

// How long a freshly spawned service may take to listen.
constexpr absl::Duration kStartTimeout = absl::Seconds(5);

}  // namespace

std::string NetworkServiceProcess::DefaultBinaryPath() {
  std::error_code error;
  std::filesystem::path self =
      std::filesystem::read_symlink("/proc/self/exe", error);
  if (error)
    return "prewarm_service";
  return (self.parent_path() / "prewarm_service").string();
}

std::unique_ptr<NetworkServiceProcess> NetworkServiceProcess::Launch(
    const std::string& binary,
    std::string* error) {
  if (access(binary.c_str(), X_OK) != 0) {
    *error =
        absl::StrCat(binary, " is not an executable: ", std::strerror(errno));
    return nullptr;
  }
  std::unique_ptr<NetworkServiceProcess> process(new NetworkServiceProcess());
  char directory[] = "/tmp/prewarm_shell.XXXXXX";
  if (!mkdtemp(directory)) {
    *error =
        absl::StrCat("cannot make a socket directory: ", std::strerror(errno));
    return nullptr;
  }
  process->directory_ = directory;
  process->socket_path_ = absl::StrCat(directory, "/service.sock");

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null",
                                   O_WRONLY, 0);
  std::string socket_flag = absl::StrCat("--socket=", process->socket_path_);
  // The service exits with this process even if it crashes before the
  // destructor's SIGTERM.
  std::string owner_flag = absl::StrCat("--owner-pid=", getpid());
  std::vector<char*> argv = {const_cast<char*>(binary.c_str()),
                             socket_flag.data(), owner_flag.data(), nullptr};
  int rv = posix_spawn(&process->pid_, binary.c_str(), &actions, nullptr,
                       argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rv != 0) {
    process->pid_ = -1;
    *error = absl::StrCat("cannot start ", binary, ": ", std::strerror(rv));
    return nullptr;
  }

  // Nothing else runs yet, so polling for the socket is the simple way.
  const absl::Time deadline = absl::Now() + kStartTimeout;
  int net_error = net::OK;
  std::string message;
  while (!process->client_) {
    process->client_ = NetworkServiceClient::Connect(process->socket_path_,
                                                     &net_error, &message);
    if (process->client_)
      break;
    int status = 0;
    if (waitpid(process->pid_, &status, WNOHANG) == process->pid_) {
      process->pid_ = -1;
      *error = absl::StrCat(binary, " exited before it listened (status ",
                            status, ")");
      return nullptr;
    }
    if (absl::Now() > deadline) {
      *error = absl::StrCat(binary, " did not listen on ",
                            process->socket_path_, ": ", message);
      return nullptr;
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  return process;
}

NetworkServiceProcess::~NetworkServiceProcess() {
  client_.reset();
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (!directory_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
}

}  // namespace prewarm
