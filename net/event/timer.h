#ifndef NET_EVENT_TIMER_H_
#define NET_EVENT_TIMER_H_

#include "absl/time/time.h"
#include "net/base/completion_once_callback.h"
#include "net/event/event_loop.h"

namespace net {

// Runs a task once after a delay on the current EventLoop. Stop(), a restart
// (Start() while running) or destroying the timer cancels the posted task on
// the loop, so a stopped timer leaves nothing queued. The task may destroy or
// restart the timer. Must be destroyed before its loop.
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
  void Fire();

  EventLoop* loop_ = nullptr;
  DelayedTaskHandle posted_;
  absl::Time desired_run_time_;
  OnceClosure task_;
};

}  // namespace net

#endif  // NET_EVENT_TIMER_H_
