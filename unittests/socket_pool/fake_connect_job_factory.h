#ifndef UNITTESTS_SOCKET_POOL_FAKE_CONNECT_JOB_FACTORY_H_
#define UNITTESTS_SOCKET_POOL_FAKE_CONNECT_JOB_FACTORY_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "net/socket/connect_job.h"
#include "socket_pool/group_id.h"

namespace net {

class FakeConnectJob;

// Makes jobs that produce FakeStreamSockets without any network: completing
// synchronously (the default; what the benchmarks measure) or, with
// set_asynchronous(true), when the test calls CompleteJob(). Each socket is
// tagged with a number for its group key (TagFor), so tests can check where
// it ends up. For benchmarks and the randomized isolation test only. Must
// outlive the jobs it made.
class FakeConnectJobFactory : public ConnectJobFactory {
 public:
  FakeConnectJobFactory();
  FakeConnectJobFactory(const FakeConnectJobFactory&) = delete;
  FakeConnectJobFactory& operator=(const FakeConnectJobFactory&) = delete;
  ~FakeConnectJobFactory() override;

  // ConnectJobFactory:
  std::unique_ptr<ConnectJob> CreateConnectJob(
      const ConnectJobParams& params,
      ConnectJob::Delegate* delegate) override;

  void set_asynchronous(bool asynchronous) { asynchronous_ = asynchronous; }
  // Jobs created from now on fail with `error` (OK: succeed).
  void set_result(int error) { result_ = error; }

  // The tag sockets of `group_id` carry (stable for the factory's life).
  uint64_t TagFor(const GroupId& group_id);

  // Asynchronous mode: completes the pending job at `index` of
  // pending_jobs(). The job's delegate may destroy it.
  void CompleteJob(size_t index);
  size_t pending_job_count() const { return pending_jobs_.size(); }
  int created_count() const { return created_count_; }

 private:
  friend class FakeConnectJob;
  void OnJobDestroyed(FakeConnectJob* job);

  bool asynchronous_ = false;
  int result_ = 0;
  int created_count_ = 0;
  absl::flat_hash_map<GroupId, uint64_t> tags_;
  std::vector<FakeConnectJob*> pending_jobs_;
};

}  // namespace net

#endif  // UNITTESTS_SOCKET_POOL_FAKE_CONNECT_JOB_FACTORY_H_
