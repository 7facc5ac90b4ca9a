#include "net/event/event_loop.h"

#include <event2/event.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "net/base/check.h"
#include "net/event/tick_clock.h"

namespace net {

namespace {

thread_local EventLoop* g_current_loop = nullptr;

timeval DurationToTimeval(absl::Duration delta) {
  if (delta < absl::ZeroDuration())
    delta = absl::ZeroDuration();
  // Round up so libevent never wakes us before the deadline has passed.
  int64_t micros =
      absl::ToInt64Microseconds(absl::Ceil(delta, absl::Microseconds(1)));
  timeval tv;
  tv.tv_sec = static_cast<time_t>(micros / 1000000);
  tv.tv_usec = static_cast<suseconds_t>(micros % 1000000);
  return tv;
}

}  // namespace

class EventLoop::Impl {
 public:
  // Delayed tasks in deadline order, FIFO among equal deadlines (the
  // sequence number breaks ties); a handle is its task's key, so cancelling
  // is one erase.
  struct LaterKey {
    bool operator()(const DelayedTaskHandle& a,
                    const DelayedTaskHandle& b) const {
      if (a.deadline != b.deadline)
        return a.deadline < b.deadline;
      return a.sequence < b.sequence;
    }
  };
  using DelayedTaskMap = std::map<DelayedTaskHandle, OnceClosure, LaterKey>;

  explicit Impl(TimeSource time_source) : time_source_(time_source) {
    if (time_source == TimeSource::kMockTime) {
      mock_clock_ = std::make_unique<TestTickClock>();
      clock_ = mock_clock_.get();
    } else {
      clock_ = DefaultTickClock::GetInstance();
    }
    // No EVENT_BASE_FLAG_PRECISE_TIMER: with it libevent re-arms a timerfd
    // on every dispatch, one syscall per loop turn. Delayed tasks keep their
    // precision through our own timerfd, re-armed only when the earliest
    // deadline changes.
    base_ = event_base_new();
    CHECK(base_);

    wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    CHECK(wake_fd_ >= 0);
    wake_event_ =
        event_new(base_, wake_fd_, EV_READ | EV_PERSIST, &Impl::OnWakeUp, this);
    CHECK(wake_event_);
    CHECK(event_add(wake_event_, nullptr) == 0);
    timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    CHECK(timer_fd_ >= 0);
    delayed_timer_event_ = event_new(base_, timer_fd_, EV_READ | EV_PERSIST,
                                     &Impl::OnTimerFired, this);
    CHECK(delayed_timer_event_);
    CHECK(event_add(delayed_timer_event_, nullptr) == 0);
  }

  ~Impl() {
    event_free(delayed_timer_event_);
    close(timer_fd_);
    event_free(wake_event_);
    close(wake_fd_);
    event_base_free(base_);
  }

  event_base* base() const { return base_; }
  const TickClock* clock() const { return clock_; }
  bool is_mock_time() const { return time_source_ == TimeSource::kMockTime; }

  void PostTask(OnceClosure task) {
    immediate_tasks_.push_back(std::move(task));
  }

  DelayedTaskHandle PostDelayedTask(OnceClosure task, absl::Duration delay) {
    if (delay < absl::ZeroDuration())
      delay = absl::ZeroDuration();
    DelayedTaskHandle handle{clock_->NowTicks() + delay, next_sequence_++};
    delayed_tasks_.emplace(handle, std::move(task));
    return handle;
  }

  void CancelDelayedTask(const DelayedTaskHandle& handle) {
    if (handle.is_null())
      return;
    auto it = delayed_tasks_.find(handle);
    if (it == delayed_tasks_.end())
      return;
    // Moved out first: destroying the task may cancel others.
    OnceClosure task = std::move(it->second);
    delayed_tasks_.erase(it);
  }

  void PostTaskFromAnyThread(OnceClosure task) {
    {
      std::lock_guard<std::mutex> lock(incoming_lock_);
      incoming_tasks_.push_back(std::move(task));
    }
    uint64_t one = 1;
    // EAGAIN means the counter is already non-zero: the loop is woken anyway.
    ssize_t written = write(wake_fd_, &one, sizeof(one));
    (void)written;
  }

