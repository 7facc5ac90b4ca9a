#include "shell/fetch_command.h"

#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prewarm {
namespace {

using ::testing::HasSubstr;

TEST(FetchCommandTest, WithoutUrlFetchesFromALocalHttpsTestServer) {
  FetchCommand command;
  std::ostringstream out, err;
  ASSERT_EQ(0, command.Run({}, out, err)) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("url:        https://fetch.test/"));
  EXPECT_THAT(out.str(), HasSubstr("status:     200\n"));
  EXPECT_THAT(out.str(), HasSubstr("protocol:   h2, TLS: TLS 1.3"));
  EXPECT_THAT(out.str(), HasSubstr("body:       41 bytes"));
  EXPECT_THAT(out.str(), HasSubstr("timing:     dns "));
  EXPECT_THAT(out.str(), HasSubstr("ttfb "));
}

TEST(FetchCommandTest, MalformedUrlFailsWithTheParsersMessage) {
  FetchCommand command;
  std::ostringstream out, err;
  EXPECT_EQ(1, command.Run({"https://exa mple/"}, out, err));
  EXPECT_THAT(err.str(), HasSubstr("ERR_INVALID_URL"));
}

TEST(FetchCommandTest, UnreachableServerFailsWithTheNetError) {
  FetchCommand command;
  std::ostringstream out, err;
  // Port 1 on loopback: nothing listens there.
  EXPECT_EQ(1, command.Run({"http://127.0.0.1:1/"}, out, err));
  EXPECT_THAT(err.str(), HasSubstr("ERR_CONNECTION_REFUSED"));
}

TEST(FetchCommandTest, UsageErrorsExitWithTwo) {
  FetchCommand command;
  std::ostringstream out, err;
  EXPECT_EQ(2, command.Run({"--bogus"}, out, err));
  EXPECT_EQ(2, command.Run({"http://a.test/", "http://b.test/"}, out, err));
  EXPECT_EQ(2, command.Run({"--connect-to=nonsense"}, out, err));
  EXPECT_EQ(2, command.Run({"--ca-file=/nonexistent/ca.pem"}, out, err));
}

}  // namespace
}  // namespace prewarm
