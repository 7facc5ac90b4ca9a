#include "net/event/timer.h"

#include <utility>

#include "net/base/check.h"

namespace net {

OneShotTimer::OneShotTimer() = default;

OneShotTimer::~OneShotTimer() {
  Stop();
}

void OneShotTimer::Start(absl::Duration delay, OnceClosure task) {
  CHECK(task);
  Stop();
  loop_ = EventLoop::Current();
  CHECK(loop_);
  task_ = std::move(task);
  desired_run_time_ = loop_->NowTicks() + delay;
  // The loop drops the task on Stop(), so it never outlives the timer.
  posted_ = loop_->PostDelayedTask([this] { Fire(); }, delay);
}

void OneShotTimer::Stop() {
  if (!posted_.is_null()) {
    // A loop that is gone took its tasks with it.
    if (loop_ == EventLoop::Current())
      loop_->CancelDelayedTask(posted_);
    posted_ = DelayedTaskHandle();
  }
  task_ = nullptr;
}

bool OneShotTimer::IsRunning() const {
  return static_cast<bool>(task_);
}

void OneShotTimer::Fire() {
  posted_ = DelayedTaskHandle();
  // Moved out first: the task may destroy or restart this timer.
  OnceClosure task = std::move(task_);
  task_ = nullptr;
  std::move(task)();
}

}  // namespace net
