#include "shell/fetch_command.h"

#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/test/nginx_server.h"
#include "net/test/scoped_temp_dir.h"
#include "net/test/test_certificate_authority.h"

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

TEST(FetchCommandTest, RulesAndExtraTrustAnchorReachARealServer) {
  net::TestCertificateAuthority authority("nginx CA");
  net::NginxServer::Options options;
  options.certificate_names = {"www.any.test"};
  net::NginxServer nginx(options, &authority);
  std::string error;
  ASSERT_TRUE(nginx.Start(&error)) << error;
  net::ScopedTempDir dir;
  ASSERT_TRUE(dir.Create("fetch_command_unittest.", &error)) << error;
  const std::string ca = dir.path() + "/ca.pem";
  ASSERT_TRUE(authority.WriteRootCertificatePem(ca, &error)) << error;
  const std::string rules =
      "--host-resolver-rules=MAP www.any.test 127.0.0.1:" +
      std::to_string(nginx.https_port());
  FetchCommand command;
  std::ostringstream out, err;
  ASSERT_EQ(0, command.Run({"https://www.any.test/", rules, "--ca-file=" + ca},
                           out, err))
      << err.str();
  EXPECT_THAT(out.str(), HasSubstr("status:     200"));

  // Without the anchor: the system store alone does not know the CA.
  std::ostringstream out2, err2;
  EXPECT_EQ(1, command.Run({"https://www.any.test/", rules}, out2, err2));
  EXPECT_THAT(err2.str(), HasSubstr("ERR_CERT_AUTHORITY_INVALID"));
  EXPECT_THAT(err2.str(), HasSubstr("sha256/"));
}

TEST(FetchCommandTest, UsageErrorsExitWithTwo) {
  FetchCommand command;
  std::ostringstream out, err;
  EXPECT_EQ(2, command.Run({"--bogus"}, out, err));
  EXPECT_EQ(2, command.Run({"http://a.test/", "http://b.test/"}, out, err));
  EXPECT_EQ(2, command.Run({"--connect-to=nonsense"}, out, err));
  EXPECT_EQ(2, command.Run({"--ca-file=/nonexistent/ca.pem"}, out, err));
  EXPECT_EQ(2, command.Run({"--host-resolver-rules=MAP"}, out, err));
  EXPECT_EQ(2,
            command.Run({"--ignore-certificate-errors-spki-list=x"}, out, err));
}

}  // namespace
}  // namespace prewarm
