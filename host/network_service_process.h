#ifndef HOST_NETWORK_SERVICE_PROCESS_H_
#define HOST_NETWORK_SERVICE_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>

namespace prewarm {

class NetworkServiceClient;

// The network service in a process of its own: prewarm_service spawned with
// a Unix socket in a fresh temporary directory, and a NetworkServiceClient
// connected to it on the current EventLoop. The child's stdout (its
// "listening" banner) goes to /dev/null; its stderr is the shell's.
// Destroying this object disconnects, sends SIGTERM, reaps the child and
// removes the directory; contexts made from client() must be destroyed
// first. The child is launched with this process as its owner, so it also
// exits if this process dies without running the destructor. Network thread
// only.
class NetworkServiceProcess {
 public:
  // The prewarm_service next to the running executable (the build puts
  // both in one out directory).
  static std::string DefaultBinaryPath();

  // Spawns `binary` and connects, waiting up to a few seconds for it to
  // listen. Null with *error set when the binary is missing, cannot start,
  // or never listens.
  static std::unique_ptr<NetworkServiceProcess> Launch(
      const std::string& binary,
      std::string* error);

  NetworkServiceProcess(const NetworkServiceProcess&) = delete;
  NetworkServiceProcess& operator=(const NetworkServiceProcess&) = delete;
  ~NetworkServiceProcess();

  NetworkServiceClient* client() const { return client_.get(); }
  pid_t pid() const { return pid_; }
  const std::string& socket_path() const { return socket_path_; }

 private:
  NetworkServiceProcess() = default;

  pid_t pid_ = -1;
  std::string directory_;
  std::string socket_path_;
  std::unique_ptr<NetworkServiceClient> client_;
};

}  // namespace prewarm

#endif  // HOST_NETWORK_SERVICE_PROCESS_H_