  // Runs the loop until *quit is set. With `real_timeout`, also stops after
  // that much real time; returns false in that case.
  bool RunUntilQuit(bool* quit, std::optional<absl::Duration> real_timeout) {
    if (pending_quit_) {
      pending_quit_ = false;
      return true;
    }
    run_quit_flags_.push_back(quit);
    bool timed_out = false;
    event* timeout_event = nullptr;
    if (real_timeout) {
      timeout_event = evtimer_new(base_, &Impl::OnRunTimeout, &timed_out);
      CHECK(timeout_event);
      timeval tv = DurationToTimeval(*real_timeout);
      CHECK(evtimer_add(timeout_event, &tv) == 0);
    }
    while (!*quit && !timed_out) {
      DoWork(quit);
      if (*quit)
        break;
      // More work is queued: poll fds without blocking so they interleave
      // with it. Otherwise block; a blocking poll returns at once for fds the
      // work just made ready, so a second, non-blocking poll would only cost
      // an extra epoll_wait per turn.
      if (!immediate_tasks_.empty() || HasDueDelayedTask()) {
        DispatchEvents(EVLOOP_NONBLOCK);
        continue;
      }
      ArmDelayedTimer();
      DispatchEvents(EVLOOP_ONCE);
    }
    if (timeout_event)
      event_free(timeout_event);
    run_quit_flags_.pop_back();
    return !timed_out;
  }

  void RunUntilIdle() {
    while (true) {
      bool did_work = DoWork(nullptr);
      uint64_t dispatched_before = dispatch_count_;
      DispatchEvents(EVLOOP_NONBLOCK);
      if (!did_work && dispatch_count_ == dispatched_before &&
          immediate_tasks_.empty() && !HasDueDelayedTask()) {
        return;
      }
    }
  }

  void Quit() {
    if (run_quit_flags_.empty()) {
      pending_quit_ = true;
      return;
    }
    *run_quit_flags_.back() = true;
  }

  void FastForwardBy(absl::Duration delta) {
    CHECK(is_mock_time());
    CHECK(delta >= absl::ZeroDuration());
    const absl::Time target = mock_clock_->NowTicks() + delta;
    RunUntilIdle();
    while (!delayed_tasks_.empty() &&
           delayed_tasks_.begin()->first.deadline <= target) {
      if (delayed_tasks_.begin()->first.deadline > mock_clock_->NowTicks())
        mock_clock_->SetNowTicks(delayed_tasks_.begin()->first.deadline);
      RunOneDelayedTask();
      RunUntilIdle();
    }
    mock_clock_->SetNowTicks(target);
    RunUntilIdle();
  }

  absl::Duration NextPendingTaskDelay() const {
    if (!immediate_tasks_.empty())
      return absl::ZeroDuration();
    if (delayed_tasks_.empty())
      return absl::InfiniteDuration();
    return std::max(
        absl::ZeroDuration(),
        delayed_tasks_.begin()->first.deadline - clock_->NowTicks());
  }

  size_t pending_task_count() const {
    return immediate_tasks_.size() + delayed_tasks_.size();
  }

  void DidDispatchEvent() { ++dispatch_count_; }

 private:
  static void OnWakeUp(evutil_socket_t fd, short, void* arg) {
    auto* self = static_cast<Impl*>(arg);
    uint64_t value;
    while (read(fd, &value, sizeof(value)) > 0) {
    }
    std::vector<OnceClosure> incoming;
    {
      std::lock_guard<std::mutex> lock(self->incoming_lock_);
      incoming.swap(self->incoming_tasks_);
    }
    for (OnceClosure& task : incoming)
      self->immediate_tasks_.push_back(std::move(task));
    self->DidDispatchEvent();
  }

  static void OnTimerFired(evutil_socket_t fd, short, void* arg) {
    auto* self = static_cast<Impl*>(arg);
    uint64_t expirations;
    while (read(fd, &expirations, sizeof(expirations)) > 0) {
    }
    self->armed_deadline_ = absl::InfiniteFuture();
    // The due tasks themselves run from DoWork(), outside libevent's dispatch.
    self->DidDispatchEvent();
  }

  static void OnRunTimeout(evutil_socket_t, short, void* arg) {
    *static_cast<bool*>(arg) = true;
  }

  void DispatchEvents(int flags) {
    int result = event_base_loop(base_, flags);
    // -1 means a re-entrant event_base_loop: a nested Run from inside an fd
    // callback.
    CHECK(result != -1);
  }

  bool HasDueDelayedTask() const {
    return !delayed_tasks_.empty() &&
           delayed_tasks_.begin()->first.deadline <= clock_->NowTicks();
  }

  void RunOneDelayedTask() {
    auto first = delayed_tasks_.begin();
    OnceClosure task = std::move(first->second);
    delayed_tasks_.erase(first);
    std::move(task)();
  }

  // Runs the posted tasks that were queued when it started (later ones wait a
  // round so fd events interleave), then every delayed task that is due. Stops
  // early once `quit` is set. Returns whether anything ran.
  bool DoWork(bool* quit) {
    bool did_work = false;
    size_t budget = immediate_tasks_.size();
    while (budget-- > 0 && !immediate_tasks_.empty()) {
      OnceClosure task = std::move(immediate_tasks_.front());
      immediate_tasks_.pop_front();
      std::move(task)();
      did_work = true;
      if (quit && *quit)
        return true;
    }
    const absl::Time now = clock_->NowTicks();
    while (!delayed_tasks_.empty() &&
           delayed_tasks_.begin()->first.deadline <= now) {
      RunOneDelayedTask();
      did_work = true;
      if (quit && *quit)
        return true;
    }
    return did_work;
  }

