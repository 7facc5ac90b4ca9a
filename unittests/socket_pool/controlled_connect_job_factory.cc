#include "unittests/socket_pool/controlled_connect_job_factory.h"

#include <algorithm>

#include "absl/time/clock.h"

#include "net/base/check.h"
#include "net/event/event_loop.h"
#include "unittests/socket_pool/controlled_connect_job.h"

namespace net {

ControlledConnectJobFactory::ControlledConnectJobFactory(
    const IPEndPoint& endpoint)
    : endpoint_(endpoint) {}

ControlledConnectJobFactory::~ControlledConnectJobFactory() {
  CHECK(jobs_.empty());
}

std::unique_ptr<ConnectJob> ControlledConnectJobFactory::CreateConnectJob(
    const ConnectJobParams& params,
    ConnectJob::Delegate* delegate) {
  auto job = std::make_unique<ControlledConnectJob>(
      this, endpoint_, params, delegate, auto_release_, fail_with_);
  jobs_.push_back(job.get());
  created_params_.push_back(params);
  ++created_count_;
  return job;
}

void ControlledConnectJobFactory::OnJobDestroyed(ControlledConnectJob* job) {
  jobs_.erase(std::find(jobs_.begin(), jobs_.end(), job));
}

bool ControlledConnectJobFactory::ReleaseNext() {
  auto it =
      std::find_if(jobs_.begin(), jobs_.end(), [](ControlledConnectJob* job) {
        return !job->released() && !job->reported();
      });
  if (it == jobs_.end())
    return false;
  ControlledConnectJob* job = *it;
  job->Release();
  // Run the loop until the job reported (TCP done); a job that reported may
  // be destroyed by the pool, so watch through the live list.
  absl::Time give_up = absl::Now() + absl::Seconds(10);
  while (std::find(jobs_.begin(), jobs_.end(), job) != jobs_.end() &&
         !job->reported() && absl::Now() < give_up) {
    EventLoop::Current()->RunUntilIdle();
    absl::SleepFor(absl::Microseconds(100));
  }
  EventLoop::Current()->RunUntilIdle();
  return true;
}

void ControlledConnectJobFactory::ReleaseAll() {
  while (ReleaseNext()) {
  }
}

}  // namespace net
