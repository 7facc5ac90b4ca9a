#ifndef UNITTESTS_SOCKET_POOL_CONTROLLED_CONNECT_JOB_FACTORY_H_
#define UNITTESTS_SOCKET_POOL_CONTROLLED_CONNECT_JOB_FACTORY_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "net/base/ip_endpoint.h"
#include "net/socket/connect_job.h"

namespace net {

class ControlledConnectJob;

// Connect jobs whose sockets are real: each job connects a TcpClientSocket to
// `endpoint` (a LoopbackListener), whatever the group's destination, but
// reports to the pool only when the test says so - like Chromium's pending and
// waiting mock job types, with real sockets underneath. The test releases
// jobs in creation order (ReleaseNext), all at once, or makes the next ones
// fail. Jobs created while `auto_release` is set report as soon as TCP
// connects. The factory must outlive the jobs it made (the pool that uses it).
class ControlledConnectJobFactory : public ConnectJobFactory {
 public:
  explicit ControlledConnectJobFactory(const IPEndPoint& endpoint);
  ControlledConnectJobFactory(const ControlledConnectJobFactory&) = delete;
  ControlledConnectJobFactory& operator=(const ControlledConnectJobFactory&) =
      delete;
  ~ControlledConnectJobFactory() override;

  // ConnectJobFactory:
  std::unique_ptr<ConnectJob> CreateConnectJob(
      const ConnectJobParams& params,
      ConnectJob::Delegate* delegate) override;

  void set_auto_release(bool auto_release) { auto_release_ = auto_release; }
  // Jobs created from now on fail with `error` when released (0: connect).
  void set_fail_with(int error) { fail_with_ = error; }
  // Sockets that jobs hand over from now on report this ALPN protocol
  // ("h2", "http/1.1"; "" as plain TCP).
  void set_negotiated_protocol(std::string protocol) {
    negotiated_protocol_ = std::move(protocol);
  }
  const std::string& negotiated_protocol() const {
    return negotiated_protocol_;
  }

  // Lets the oldest unreleased live job report (once its TCP connect is done;
  // this runs the loop until it is). False if there is none.
  bool ReleaseNext();
  // Releases every live job and runs the loop until all have reported.
  void ReleaseAll();

  // Live jobs (created, not yet destroyed), oldest first.
  const std::vector<ControlledConnectJob*>& jobs() const { return jobs_; }
  int created_count() const { return created_count_; }
  // Params of every job ever created, in order.
  const std::vector<ConnectJobParams>& created_params() const {
    return created_params_;
  }

 private:
  friend class ControlledConnectJob;
  void OnJobDestroyed(ControlledConnectJob* job);

  const IPEndPoint endpoint_;
  bool auto_release_ = false;
  int fail_with_ = 0;
  std::string negotiated_protocol_;
  int created_count_ = 0;
  std::vector<ControlledConnectJob*> jobs_;
  std::vector<ConnectJobParams> created_params_;
};

}  // namespace net

#endif  // UNITTESTS_SOCKET_POOL_CONTROLLED_CONNECT_JOB_FACTORY_H_
