#ifndef UNITTESTS_SOCKET_POOL_CONTROLLED_CONNECT_JOB_H_
#define UNITTESTS_SOCKET_POOL_CONTROLLED_CONNECT_JOB_H_

#include <memory>

#include "net/base/ip_endpoint.h"
#include "net/base/load_timing_info.h"
#include "net/event/weak_ptr.h"
#include "net/socket/connect_job.h"
#include "socket_pool/group_id.h"

namespace net {

class ControlledConnectJobFactory;
class TcpClientSocket;

// One job of ControlledConnectJobFactory: a real TCP connect to a loopback
// listener whose completion is reported to the delegate only after Release()
// (and after TCP connected). Reports asynchronously, never from Connect().
// Its socket is a TaggedStreamSocket naming the group the job was made for.
class ControlledConnectJob : public ConnectJob {
 public:
  ControlledConnectJob(ControlledConnectJobFactory* factory,
                       const IPEndPoint& endpoint,
                       const ConnectJobParams& params,
                       Delegate* delegate,
                       bool released,
                       int fail_with);
  ~ControlledConnectJob() override;

  // ConnectJob:
  int Connect() override;
  std::unique_ptr<StreamSocket> PassSocket() override;
  const LoadTimingInfo::ConnectTiming& connect_timing() const override {
    return timing_;
  }
  RequestPriority priority() const override { return priority_; }
  void ChangePriority(RequestPriority priority) override {
    priority_ = priority;
  }

  void Release();
  bool released() const { return released_; }
  bool connected() const { return tcp_result_ == 0; }
  bool reported() const { return reported_; }

 private:
  void OnTcpConnected(int result);
  void MaybeReport();

  ControlledConnectJobFactory* const factory_;
  const IPEndPoint endpoint_;
  const GroupId group_id_;
  Delegate* const delegate_;
  RequestPriority priority_;
  bool released_;
  const int fail_with_;
  int tcp_result_ = 1;  // 1 until TCP finished.
  bool reported_ = false;
  std::unique_ptr<TcpClientSocket> socket_;
  LoadTimingInfo::ConnectTiming timing_;
  WeakPtrFactory<ControlledConnectJob> weak_factory_{this};
};

}  // namespace net

#endif  // UNITTESTS_SOCKET_POOL_CONTROLLED_CONNECT_JOB_H_
