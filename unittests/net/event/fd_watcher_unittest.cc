#include "net/event/fd_watcher.h"

#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "net/event/event_loop.h"

namespace net {
namespace {

class FdWatcherTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds_), 0);
  }
  void TearDown() override {
    close(fds_[0]);
    close(fds_[1]);
  }

  EventLoop loop_;
  int fds_[2] = {-1, -1};
};

TEST_F(FdWatcherTest, ReadableFiresWhenThePeerWrites) {
  FdWatcher watcher(fds_[0]);
  RunLoop run_loop;
  bool readable = false;
  watcher.WatchReadable([&] {
    readable = true;
    run_loop.Quit();
  });
  EXPECT_TRUE(watcher.is_watching_readable());
  loop_.RunUntilIdle();
  EXPECT_FALSE(readable);
  ASSERT_EQ(write(fds_[1], "x", 1), 1);
  EXPECT_TRUE(run_loop.RunWithTimeout(absl::Seconds(10)));
  EXPECT_TRUE(readable);
  EXPECT_FALSE(watcher.is_watching_readable());
  char byte;
  EXPECT_EQ(read(fds_[0], &byte, 1), 1);
  EXPECT_EQ(byte, 'x');
}

TEST_F(FdWatcherTest, WatchIsOneShotUntilRearmed) {
  FdWatcher watcher(fds_[0]);
  ASSERT_EQ(write(fds_[1], "ab", 2), 2);
  int calls = 0;
  watcher.WatchReadable([&] { ++calls; });
  loop_.RunUntilIdle();
  loop_.RunUntilIdle();
  // Still readable (nothing was read), but the watch was used up.
  EXPECT_EQ(calls, 1);
  watcher.WatchReadable([&] { ++calls; });
  loop_.RunUntilIdle();
  EXPECT_EQ(calls, 2);
}

TEST_F(FdWatcherTest, WritableFiresOnAnEmptySocket) {
  FdWatcher watcher(fds_[0]);
  bool writable = false;
  watcher.WatchWritable([&] { writable = true; });
  loop_.RunUntilIdle();
  EXPECT_TRUE(writable);
  EXPECT_FALSE(watcher.is_watching_writable());
}

TEST_F(FdWatcherTest, WritableWaitsWhileTheSendBufferIsFull) {
  FdWatcher watcher(fds_[0]);
  char chunk[4096] = {};
  while (write(fds_[0], chunk, sizeof(chunk)) > 0) {
  }
  bool writable = false;
  RunLoop run_loop;
  watcher.WatchWritable([&] {
    writable = true;
    run_loop.Quit();
  });
  loop_.RunUntilIdle();
  EXPECT_FALSE(writable);
  // Draining the peer frees buffer space.
  while (read(fds_[1], chunk, sizeof(chunk)) > 0) {
  }
  EXPECT_TRUE(run_loop.RunWithTimeout(absl::Seconds(10)));
  EXPECT_TRUE(writable);
}

TEST_F(FdWatcherTest, ReadAndWriteWatchesAreIndependent) {
  FdWatcher watcher(fds_[0]);
  bool readable = false;
  bool writable = false;
  watcher.WatchReadable([&] { readable = true; });
  watcher.WatchWritable([&] { writable = true; });
  loop_.RunUntilIdle();
  EXPECT_TRUE(writable);
  EXPECT_FALSE(readable);
  EXPECT_TRUE(watcher.is_watching_readable());
  ASSERT_EQ(write(fds_[1], "x", 1), 1);
  loop_.RunUntilIdle();
  EXPECT_TRUE(readable);
}

TEST_F(FdWatcherTest, StopWatchingCancelsTheCallback) {
  FdWatcher watcher(fds_[0]);
  bool readable = false;
  watcher.WatchReadable([&] { readable = true; });
  watcher.StopWatchingReadable();
  EXPECT_FALSE(watcher.is_watching_readable());
  ASSERT_EQ(write(fds_[1], "x", 1), 1);
  loop_.RunUntilIdle();
  EXPECT_FALSE(readable);
}

TEST_F(FdWatcherTest, StopThenWatchInOneTurnRunsOnlyTheNewCallbackOnce) {
  FdWatcher watcher(fds_[0]);
  int old_calls = 0;
  int new_calls = 0;
  watcher.WatchReadable([&] { ++old_calls; });
  watcher.StopWatchingReadable();
  watcher.WatchReadable([&] { ++new_calls; });
  ASSERT_EQ(write(fds_[1], "x", 1), 1);
  loop_.RunUntilIdle();
  loop_.RunUntilIdle();
  EXPECT_EQ(old_calls, 0);
  EXPECT_EQ(new_calls, 1);
}

