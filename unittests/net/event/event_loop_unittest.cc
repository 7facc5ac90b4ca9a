#include "net/event/event_loop.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "net/event/tick_clock.h"

namespace net {
namespace {

TEST(EventLoopTest, CurrentIsTheLoopOfThisThreadWhileItExists) {
  EXPECT_EQ(EventLoop::Current(), nullptr);
  {
    EventLoop loop;
    EXPECT_EQ(EventLoop::Current(), &loop);
    EXPECT_NE(loop.base(), nullptr);
  }
  EXPECT_EQ(EventLoop::Current(), nullptr);
}

TEST(EventLoopTest, CurrentIsPerThread) {
  EventLoop loop;
  EventLoop* seen_on_other_thread = &loop;
  std::thread other([&] { seen_on_other_thread = EventLoop::Current(); });
  other.join();
  EXPECT_EQ(seen_on_other_thread, nullptr);
}

TEST(EventLoopTest, PostedTasksRunInFifoOrder) {
  EventLoop loop;
  std::vector<int> order;
  for (int i = 0; i < 5; ++i)
    loop.PostTask([&order, i] { order.push_back(i); });
  EXPECT_EQ(loop.pending_task_count(), 5u);
  loop.RunUntilIdle();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(loop.pending_task_count(), 0u);
}

TEST(EventLoopTest, TasksPostedByTasksRunAfterEarlierOnes) {
  EventLoop loop;
  std::vector<std::string> order;
  loop.PostTask([&] {
    order.push_back("a");
    loop.PostTask([&] { order.push_back("c"); });
  });
  loop.PostTask([&] { order.push_back("b"); });
  loop.RunUntilIdle();
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(EventLoopTest, RunReturnsAfterQuitAndLeavesLaterTasksQueued) {
  EventLoop loop;
  std::vector<int> order;
  loop.PostTask([&] { order.push_back(1); });
  loop.PostTask([&] {
    order.push_back(2);
    loop.Quit();
  });
  loop.PostTask([&] { order.push_back(3); });
  loop.Run();
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_EQ(loop.pending_task_count(), 1u);
  loop.RunUntilIdle();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(EventLoopTest, DelayedTasksRunInDeadlineOrderThenPostingOrder) {
  EventLoop loop(EventLoop::TimeSource::kMockTime);
  std::vector<std::string> order;
  loop.PostDelayedTask([&] { order.push_back("30ms"); },
                       absl::Milliseconds(30));
  loop.PostDelayedTask([&] { order.push_back("10ms-first"); },
                       absl::Milliseconds(10));
  loop.PostDelayedTask([&] { order.push_back("20ms"); },
                       absl::Milliseconds(20));
  loop.PostDelayedTask([&] { order.push_back("10ms-second"); },
                       absl::Milliseconds(10));
  loop.PostTask([&] { order.push_back("immediate"); });
  loop.FastForwardBy(absl::Milliseconds(30));
  EXPECT_EQ(order, (std::vector<std::string>{"immediate", "10ms-first",
                                             "10ms-second", "20ms", "30ms"}));
}

TEST(EventLoopTest, DelayedTasksRunInRealTimeWithTheSystemClock) {
  EventLoop loop;
  std::vector<int> order;
  const absl::Time start = loop.NowTicks();
  absl::Time ran_at;
  loop.PostDelayedTask(
      [&] {
        order.push_back(2);
        ran_at = loop.NowTicks();
        loop.Quit();
      },
      absl::Milliseconds(20));
  loop.PostDelayedTask([&] { order.push_back(1); }, absl::Milliseconds(5));
  loop.Run();
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  // A lower bound only: the loop must never run a task before its deadline.
  EXPECT_GE(ran_at - start, absl::Milliseconds(20));
}

TEST(EventLoopTest, EarlierDelayedTaskPostedWhileBlockedOnALaterOneRunsFirst) {
  EventLoop loop;
  bool late_ran = false;
  loop.PostDelayedTask([&] { late_ran = true; }, absl::Seconds(60));
  RunLoop run_loop;
  // Posted once the loop is blocked until the 60 s deadline: the short
  // delay must move the loop's wake-up earlier.
  std::thread poster([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    loop.PostTaskFromAnyThread([&] {
      loop.PostDelayedTask(run_loop.QuitClosure(), absl::Milliseconds(1));
    });
  });
  const bool quit = run_loop.RunWithTimeout(absl::Seconds(30));
  poster.join();
  EXPECT_TRUE(quit);
  EXPECT_FALSE(late_ran);
}

TEST(EventLoopTest, MockClockMovesOnlyWhenFastForwarded) {
  EventLoop loop(EventLoop::TimeSource::kMockTime);
  const absl::Time start = loop.NowTicks();
  loop.RunUntilIdle();
  EXPECT_EQ(loop.NowTicks(), start);
  loop.FastForwardBy(absl::Seconds(7));
  EXPECT_EQ(loop.NowTicks() - start, absl::Seconds(7));
}

TEST(EventLoopTest, FastForwardRunsEachTaskAtItsOwnDeadline) {
  EventLoop loop(EventLoop::TimeSource::kMockTime);
  const absl::Time start = loop.NowTicks();
  std::vector<absl::Duration> seen;
  loop.PostDelayedTask([&] { seen.push_back(loop.NowTicks() - start); },
                       absl::Seconds(3));
  loop.PostDelayedTask([&] { seen.push_back(loop.NowTicks() - start); },
                       absl::Seconds(1));
  loop.FastForwardBy(absl::Seconds(10));
  EXPECT_EQ(seen,
            (std::vector<absl::Duration>{absl::Seconds(1), absl::Seconds(3)}));
  EXPECT_EQ(loop.NowTicks() - start, absl::Seconds(10));
}

TEST(EventLoopTest, FastForwardRunsTasksPostedOnTheWayIfTheyFallDue) {
  EventLoop loop(EventLoop::TimeSource::kMockTime);
  const absl::Time start = loop.NowTicks();
  std::vector<absl::Duration> seen;
  loop.PostDelayedTask(
      [&] {
        seen.push_back(loop.NowTicks() - start);
        loop.PostDelayedTask([&] { seen.push_back(loop.NowTicks() - start); },
                             absl::Seconds(2));
        loop.PostDelayedTask([&] { seen.push_back(loop.NowTicks() - start); },
                             absl::Seconds(20));
      },
      absl::Seconds(1));
  loop.FastForwardBy(absl::Seconds(5));
  EXPECT_EQ(seen,
            (std::vector<absl::Duration>{absl::Seconds(1), absl::Seconds(3)}));
  EXPECT_EQ(loop.NextPendingTaskDelay(), absl::Seconds(16));
  EXPECT_EQ(loop.pending_task_count(), 1u);
}

TEST(EventLoopTest, FastForwardStopsShortOfALaterDeadline) {
  EventLoop loop(EventLoop::TimeSource::kMockTime);
  bool ran = false;
  loop.PostDelayedTask([&] { ran = true; }, absl::Milliseconds(100));
  loop.FastForwardBy(absl::Milliseconds(99));
  EXPECT_FALSE(ran);
  EXPECT_EQ(loop.NextPendingTaskDelay(), absl::Milliseconds(1));
  loop.FastForwardBy(absl::Milliseconds(1));
  EXPECT_TRUE(ran);
  EXPECT_EQ(loop.NextPendingTaskDelay(), absl::InfiniteDuration());
}

TEST(EventLoopTest, ZeroDelayTaskRunsOnRunUntilIdleWithoutMovingTime) {
  EventLoop loop(EventLoop::TimeSource::kMockTime);
  bool ran = false;
  loop.PostDelayedTask([&] { ran = true; }, absl::ZeroDuration());
  loop.RunUntilIdle();
  EXPECT_TRUE(ran);
}

TEST(EventLoopTest, TaskPostedFromAnotherThreadWakesABlockedLoop) {
  EventLoop loop;
  std::thread::id ran_on;
  RunLoop run_loop;
  std::thread poster([&loop, &ran_on, quit = run_loop.QuitClosure()]() mutable {
    loop.PostTaskFromAnyThread([&ran_on, quit = std::move(quit)]() mutable {
      ran_on = std::this_thread::get_id();
      std::move(quit)();
    });
  });
  EXPECT_TRUE(run_loop.RunWithTimeout(absl::Seconds(10)));
  poster.join();
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST(EventLoopTest, ManyCrossThreadPostsAllRunInPostingOrderPerThread) {
  EventLoop loop;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 200;
  std::vector<std::vector<int>> seen(kThreads);
  int total = 0;
  RunLoop run_loop;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        loop.PostTaskFromAnyThread([&, t, i] {
          seen[t].push_back(i);
          if (++total == kThreads * kPerThread)
            run_loop.Quit();
        });
      }
    });
  }
  EXPECT_TRUE(run_loop.RunWithTimeout(absl::Seconds(20)));
  for (std::thread& thread : threads)
    thread.join();
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(seen[t].size(), static_cast<size_t>(kPerThread));
    for (int i = 0; i < kPerThread; ++i)
      EXPECT_EQ(seen[t][i], i);
  }
}

