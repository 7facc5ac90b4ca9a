#include "net/test/embedded_test_server/no_sigpipe_socket_bio.h"

#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>

#include "gtest/gtest.h"
#include "openssl/bio.h"

namespace net::test_server {
namespace {

// Blocks SIGPIPE on this thread for the test's lifetime, so a SIGPIPE raised
// by a write stays pending (visible) instead of being ignored as
// run_all_unittests asks.
class NoSigpipeSocketBioTest : public testing::Test {
 protected:
  NoSigpipeSocketBioTest() {
    sigemptyset(&sigpipe_);
    sigaddset(&sigpipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &sigpipe_, &old_mask_);
  }
  ~NoSigpipeSocketBioTest() override {
    // Consume one left by a failing test before unblocking.
    if (TakePendingSigpipe())
      ADD_FAILURE() << "SIGPIPE left pending";
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }

  bool TakePendingSigpipe() {
    sigset_t pending;
    sigpending(&pending);
    if (!sigismember(&pending, SIGPIPE))
      return false;
    timespec zero = {0, 0};
    sigtimedwait(&sigpipe_, nullptr, &zero);
    return true;
  }

  sigset_t sigpipe_;
  sigset_t old_mask_;
};

TEST_F(NoSigpipeSocketBioTest, WriteToClosedPeerFailsWithoutSigpipe) {
  int fds[2];
  ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
  close(fds[1]);
  bssl::UniquePtr<BIO> bio = NewNoSigpipeSocketBio(fds[0]);
  EXPECT_EQ(-1, BIO_write(bio.get(), "x", 1));
  EXPECT_FALSE(BIO_should_retry(bio.get()));
  EXPECT_FALSE(TakePendingSigpipe());

  // What SSL_set_fd's socket BIO does in the same place (the reason this BIO
  // exists): the check above would catch a regression to it.
  bssl::UniquePtr<BIO> plain(BIO_new_socket(fds[0], BIO_NOCLOSE));
  EXPECT_EQ(-1, BIO_write(plain.get(), "x", 1));
  EXPECT_TRUE(TakePendingSigpipe());
  close(fds[0]);
}

TEST_F(NoSigpipeSocketBioTest, ReadsWritesAndRetriesOnANonBlockingSocket) {
  int fds[2];
  ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds));
  bssl::UniquePtr<BIO> bio = NewNoSigpipeSocketBio(fds[0]);
  char buffer[8];
  EXPECT_EQ(-1, BIO_read(bio.get(), buffer, sizeof(buffer)));
  EXPECT_TRUE(BIO_should_read(bio.get()));
  EXPECT_TRUE(BIO_should_retry(bio.get()));

  EXPECT_EQ(5, BIO_write(bio.get(), "hello", 5));
  EXPECT_EQ(5, read(fds[1], buffer, sizeof(buffer)));
  EXPECT_EQ(3, write(fds[1], "abc", 3));
  EXPECT_EQ(3, BIO_read(bio.get(), buffer, sizeof(buffer)));
  EXPECT_EQ(1, BIO_flush(bio.get()));

  close(fds[1]);
  EXPECT_EQ(0, BIO_read(bio.get(), buffer, sizeof(buffer)));  // EOF
  close(fds[0]);
}

}  // namespace
}  // namespace net::test_server
