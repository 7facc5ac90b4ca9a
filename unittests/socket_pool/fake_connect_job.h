#ifndef UNITTESTS_SOCKET_POOL_FAKE_CONNECT_JOB_H_
#define UNITTESTS_SOCKET_POOL_FAKE_CONNECT_JOB_H_

#include <cstdint>
#include <memory>

#include "net/socket/connect_job.h"

namespace net {

class FakeConnectJobFactory;

// One job of FakeConnectJobFactory: hands over a FakeStreamSocket tagged for
// its group, synchronously from Connect() or when the factory completes it.
class FakeConnectJob : public ConnectJob {
 public:
  FakeConnectJob(FakeConnectJobFactory* factory,
                 Delegate* delegate,
                 uint64_t tag,
                 RequestPriority priority,
                 bool asynchronous,
                 int result);
  ~FakeConnectJob() override;

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

  // Asynchronous mode: report the result to the delegate.
  void Complete();

 private:
  FakeConnectJobFactory* const factory_;
  Delegate* const delegate_;
  const uint64_t tag_;
  RequestPriority priority_;
  const bool asynchronous_;
  const int result_;
  bool pending_ = false;
  std::unique_ptr<StreamSocket> socket_;
  LoadTimingInfo::ConnectTiming timing_;
};

}  // namespace net

#endif  // UNITTESTS_SOCKET_POOL_FAKE_CONNECT_JOB_H_
