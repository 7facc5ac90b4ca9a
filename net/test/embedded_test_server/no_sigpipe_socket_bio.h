#ifndef NET_TEST_EMBEDDED_TEST_SERVER_NO_SIGPIPE_SOCKET_BIO_H_
#define NET_TEST_EMBEDDED_TEST_SERVER_NO_SIGPIPE_SOCKET_BIO_H_

#include "openssl/base.h"

namespace net::test_server {

// A BIO on a connected socket `fd` (not owned; must outlive the BIO) that
// reads with recv() and writes with send(MSG_NOSIGNAL). BoringSSL's socket BIO
// (SSL_set_fd) writes with write(), so a TLS write to a peer that has gone away
// raises SIGPIPE, which kills any process hosting the server that has not
// ignored it. Non-blocking fds are fine: EAGAIN becomes a retry, as in
// BoringSSL's own socket BIO. Returns a BIO with one reference.
bssl::UniquePtr<BIO> NewNoSigpipeSocketBio(int fd);

}  // namespace net::test_server

#endif  // NET_TEST_EMBEDDED_TEST_SERVER_NO_SIGPIPE_SOCKET_BIO_H_
