#include "shell/url_classifier.h"

#include "gtest/gtest.h"
#include "net/base/net_errors.h"

namespace prewarm {
namespace {

TEST(UrlClassifierTest, MainFrameNavigationGetsItsOwnSiteAsNak) {
  const UrlClassifier classifier;
  const UrlClassifier::Result result =
      classifier.Classify("HTTPS://Alice.GitHub.io:443/x#y");
  EXPECT_EQ(result.error, net::OK);
  EXPECT_EQ(result.spec, "https://alice.github.io/x");
  EXPECT_EQ(result.origin, "https://alice.github.io");
  EXPECT_EQ(result.site, "https://alice.github.io");
  EXPECT_EQ(result.network_anonymization_key,
            "https://alice.github.io same_site");
  EXPECT_EQ(result.privacy_mode, "DISABLED");
  EXPECT_EQ(result.relation_to_top, "");
  EXPECT_EQ(result.subframe_network_anonymization_key, "");
}

TEST(UrlClassifierTest, SubresourcesShareTheTopFramePartition) {
  std::string error;
  auto classifier = UrlClassifier::CreateForTopLevelPage(
      "https://www.news.example/article", &error);
  ASSERT_TRUE(classifier) << error;
  EXPECT_EQ(classifier->top_spec(), "https://www.news.example/article");

  const UrlClassifier::Result same_site =
      classifier->Classify("https://cdn.news.example/app.js");
  EXPECT_EQ(same_site.relation_to_top, "same-site");
  EXPECT_EQ(same_site.network_anonymization_key,
            "https://news.example same_site");
  EXPECT_EQ(same_site.subframe_network_anonymization_key,
            "https://news.example same_site");

  const UrlClassifier::Result cross_site =
      classifier->Classify("https://fonts.example.net/a.woff2");
  EXPECT_EQ(cross_site.relation_to_top, "cross-site");
  // The request's own site does not enter a subresource's NAK: the frame is the
  // top frame, so the key is same_site; only a subframe of that site would be
  // cross_site.
  EXPECT_EQ(cross_site.network_anonymization_key,
            "https://news.example same_site");
  EXPECT_EQ(cross_site.subframe_network_anonymization_key,
            "https://news.example cross_site");

  const UrlClassifier::Result same_origin =
      classifier->Classify("https://www.news.example/other");
  EXPECT_EQ(same_origin.relation_to_top, "same-origin");
}

TEST(UrlClassifierTest, PrivateRegistrySiblingIsCrossSite) {
  std::string error;
  auto classifier =
      UrlClassifier::CreateForTopLevelPage("https://alice.github.io/", &error);
  ASSERT_TRUE(classifier) << error;
  const UrlClassifier::Result result =
      classifier->Classify("https://bob.github.io/");
  EXPECT_EQ(result.relation_to_top, "cross-site");
  EXPECT_EQ(result.subframe_network_anonymization_key,
            "https://alice.github.io cross_site");
}

TEST(UrlClassifierTest, MalformedUrlGivesErrorOnly) {
  const UrlClassifier classifier;
  const UrlClassifier::Result result = classifier.Classify("ftp://a.example/");
  EXPECT_EQ(result.error, net::ERR_UNKNOWN_URL_SCHEME);
  EXPECT_NE(result.error_message.find("'ftp'"), std::string::npos);
  EXPECT_EQ(result.spec, "");
  EXPECT_EQ(result.network_anonymization_key, "");
  const std::string text = UrlClassifier::Format(result);
  EXPECT_NE(text.find("error:"), std::string::npos);
  EXPECT_NE(text.find("ERR_UNKNOWN_URL_SCHEME"), std::string::npos);
  EXPECT_EQ(text.find("spec:"), std::string::npos);
}

TEST(UrlClassifierTest, InvalidTopLevelPageIsRefusedWithReason) {
  std::string error;
  EXPECT_FALSE(UrlClassifier::CreateForTopLevelPage("https://", &error));
  EXPECT_NE(error.find("ERR_INVALID_URL"), std::string::npos) << error;
  error.clear();
  EXPECT_FALSE(
      UrlClassifier::CreateForTopLevelPage("wss://a.example/", &error));
  EXPECT_NE(error.find("ERR_DISALLOWED_URL_SCHEME"), std::string::npos)
      << error;
}

TEST(UrlClassifierTest, FormatShowsEveryFieldOfAValidResult) {
  std::string error;
  auto classifier =
      UrlClassifier::CreateForTopLevelPage("https://top.example/", &error);
  ASSERT_TRUE(classifier) << error;
  const std::string text =
      UrlClassifier::Format(classifier->Classify("https://x.other.example/"));
  for (const char* part : {"https://x.other.example/\n",
                           "spec:", "origin:", "site:", "https://other.example",
                           "to top:      cross-site",
                           "subresource: NAK https://top.example same_site",
                           "subframe:    NAK https://top.example cross_site"}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << " in\n" << text;
  }
}

}  // namespace
}  // namespace prewarm
