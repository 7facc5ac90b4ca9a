#ifndef NET_EVENT_EVENT_LOOP_H_
#define NET_EVENT_EVENT_LOOP_H_

#include <cstdint>
#include <memory>

#include "absl/time/time.h"
#include "net/base/completion_once_callback.h"

struct event_base;

namespace net {

class TickClock;

// Names one delayed task so that CancelDelayedTask() can drop it; the default
// value names none. A value type, valid on the loop that made it.
struct DelayedTaskHandle {
  absl::Time deadline;
  uint64_t sequence = 0;
  bool is_null() const { return sequence == 0; }
};

// The network thread's loop, on libevent (core). Exactly one EventLoop is
// current per thread while it exists (EventLoop::Current()); every socket,
// timer and pool on that thread uses it. It owns the libevent event_base, runs
// posted tasks in FIFO order, runs delayed tasks in deadline order (FIFO among
// equal deadlines) and dispatches fd readiness. Not thread-safe: everything
// happens on the thread that created it, except PostTaskFromAnyThread().
//
// Time: with the default clock the loop sleeps until the next delayed task.
// Constructed with kMockTime, the loop owns a TestTickClock that only
// FastForwardBy() moves; fd events are still dispatched for real, so tests can
// combine real sockets with driven time.
//
// FdWatchers and OneShotTimers made on the loop must be destroyed before it;
// tasks still queued when it dies are destroyed without running.
class EventLoop {
 public:
  enum class TimeSource { kSystemTime, kMockTime };

  explicit EventLoop(TimeSource time_source = TimeSource::kSystemTime);
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;
  ~EventLoop();

  // The loop of the calling thread, or nullptr.
  static EventLoop* Current();

  event_base* base() const { return base_; }
  const TickClock* clock() const;
  absl::Time NowTicks() const;

  void PostTask(OnceClosure task);
  // Runs `task` once NowTicks() >= now + delay.
  DelayedTaskHandle PostDelayedTask(OnceClosure task, absl::Duration delay);
  // Drops the task (destroyed at once, never run). A handle whose task ran or
  // was cancelled already, or a null one, is ignored.
  void CancelDelayedTask(const DelayedTaskHandle& handle);
  // The only thread-safe entry point: wakes the loop and runs `task` on its
  // thread.
  void PostTaskFromAnyThread(OnceClosure task);

  // Runs until Quit() is called (from a task or callback on this thread). Runs
  // may nest inside a task, but not inside an FdWatcher callback: libevent's
  // dispatch is not re-entrant (that CHECK-fails).
  void Run();
  // Runs tasks and fd events that are ready now, without blocking, until
  // nothing is ready.
  void RunUntilIdle();
  // Ends the innermost Run(). Called while nothing runs, it makes the next
  // Run() return at once (like Chromium's RunLoop::Quit before Run).
  void Quit();

  // Mock time only: advances the clock by `delta`, running every delayed task
  // that falls due on the way at its own deadline (with the clock set to that
  // deadline), and dispatching ready fd events in between.
  void FastForwardBy(absl::Duration delta);
  // Mock time only: the time until the next delayed task, or
  // InfiniteDuration().
  absl::Duration NextPendingTaskDelay() const;

  // Posted plus delayed tasks not yet run; cancelled ones are gone.
  size_t pending_task_count() const;

 private:
  friend class RunLoop;
  friend class FdWatcher;
  class Impl;

  // FdWatcher reports each callback it runs, so RunUntilIdle() knows fd work
  // happened.
  void DidDispatchEvent();

  event_base* base_ = nullptr;
  std::unique_ptr<Impl> impl_;
};

// Runs the current thread's EventLoop until Quit() or QuitClosure() is called,
// like Chromium's base::RunLoop in tests.
class RunLoop {
 public:
  RunLoop();
  void Run();
  // Like Run(), but gives up after `timeout` of real time; returns false if it
  // did.
  bool RunWithTimeout(absl::Duration timeout);
  void RunUntilIdle();
  void Quit();
  OnceClosure QuitClosure();

 private:
  EventLoop* loop_;
  std::shared_ptr<bool> quit_;
};

}  // namespace net

#endif  // NET_EVENT_EVENT_LOOP_H_
