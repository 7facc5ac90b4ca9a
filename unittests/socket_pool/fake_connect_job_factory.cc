#include "unittests/socket_pool/fake_connect_job_factory.h"

#include <algorithm>

#include "net/base/check.h"
#include "unittests/socket_pool/fake_connect_job.h"

namespace net {

FakeConnectJobFactory::FakeConnectJobFactory() = default;

FakeConnectJobFactory::~FakeConnectJobFactory() {
  CHECK(pending_jobs_.empty());
}

uint64_t FakeConnectJobFactory::TagFor(const GroupId& group_id) {
  auto [it, inserted] = tags_.try_emplace(group_id, tags_.size() + 1);
  return it->second;
}

std::unique_ptr<ConnectJob> FakeConnectJobFactory::CreateConnectJob(
    const ConnectJobParams& params,
    ConnectJob::Delegate* delegate) {
  ++created_count_;
  GroupId group_id(params.scheme, params.destination, params.privacy_mode,
                   params.network_anonymization_key);
  auto job =
      std::make_unique<FakeConnectJob>(this, delegate, TagFor(group_id),
                                       params.priority, asynchronous_, result_);
  if (asynchronous_)
    pending_jobs_.push_back(job.get());
  return job;
}

void FakeConnectJobFactory::CompleteJob(size_t index) {
  CHECK(index < pending_jobs_.size());
  pending_jobs_[index]->Complete();
}

void FakeConnectJobFactory::OnJobDestroyed(FakeConnectJob* job) {
  auto it = std::find(pending_jobs_.begin(), pending_jobs_.end(), job);
  if (it != pending_jobs_.end())
    pending_jobs_.erase(it);
}

}  // namespace net