TEST(RunLoopTest, QuitClosureEndsRun) {
  EventLoop loop;
  RunLoop run_loop;
  bool ran = false;
  loop.PostTask([&, quit = run_loop.QuitClosure()]() mutable {
    ran = true;
    std::move(quit)();
  });
  run_loop.Run();
  EXPECT_TRUE(ran);
}

TEST(RunLoopTest, QuitBeforeRunMakesRunReturnAtOnce) {
  EventLoop loop;
  RunLoop run_loop;
  run_loop.Quit();
  run_loop.Run();
  SUCCEED() << "Run() returned";
}

TEST(RunLoopTest, RunWithTimeoutGivesUpInRealTimeEvenWithMockTime) {
  EventLoop loop(EventLoop::TimeSource::kMockTime);
  bool delayed_ran = false;
  loop.PostDelayedTask([&] { delayed_ran = true; }, absl::Milliseconds(1));
  RunLoop run_loop;
  EXPECT_FALSE(run_loop.RunWithTimeout(absl::Milliseconds(50)));
  // The mock clock did not move, so the 1 ms task is still waiting.
  EXPECT_FALSE(delayed_ran);
}

TEST(RunLoopTest, NestedRunLoopsQuitInnermostFirst) {
  EventLoop loop;
  std::vector<std::string> order;
  RunLoop outer;
  loop.PostTask([&] {
    RunLoop inner;
    loop.PostTask([&] {
      order.push_back("inner-task");
      inner.Quit();
    });
    inner.Run();
    order.push_back("inner-returned");
    outer.Quit();
  });
  outer.Run();
  EXPECT_EQ(order, (std::vector<std::string>{"inner-task", "inner-returned"}));
}

TEST(TickClockTest, DefaultClockIsMonotonic) {
  const TickClock* clock = DefaultTickClock::GetInstance();
  absl::Time previous = clock->NowTicks();
  for (int i = 0; i < 1000; ++i) {
    absl::Time now = clock->NowTicks();
    EXPECT_GE(now, previous);
    previous = now;
  }
}

TEST(TickClockTest, TestClockMovesOnlyWhenAdvanced) {
  TestTickClock clock;
  const absl::Time start = clock.NowTicks();
  EXPECT_EQ(clock.NowTicks(), start);
  clock.Advance(absl::Seconds(2));
  EXPECT_EQ(clock.NowTicks() - start, absl::Seconds(2));
  clock.SetNowTicks(start);
  EXPECT_EQ(clock.NowTicks(), start);
}

}  // namespace
}  // namespace net
