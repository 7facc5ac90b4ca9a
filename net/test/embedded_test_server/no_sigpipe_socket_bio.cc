#include "net/test/embedded_test_server/no_sigpipe_socket_bio.h"

#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>

#include "net/base/check.h"
#include "openssl/bio.h"

namespace net::test_server {

namespace {

int FdOf(BIO* bio) {
  return static_cast<int>(reinterpret_cast<intptr_t>(BIO_get_data(bio)));
}

bool ShouldRetry(ssize_t result) {
  return result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

int Read(BIO* bio, char* out, int len) {
  BIO_clear_retry_flags(bio);
  ssize_t result;
  do {
    result = recv(FdOf(bio), out, static_cast<size_t>(len), 0);
  } while (result < 0 && errno == EINTR);
  if (ShouldRetry(result))
    BIO_set_retry_read(bio);
  return static_cast<int>(result);
}

int Write(BIO* bio, const char* in, int len) {
  BIO_clear_retry_flags(bio);
  ssize_t result;
  do {
    result = send(FdOf(bio), in, static_cast<size_t>(len), MSG_NOSIGNAL);
  } while (result < 0 && errno == EINTR);
  if (ShouldRetry(result))
    BIO_set_retry_write(bio);
  return static_cast<int>(result);
}

long Ctrl(BIO* bio, int cmd, long larg, void* parg) {
  // Nothing is buffered here: a flush has nothing to do but succeed.
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

const BIO_METHOD* Method() {
  // Process-wide and immutable once built, like BoringSSL's BIO_s_* tables.
  static const BIO_METHOD* const method = [] {
    BIO_METHOD* built = BIO_meth_new(0, "prewarm no-SIGPIPE socket");
    CHECK(built);
    CHECK(BIO_meth_set_read(built, &Read));
    CHECK(BIO_meth_set_write(built, &Write));
    CHECK(BIO_meth_set_ctrl(built, &Ctrl));
    return built;
  }();
  return method;
}

}  // namespace

bssl::UniquePtr<BIO> NewNoSigpipeSocketBio(int fd) {
  bssl::UniquePtr<BIO> bio(BIO_new(Method()));
  CHECK(bio);
  BIO_set_data(bio.get(), reinterpret_cast<void*>(static_cast<intptr_t>(fd)));
  BIO_set_init(bio.get(), 1);
  return bio;
}

}  // namespace net::test_server
