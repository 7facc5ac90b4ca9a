#include "net/event/timer.h"

#include <utility>

#include "net/base/check.h"
#include "net/event/event_loop.h"

namespace net {

OneShotTimer::OneShotTimer() : generation_(std::make_shared<uint64_t>(0)) {}

OneShotTimer::~OneShotTimer() = default;

void OneShotTimer::Start(absl::Duration delay, OnceClosure task) {
  EventLoop* loop = EventLoop::Current();
  CHECK(loop);
  CHECK(task);
  // A new generation orphans the task posted by an earlier Start(): the loop
  // has no cancellation, so a stale task finds the generation moved on and does
  // nothing.
  const uint64_t generation = ++*generation_;
  task_ = std::move(task);
  desired_run_time_ = loop->NowTicks() + delay;
  std::weak_ptr<uint64_t> weak_generation = generation_;
  loop->PostDelayedTask(
      [this, weak_generation, generation]() {
        std::shared_ptr<uint64_t> current = weak_generation.lock();
        if (!current || *current != generation)
          return;
        ++*current;
        // Moved out first: the task may destroy or restart this timer.
        OnceClosure task = std::move(task_);
        task_ = nullptr;
        std::move(task)();
      },
      delay);
}

void OneShotTimer::Stop() {
  ++*generation_;
  task_ = nullptr;
}

bool OneShotTimer::IsRunning() const {
  return static_cast<bool>(task_);
}

}  // namespace net