  // Points the timerfd at the earliest deadline. A syscall only when that
  // deadline changed; a timer left armed for a task that is gone costs one
  // empty wake-up at most.
  void ArmDelayedTimer() {
    if (is_mock_time() || delayed_tasks_.empty())
      return;
    const absl::Time deadline = delayed_tasks_.begin()->first.deadline;
    if (deadline == armed_deadline_)
      return;
    absl::Duration delay = deadline - clock_->NowTicks();
    // An all-zero it_value would disarm the timer instead of firing it.
    delay = std::max(delay, absl::Nanoseconds(1));
    itimerspec spec = {};
    spec.it_value = absl::ToTimespec(absl::Ceil(delay, absl::Nanoseconds(1)));
    CHECK(timerfd_settime(timer_fd_, 0, &spec, nullptr) == 0);
    armed_deadline_ = deadline;
  }

  const TimeSource time_source_;
  std::unique_ptr<TestTickClock> mock_clock_;
  const TickClock* clock_ = nullptr;
  event_base* base_ = nullptr;
  int wake_fd_ = -1;
  event* wake_event_ = nullptr;
  int timer_fd_ = -1;
  event* delayed_timer_event_ = nullptr;
  // The deadline the timerfd fires at, or InfiniteFuture() when disarmed.
  absl::Time armed_deadline_ = absl::InfiniteFuture();

  std::deque<OnceClosure> immediate_tasks_;
  DelayedTaskMap delayed_tasks_;
  // 0 is the null handle's.
  uint64_t next_sequence_ = 1;
  uint64_t dispatch_count_ = 0;

  // Innermost Run() last; Quit() ends the innermost one.
  std::vector<bool*> run_quit_flags_;
  bool pending_quit_ = false;

  // The one piece of state shared across threads (PostTaskFromAnyThread).
  std::mutex incoming_lock_;
  std::vector<OnceClosure> incoming_tasks_;
};

EventLoop::EventLoop(TimeSource time_source)
    : impl_(std::make_unique<Impl>(time_source)) {
  CHECK(g_current_loop == nullptr);
  base_ = impl_->base();
  g_current_loop = this;
}

EventLoop::~EventLoop() {
  CHECK(g_current_loop == this);
  g_current_loop = nullptr;
  // Tasks still queued are destroyed with impl_, while Current() is already
  // null, so their destructors cannot post back into a dying loop.
  impl_.reset();
}

// static
EventLoop* EventLoop::Current() {
  return g_current_loop;
}

const TickClock* EventLoop::clock() const {
  return impl_->clock();
}

absl::Time EventLoop::NowTicks() const {
  return impl_->clock()->NowTicks();
}

void EventLoop::PostTask(OnceClosure task) {
  impl_->PostTask(std::move(task));
}

DelayedTaskHandle EventLoop::PostDelayedTask(OnceClosure task,
                                             absl::Duration delay) {
  return impl_->PostDelayedTask(std::move(task), delay);
}

void EventLoop::CancelDelayedTask(const DelayedTaskHandle& handle) {
  impl_->CancelDelayedTask(handle);
}

void EventLoop::PostTaskFromAnyThread(OnceClosure task) {
  impl_->PostTaskFromAnyThread(std::move(task));
}

void EventLoop::Run() {
  bool quit = false;
  impl_->RunUntilQuit(&quit, std::nullopt);
}

void EventLoop::RunUntilIdle() {
  impl_->RunUntilIdle();
}

void EventLoop::Quit() {
  impl_->Quit();
}

void EventLoop::FastForwardBy(absl::Duration delta) {
  impl_->FastForwardBy(delta);
}

absl::Duration EventLoop::NextPendingTaskDelay() const {
  return impl_->NextPendingTaskDelay();
}

size_t EventLoop::pending_task_count() const {
  return impl_->pending_task_count();
}

void EventLoop::DidDispatchEvent() {
  impl_->DidDispatchEvent();
}

RunLoop::RunLoop()
    : loop_(EventLoop::Current()), quit_(std::make_shared<bool>(false)) {
  CHECK(loop_);
}

void RunLoop::Run() {
  loop_->impl_->RunUntilQuit(quit_.get(), std::nullopt);
}

bool RunLoop::RunWithTimeout(absl::Duration timeout) {
  return loop_->impl_->RunUntilQuit(quit_.get(), timeout);
}

void RunLoop::RunUntilIdle() {
  loop_->RunUntilIdle();
}

void RunLoop::Quit() {
  *quit_ = true;
}

OnceClosure RunLoop::QuitClosure() {
  return [quit = quit_]() { *quit = true; };
}

}  // namespace net
