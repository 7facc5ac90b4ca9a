#ifndef NET_EVENT_TIMER_H_
#define NET_EVENT_TIMER_H_

#include <cstdint>
#include <memory>

#include "absl/time/time.h"
#include "net/base/completion_once_callback.h"

namespace net {

// Runs a task once after a delay on the current EventLoop. Stop() or destroying
// the timer cancels it; Start() while running restarts it. The task may destroy
// the timer.
class OneShotTimer {
 public:
  OneShotTimer();
  OneShotTimer(const OneShotTimer&) = delete;
  OneShotTimer& operator=(const OneShotTimer&) = delete;
  ~OneShotTimer();

  void Start(absl::Duration delay, OnceClosure task);
  void Stop();
  bool IsRunning() const;
  // When the task will run; only meaningful while IsRunning().
  absl::Time desired_run_time() const { return desired_run_time_; }

 private:
  absl::Time desired_run_time_;
  std::shared_ptr<uint64_t> generation_;
  OnceClosure task_;
};

}  // namespace net

#endif  // NET_EVENT_TIMER_H_