TEST_F(FdWatcherTest, CallbackThatRearmsGetsEveryLaterWrite) {
  FdWatcher watcher(fds_[0]);
  std::string received;
  std::function<void()> on_readable = [&] {
    char byte;
    while (read(fds_[0], &byte, 1) == 1)
      received.push_back(byte);
    watcher.WatchReadable(on_readable);
  };
  watcher.WatchReadable(on_readable);
  for (char c : std::string("abc")) {
    ASSERT_EQ(write(fds_[1], &c, 1), 1);
    loop_.RunUntilIdle();
  }
  EXPECT_EQ(received, "abc");
  EXPECT_TRUE(watcher.is_watching_readable());
}

TEST_F(FdWatcherTest, AStoppedWatchOnAReadableFdLetsRunUntilIdleReturn) {
  FdWatcher watcher(fds_[0]);
  bool readable = false;
  watcher.WatchReadable([&] { readable = true; });
  watcher.StopWatchingReadable();
  ASSERT_EQ(write(fds_[1], "x", 1), 1);
  // The fd stays readable with nobody watching: the loop must go idle, not
  // spin on it, and later watches still work.
  loop_.RunUntilIdle();
  loop_.RunUntilIdle();
  EXPECT_FALSE(readable);
  watcher.WatchReadable([&] { readable = true; });
  loop_.RunUntilIdle();
  EXPECT_TRUE(readable);
}

TEST_F(FdWatcherTest, ANewFdWithAClosedOnesNumberIsWatchedAfresh) {
  int pair[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pair), 0);
  const int reused_number = pair[0];
  {
    FdWatcher watcher(pair[0]);
    // A consumed watch whose registration outlives it.
    ASSERT_EQ(write(pair[1], "x", 1), 1);
    bool fired = false;
    watcher.WatchReadable([&] { fired = true; });
    loop_.RunUntilIdle();
    ASSERT_TRUE(fired);
  }
  close(pair[0]);
  close(pair[1]);
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, pair), 0);
  ASSERT_EQ(pair[0], reused_number);
  FdWatcher watcher(pair[0]);
  RunLoop run_loop;
  bool readable = false;
  watcher.WatchReadable([&] {
    readable = true;
    run_loop.Quit();
  });
  ASSERT_EQ(write(pair[1], "y", 1), 1);
  EXPECT_TRUE(run_loop.RunWithTimeout(absl::Seconds(10)));
  EXPECT_TRUE(readable);
  close(pair[0]);
  close(pair[1]);
}

TEST_F(FdWatcherTest, DestroyingTheWatcherCancelsTheCallback) {
  auto watcher = std::make_unique<FdWatcher>(fds_[0]);
  bool readable = false;
  watcher->WatchReadable([&] { readable = true; });
  watcher.reset();
  ASSERT_EQ(write(fds_[1], "x", 1), 1);
  loop_.RunUntilIdle();
  EXPECT_FALSE(readable);
}

TEST_F(FdWatcherTest, CallbackMayDestroyItsWatcher) {
  auto watcher = std::make_unique<FdWatcher>(fds_[0]);
  bool readable = false;
  watcher->WatchReadable([&] {
    readable = true;
    watcher.reset();
  });
  ASSERT_EQ(write(fds_[1], "x", 1), 1);
  loop_.RunUntilIdle();
  EXPECT_TRUE(readable);
  EXPECT_EQ(watcher, nullptr);
}

TEST_F(FdWatcherTest, PeerCloseMakesTheSocketReadable) {
  FdWatcher watcher(fds_[0]);
  bool readable = false;
  watcher.WatchReadable([&] { readable = true; });
  close(fds_[1]);
  fds_[1] = socket(AF_UNIX, SOCK_STREAM, 0);  // keeps TearDown's close() valid
  loop_.RunUntilIdle();
  EXPECT_TRUE(readable);
  char byte;
  EXPECT_EQ(read(fds_[0], &byte, 1), 0);
}

TEST(FdWatcherMockTimeTest, FdEventsAreDispatchedWhileTimeIsDriven) {
  EventLoop loop(EventLoop::TimeSource::kMockTime);
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0);
  FdWatcher watcher(fds[0]);
  bool readable = false;
  loop.PostDelayedTask([&] { ASSERT_EQ(write(fds[1], "x", 1), 1); },
                       absl::Seconds(1));
  watcher.WatchReadable([&] { readable = true; });
  loop.FastForwardBy(absl::Milliseconds(999));
  EXPECT_FALSE(readable);
  loop.FastForwardBy(absl::Milliseconds(1));
  EXPECT_TRUE(readable);
  close(fds[0]);
  close(fds[1]);
}

}  // namespace
}  // namespace net
