#include "net/base/net_errors.h"

#include <errno.h>

#include "gtest/gtest.h"

namespace net {
namespace {

TEST(NetErrorsTest, KnownErrorsHaveChromiumNames) {
  EXPECT_EQ(ErrorToString(OK), "net::OK");
  EXPECT_EQ(ErrorToString(ERR_CONNECTION_REFUSED),
            "net::ERR_CONNECTION_REFUSED");
  EXPECT_EQ(ErrorToShortString(ERR_NAME_NOT_RESOLVED), "ERR_NAME_NOT_RESOLVED");
  EXPECT_EQ(ERR_NAME_NOT_RESOLVED, -105);
  EXPECT_EQ(ERR_CERT_DATE_INVALID, -201);
}

TEST(NetErrorsTest, UnknownErrorIsNamedByNumber) {
  EXPECT_EQ(ErrorToString(-99999), "net::<unknown -99999>");
}

TEST(NetErrorsTest, SocketErrnoValuesMapToNetErrors) {
  EXPECT_EQ(MapSystemError(0), OK);
  EXPECT_EQ(MapSystemError(ECONNREFUSED), ERR_CONNECTION_REFUSED);
  EXPECT_EQ(MapSystemError(ECONNRESET), ERR_CONNECTION_RESET);
  EXPECT_EQ(MapSystemError(EPIPE), ERR_CONNECTION_RESET);
  EXPECT_EQ(MapSystemError(ETIMEDOUT), ERR_CONNECTION_TIMED_OUT);
  EXPECT_EQ(MapSystemError(EINPROGRESS), ERR_IO_PENDING);
  EXPECT_EQ(MapSystemError(ENETUNREACH), ERR_ADDRESS_UNREACHABLE);
  EXPECT_EQ(MapSystemError(EIO), ERR_FAILED);
}

}  // namespace
}  // namespace net
