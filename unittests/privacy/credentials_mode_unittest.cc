#include "privacy/credentials_mode.h"

#include "gtest/gtest.h"
#include "net/base/origin.h"
#include "net/base/url.h"

namespace prewarm {
namespace {

net::Origin O(const char* spec) {
  return net::Origin::Create(net::Url::Parse(spec));
}

TEST(CredentialsModeTest, IncludeAlwaysSendsCredentials) {
  EXPECT_TRUE(CredentialsAllowed(CredentialsMode::kInclude,
                                 O("https://cdn.example"),
                                 O("https://news.example")));
}

TEST(CredentialsModeTest, OmitNeverSendsCredentials) {
  EXPECT_FALSE(CredentialsAllowed(CredentialsMode::kOmit,
                                  O("https://news.example"),
                                  O("https://news.example")));
}

TEST(CredentialsModeTest, SameOriginSendsCredentialsOnlyToTheDocumentsOrigin) {
  EXPECT_TRUE(CredentialsAllowed(CredentialsMode::kSameOrigin,
                                 O("https://news.example/api"),
                                 O("https://news.example/article")));
  // Same site is not enough.
  EXPECT_FALSE(CredentialsAllowed(CredentialsMode::kSameOrigin,
                                  O("https://static.news.example"),
                                  O("https://news.example")));
  EXPECT_FALSE(CredentialsAllowed(CredentialsMode::kSameOrigin,
                                  O("https://news.example:8443"),
                                  O("https://news.example")));
  EXPECT_FALSE(CredentialsAllowed(CredentialsMode::kSameOrigin,
                                  O("http://news.example"),
                                  O("https://news.example")));
}

TEST(CredentialsModeTest, OpaqueDocumentOriginMatchesNothing) {
  net::Origin opaque = net::Origin::CreateOpaque();
  EXPECT_FALSE(CredentialsAllowed(CredentialsMode::kSameOrigin,
                                  O("https://news.example"), opaque));
}

}  // namespace
}  // namespace prewarm
