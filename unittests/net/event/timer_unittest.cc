#include "net/event/timer.h"

#include <functional>
#include <memory>
#include <vector>

#include "gtest/gtest.h"
#include "net/event/event_loop.h"

namespace net {
namespace {

class OneShotTimerTest : public testing::Test {
 protected:
  EventLoop loop_{EventLoop::TimeSource::kMockTime};
};

TEST_F(OneShotTimerTest, FiresOnceAtItsDeadline) {
  OneShotTimer timer;
  int fired = 0;
  timer.Start(absl::Seconds(5), [&] { ++fired; });
  EXPECT_TRUE(timer.IsRunning());
  EXPECT_EQ(timer.desired_run_time(), loop_.NowTicks() + absl::Seconds(5));
  loop_.FastForwardBy(absl::Seconds(4));
  EXPECT_EQ(fired, 0);
  loop_.FastForwardBy(absl::Seconds(1));
  EXPECT_EQ(fired, 1);
  EXPECT_FALSE(timer.IsRunning());
  loop_.FastForwardBy(absl::Seconds(100));
  EXPECT_EQ(fired, 1);
}

TEST_F(OneShotTimerTest, StopCancelsTheTask) {
  OneShotTimer timer;
  bool fired = false;
  timer.Start(absl::Seconds(1), [&] { fired = true; });
  timer.Stop();
  EXPECT_FALSE(timer.IsRunning());
  loop_.FastForwardBy(absl::Seconds(2));
  EXPECT_FALSE(fired);
}

TEST_F(OneShotTimerTest, RestartMovesTheDeadlineAndRunsOnlyTheNewTask) {
  OneShotTimer timer;
  int first = 0;
  int second = 0;
  timer.Start(absl::Seconds(1), [&] { ++first; });
  loop_.FastForwardBy(absl::Milliseconds(500));
  timer.Start(absl::Seconds(1), [&] { ++second; });
  loop_.FastForwardBy(absl::Milliseconds(600));
  // The first deadline (1 s) has passed; the restarted one (1.5 s) has not.
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 0);
  loop_.FastForwardBy(absl::Milliseconds(400));
  EXPECT_EQ(first, 0);
  EXPECT_EQ(second, 1);
}

TEST_F(OneShotTimerTest, StartAfterStopFiresAgain) {
  OneShotTimer timer;
  int fired = 0;
  timer.Start(absl::Seconds(1), [&] { ++fired; });
  timer.Stop();
  timer.Start(absl::Seconds(1), [&] { ++fired; });
  loop_.FastForwardBy(absl::Seconds(1));
  EXPECT_EQ(fired, 1);
}

TEST_F(OneShotTimerTest, DestroyingTheTimerCancelsTheTask) {
  auto timer = std::make_unique<OneShotTimer>();
  bool fired = false;
  timer->Start(absl::Seconds(1), [&] { fired = true; });
  timer.reset();
  loop_.FastForwardBy(absl::Seconds(2));
  EXPECT_FALSE(fired);
}

TEST_F(OneShotTimerTest, TaskMayDeleteItsOwnTimer) {
  auto timer = std::make_unique<OneShotTimer>();
  bool fired = false;
  timer->Start(absl::Seconds(1), [&] {
    fired = true;
    timer.reset();
  });
  loop_.FastForwardBy(absl::Seconds(1));
  EXPECT_TRUE(fired);
  EXPECT_EQ(timer, nullptr);
}

TEST_F(OneShotTimerTest, TaskMayRestartItsOwnTimer) {
  OneShotTimer timer;
  int fired = 0;
  std::function<void()> tick = [&] {
    if (++fired < 3)
      timer.Start(absl::Seconds(1), [&] { tick(); });
  };
  timer.Start(absl::Seconds(1), [&] { tick(); });
  loop_.FastForwardBy(absl::Seconds(10));
  EXPECT_EQ(fired, 3);
  EXPECT_FALSE(timer.IsRunning());
}

// F9: a stopped or restarted timer used to leave its task queued until the
// old deadline; 20,000 finished preconnects left 80,000 tasks behind.
TEST_F(OneShotTimerTest, StopLeavesNoTaskQueued) {
  const size_t before = loop_.pending_task_count();
  OneShotTimer timer;
  timer.Start(absl::Minutes(4), [] {});
  EXPECT_EQ(loop_.pending_task_count(), before + 1);
  timer.Stop();
  EXPECT_EQ(loop_.pending_task_count(), before);
  EXPECT_EQ(loop_.NextPendingTaskDelay(), absl::InfiniteDuration());
}

TEST_F(OneShotTimerTest, RestartsKeepOneTaskQueued) {
  const size_t before = loop_.pending_task_count();
  OneShotTimer timer;
  int fired = 0;
  for (int i = 0; i < 20000; ++i)
    timer.Start(absl::Minutes(4), [&] { ++fired; });
  EXPECT_EQ(loop_.pending_task_count(), before + 1);
  loop_.FastForwardBy(absl::Minutes(4));
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(loop_.pending_task_count(), before);
}

TEST_F(OneShotTimerTest, DestroyedTimersLeaveNoTaskQueued) {
  const size_t before = loop_.pending_task_count();
  for (int i = 0; i < 1000; ++i) {
    OneShotTimer timer;
    timer.Start(absl::Minutes(4), [] {});
  }
  EXPECT_EQ(loop_.pending_task_count(), before);
}

TEST_F(OneShotTimerTest, CancelledTaskIsDestroyedAtOnce) {
  auto token = std::make_shared<int>(0);
  std::weak_ptr<int> watch = token;
  DelayedTaskHandle handle =
      loop_.PostDelayedTask([token = std::move(token)] {}, absl::Hours(1));
  EXPECT_FALSE(watch.expired());
  loop_.CancelDelayedTask(handle);
  EXPECT_TRUE(watch.expired());
  // A second cancel, or a null handle, does nothing.
  loop_.CancelDelayedTask(handle);
  loop_.CancelDelayedTask(DelayedTaskHandle());
}

TEST_F(OneShotTimerTest, CancellingOneOfEqualDeadlinesKeepsTheOthersInOrder) {
  std::vector<int> ran;
  loop_.PostDelayedTask([&] { ran.push_back(1); }, absl::Seconds(1));
  DelayedTaskHandle second =
      loop_.PostDelayedTask([&] { ran.push_back(2); }, absl::Seconds(1));
  loop_.PostDelayedTask([&] { ran.push_back(3); }, absl::Seconds(1));
  loop_.CancelDelayedTask(second);
  loop_.FastForwardBy(absl::Seconds(1));
  EXPECT_EQ(ran, (std::vector<int>{1, 3}));
}

TEST(OneShotTimerSystemTimeTest, FiresWithTheRealClock) {
  EventLoop loop;
  OneShotTimer timer;
  RunLoop run_loop;
  timer.Start(absl::Milliseconds(10), run_loop.QuitClosure());
  EXPECT_TRUE(run_loop.RunWithTimeout(absl::Seconds(10)));
  EXPECT_FALSE(timer.IsRunning());
}

}  // namespace
}  // namespace net
