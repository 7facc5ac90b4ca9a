#include "privacy/document_registry.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/base/schemeful_site.h"
#include "net/base/url.h"

namespace prewarm {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

net::Url U(const char* spec) {
  net::Url url = net::Url::Parse(spec);
  EXPECT_TRUE(url.is_valid()) << spec;
  return url;
}

net::SchemefulSite Site(const char* spec) {
  return net::SchemefulSite(U(spec));
}

class RecordingObserver : public DocumentRegistry::Observer {
 public:
  void OnDocumentRemoved(const Document& document) override {
    removed.push_back(document.id());
  }
  std::vector<std::string> removed;
};

TEST(DocumentRegistryTest, MainFrameIsItsOwnTopFrameAndFirstParty) {
  DocumentRegistry registry;
  ASSERT_TRUE(
      registry.CommitMainFrame("main", U("https://news.example/a")).ok());
  const Document* main = registry.Find("main");
  ASSERT_TRUE(main);
  EXPECT_TRUE(main->is_main_frame());
  EXPECT_EQ(registry.main_frame(), main);
  EXPECT_EQ(main->top_frame_site(), Site("https://news.example"));
  EXPECT_FALSE(main->is_cross_site());
  EXPECT_EQ(main->site_for_cookies(), Site("https://news.example"));
  EXPECT_EQ(main->origin().Serialize(), "https://news.example");
  EXPECT_EQ(main->load_phase(), LoadPhase::kLoading);
}

TEST(DocumentRegistryTest, SameSiteSubframeKeepsFirstPartyContext) {
  DocumentRegistry registry;
  registry.CommitMainFrame("main", U("https://news.example/"));
  ASSERT_TRUE(
      registry
          .CommitSubframe("frame", U("https://static.news.example/f"), "main")
          .ok());
  const Document* frame = registry.Find("frame");
  ASSERT_TRUE(frame);
  EXPECT_FALSE(frame->is_main_frame());
  EXPECT_EQ(frame->parent(), registry.Find("main"));
  EXPECT_EQ(frame->top_frame_site(), Site("https://news.example"));
  EXPECT_FALSE(frame->is_cross_site());
  EXPECT_EQ(frame->site_for_cookies(), Site("https://news.example"));
}

TEST(DocumentRegistryTest, CrossSiteSubframeHasNoFirstPartyContext) {
  DocumentRegistry registry;
  registry.CommitMainFrame("main", U("https://news.example/"));
  registry.CommitSubframe("ad", U("https://ads.example/"), "main");
  const Document* ad = registry.Find("ad");
  EXPECT_EQ(ad->top_frame_site(), Site("https://news.example"));
  EXPECT_TRUE(ad->is_cross_site());
  EXPECT_FALSE(ad->site_for_cookies().has_value());
}

TEST(DocumentRegistryTest,
     FrameBackOnTopSiteInsideCrossSiteFrameIsNotCrossSite) {
  // a -> b -> a: the NAK compares only the frame with the top frame, but the
  // cookie context is lost for good once a cross-site frame is in the chain.
  DocumentRegistry registry;
  registry.CommitMainFrame("a", U("https://a.example/"));
  registry.CommitSubframe("b", U("https://b.example/"), "a");
  registry.CommitSubframe("a2", U("https://www.a.example/"), "b");
  const Document* inner = registry.Find("a2");
  EXPECT_FALSE(inner->is_cross_site());
  EXPECT_EQ(inner->top_frame_site(), Site("https://a.example"));
  EXPECT_FALSE(inner->site_for_cookies().has_value());
}

TEST(DocumentRegistryTest, PrivateRegistriesArePublicSuffixes) {
  DocumentRegistry registry;
  registry.CommitMainFrame("main", U("https://alice.github.io/"));
  registry.CommitSubframe("bob", U("https://bob.github.io/"), "main");
  registry.CommitSubframe("alice2", U("https://www.alice.github.io/"), "main");
  EXPECT_TRUE(registry.Find("bob")->is_cross_site());
  EXPECT_FALSE(registry.Find("alice2")->is_cross_site());
  EXPECT_EQ(registry.Find("main")->top_frame_site(),
            Site("https://alice.github.io"));
}

TEST(DocumentRegistryTest, HttpFrameInHttpsPageIsCrossSite) {
  DocumentRegistry registry;
  registry.CommitMainFrame("main", U("https://news.example/"));
  registry.CommitSubframe("old", U("http://news.example/"), "main");
  EXPECT_TRUE(registry.Find("old")->is_cross_site());
  EXPECT_FALSE(registry.Find("old")->site_for_cookies().has_value());
}

TEST(DocumentRegistryTest, LoadEventMovesToLoaded) {
  DocumentRegistry registry;
  registry.CommitMainFrame("main", U("https://news.example/"));
  ASSERT_TRUE(registry.OnLoadEvent("main").ok());
  EXPECT_EQ(registry.Find("main")->load_phase(), LoadPhase::kLoaded);
  EXPECT_STREQ(LoadPhaseToString(LoadPhase::kLoaded), "LOADED");
}

TEST(DocumentRegistryTest, NewMainFrameEndsThePreviousPageAndItsFrames) {
  DocumentRegistry registry;
  RecordingObserver observer;
  registry.AddObserver(&observer);
  registry.CommitMainFrame("post", U("https://blog.example/post"));
  registry.CommitSubframe("comments", U("https://comments.example/"), "post");
  registry.CommitSubframe("avatar", U("https://img.example/"), "comments");
  ASSERT_TRUE(
      registry.CommitMainFrame("cart", U("https://shop.example/")).ok());
  EXPECT_THAT(observer.removed, ElementsAre("avatar", "comments", "post"));
  EXPECT_EQ(registry.size(), 1u);
  EXPECT_EQ(registry.Find("post"), nullptr);
  EXPECT_EQ(registry.main_frame(), registry.Find("cart"));
  registry.RemoveObserver(&observer);
}

TEST(DocumentRegistryTest, MainFrameCommitMayReuseTheIdOfTheDocumentItEnds) {
  DocumentRegistry registry;
  registry.CommitMainFrame("tab", U("https://a.example/"));
  registry.OnLoadEvent("tab");
  ASSERT_TRUE(registry.CommitMainFrame("tab", U("https://b.example/")).ok());
  EXPECT_EQ(registry.Find("tab")->top_frame_site(), Site("https://b.example"));
  EXPECT_EQ(registry.Find("tab")->load_phase(), LoadPhase::kLoading);
}

TEST(DocumentRegistryTest, RemovingAFrameRemovesItsChildrenOnly) {
  DocumentRegistry registry;
  RecordingObserver observer;
  registry.AddObserver(&observer);
  registry.CommitMainFrame("main", U("https://news.example/"));
  registry.CommitSubframe("ad", U("https://ads.example/"), "main");
  registry.CommitSubframe("tracker", U("https://t.example/"), "ad");
  registry.CommitSubframe("video", U("https://video.example/"), "main");
  ASSERT_TRUE(registry.Remove("ad").ok());
  EXPECT_THAT(observer.removed, ElementsAre("tracker", "ad"));
  EXPECT_TRUE(registry.Find("main"));
  EXPECT_TRUE(registry.Find("video"));
  registry.RemoveObserver(&observer);
}

TEST(DocumentRegistryTest, UnknownIdsGiveUnknownDocumentWithTheId) {
  DocumentRegistry registry;
  DocumentRegistry::Result load = registry.OnLoadEvent("ghost");
  EXPECT_EQ(load.error, net::ERR_UNKNOWN_DOCUMENT);
  EXPECT_THAT(load.message, HasSubstr("\"ghost\""));
  EXPECT_EQ(registry.Remove("ghost").error, net::ERR_UNKNOWN_DOCUMENT);
  DocumentRegistry::Result frame =
      registry.CommitSubframe("f", U("https://a.example/"), "nobody");
  EXPECT_EQ(frame.error, net::ERR_UNKNOWN_DOCUMENT);
  EXPECT_THAT(frame.message, HasSubstr("\"nobody\""));
  EXPECT_EQ(registry.Find("f"), nullptr);
}

TEST(DocumentRegistryTest, DuplicateSubframeIdIsRejected) {
  DocumentRegistry registry;
  registry.CommitMainFrame("main", U("https://news.example/"));
  registry.CommitSubframe("f", U("https://a.example/"), "main");
  DocumentRegistry::Result result =
      registry.CommitSubframe("f", U("https://b.example/"), "main");
  EXPECT_EQ(result.error, net::ERR_INVALID_ARGUMENT);
  EXPECT_THAT(result.message, HasSubstr("already in use"));
  EXPECT_EQ(registry.Find("f")->url().spec(), "https://a.example/");
}

TEST(DocumentRegistryTest, BadCommitsLeaveThePageAsItWas) {
  DocumentRegistry registry;
  registry.CommitMainFrame("main", U("https://news.example/"));
  EXPECT_EQ(registry.CommitMainFrame("", U("https://a.example/")).error,
            net::ERR_INVALID_ARGUMENT);
  DocumentRegistry::Result invalid =
      registry.CommitMainFrame("next", net::Url::Parse("https://bad host/"));
  EXPECT_EQ(invalid.error, net::ERR_INVALID_URL);
  EXPECT_THAT(invalid.message, HasSubstr("\"next\""));
  DocumentRegistry::Result websocket =
      registry.CommitMainFrame("next", U("wss://a.example/"));
  EXPECT_EQ(websocket.error, net::ERR_DISALLOWED_URL_SCHEME);
  EXPECT_EQ(registry.main_frame(), registry.Find("main"));
  EXPECT_EQ(registry.size(), 1u);
}

}  // namespace
}  // namespace prewarm
