#include "privacy/document_registry.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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

// Limits wide enough that only the tree's shape is under test.
DocumentRegistry::Limits Unbounded() {
  DocumentRegistry::Limits limits;
  limits.max_documents = 1 << 20;
  limits.max_frame_depth = 1 << 20;
  return limits;
}

// A chain main <- f1 <- f2 <- ... <- f<depth>.
void CommitChain(DocumentRegistry& registry, int depth) {
  ASSERT_TRUE(registry.CommitMainFrame("main", U("https://a.example/")).ok());
  std::string parent = "main";
  for (int i = 1; i <= depth; ++i) {
    std::string id = absl::StrCat("f", i);
    ASSERT_TRUE(
        registry.CommitSubframe(id, U("https://b.example/"), parent).ok());
    parent = id;
  }
}

// F1: the teardown of a hostile client's 200,000-deep chain used to recurse
// once per level and overflow the stack.
TEST(DocumentRegistryTest, DeepFrameChainIsTornDownWithoutRecursion) {
  constexpr int kDepth = 200000;
  DocumentRegistry registry(Unbounded());
  CommitChain(registry, kDepth);
  EXPECT_EQ(registry.Find(absl::StrCat("f", kDepth))->depth(),
            static_cast<size_t>(kDepth));
  RecordingObserver observer;
  registry.AddObserver(&observer);
  ASSERT_TRUE(registry.Remove("f1").ok());
  registry.RemoveObserver(&observer);
  ASSERT_EQ(observer.removed.size(), static_cast<size_t>(kDepth));
  // Children before their parent, all the way up.
  EXPECT_EQ(observer.removed.front(), absl::StrCat("f", kDepth));
  EXPECT_EQ(observer.removed.back(), "f1");
  EXPECT_EQ(registry.size(), 1u);
}

TEST(DocumentRegistryTest, DeepFrameChainIsTornDownByTheNextMainFrame) {
  DocumentRegistry registry(Unbounded());
  CommitChain(registry, 200000);
  ASSERT_TRUE(registry.CommitMainFrame("next", U("https://c.example/")).ok());
  EXPECT_EQ(registry.size(), 1u);
  CommitChain(registry, 200000);
  // ... and by the destructor, which the test's end runs.
}

// F2: each removal used to scan the whole map for children: 100,000 sibling
// subframes took minutes to end. Linear now, so this finishes at once.
TEST(DocumentRegistryTest, WideFrameTreeIsTornDownInLinearTime) {
  constexpr int kFrames = 100000;
  DocumentRegistry registry(Unbounded());
  ASSERT_TRUE(registry.CommitMainFrame("main", U("https://a.example/")).ok());
  for (int i = 0; i < kFrames; ++i) {
    ASSERT_TRUE(registry
                    .CommitSubframe(absl::StrCat("f", i),
                                    U("https://b.example/"), "main")
                    .ok());
  }
  RecordingObserver observer;
  registry.AddObserver(&observer);
  ASSERT_TRUE(registry.CommitMainFrame("next", U("https://c.example/")).ok());
  registry.RemoveObserver(&observer);
  EXPECT_EQ(observer.removed.size(), static_cast<size_t>(kFrames) + 1);
  EXPECT_EQ(observer.removed.back(), "main");
  EXPECT_EQ(registry.size(), 1u);
}

TEST(DocumentRegistryTest, RemovedSubtreeLeavesItsSiblingsIndexed) {
  DocumentRegistry registry;
  registry.CommitMainFrame("main", U("https://a.example/"));
  registry.CommitSubframe("x", U("https://b.example/"), "main");
  registry.CommitSubframe("x1", U("https://b.example/"), "x");
  registry.CommitSubframe("y", U("https://b.example/"), "main");
  registry.CommitSubframe("y1", U("https://b.example/"), "y");
  ASSERT_TRUE(registry.Remove("x").ok());
  EXPECT_FALSE(registry.Find("x1"));
  // The id is free again, and removing its new owner touches only it.
  ASSERT_TRUE(registry.CommitSubframe("x", U("https://b.example/"), "y1").ok());
  RecordingObserver observer;
  registry.AddObserver(&observer);
  ASSERT_TRUE(registry.Remove("y").ok());
  registry.RemoveObserver(&observer);
  EXPECT_THAT(observer.removed, ElementsAre("x", "y1", "y"));
  EXPECT_EQ(registry.size(), 1u);
}

TEST(DocumentRegistryTest, SubframePastTheDocumentLimitIsRefused) {
  DocumentRegistry::Limits limits;
  limits.max_documents = 3;
  DocumentRegistry registry(limits);
  registry.CommitMainFrame("main", U("https://a.example/"));
  ASSERT_TRUE(
      registry.CommitSubframe("f1", U("https://b.example/"), "main").ok());
  ASSERT_TRUE(
      registry.CommitSubframe("f2", U("https://b.example/"), "main").ok());
  DocumentRegistry::Result refused =
      registry.CommitSubframe("f3", U("https://b.example/"), "main");
  EXPECT_EQ(refused.error, net::ERR_INSUFFICIENT_RESOURCES);
  EXPECT_THAT(refused.message, HasSubstr("at most 3 documents"));
  EXPECT_FALSE(registry.Find("f3"));
  // Room again once one goes; a new main frame always fits.
  ASSERT_TRUE(registry.Remove("f2").ok());
  EXPECT_TRUE(
      registry.CommitSubframe("f3", U("https://b.example/"), "main").ok());
  EXPECT_TRUE(registry.CommitMainFrame("next", U("https://c.example/")).ok());
}

TEST(DocumentRegistryTest, SubframePastTheDepthLimitIsRefused) {
  DocumentRegistry::Limits limits;
  limits.max_frame_depth = 2;
  DocumentRegistry registry(limits);
  registry.CommitMainFrame("main", U("https://a.example/"));
  ASSERT_TRUE(
      registry.CommitSubframe("f1", U("https://b.example/"), "main").ok());
  ASSERT_TRUE(
      registry.CommitSubframe("f2", U("https://b.example/"), "f1").ok());
  DocumentRegistry::Result refused =
      registry.CommitSubframe("f3", U("https://b.example/"), "f2");
  EXPECT_EQ(refused.error, net::ERR_INSUFFICIENT_RESOURCES);
  EXPECT_THAT(refused.message, HasSubstr("at most 2 levels"));
  EXPECT_FALSE(registry.Find("f3"));
  EXPECT_TRUE(
      registry.CommitSubframe("f3", U("https://b.example/"), "f1").ok());
}


}  // namespace
}  // namespace prewarm
