#include "host/page_loader.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "host/browser_session.h"
#include "host/demo_site.h"
#include "host/network_service_process.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "service/network_context.h"

namespace prewarm {
namespace {

using ::testing::HasSubstr;

constexpr absl::Duration kTimeout = absl::Seconds(30);

// Real TLS to the demo's origins on loopback, one profile per test; the
// network context in process (false) or in a spawned prewarm_service over
// IPC (true).
class PageLoaderTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string message;
    ASSERT_EQ(site_.Start(&message), net::OK) << message;
    if (GetParam()) {
      service_ = NetworkServiceProcess::Launch(
          NetworkServiceProcess::DefaultBinaryPath(), &message);
      ASSERT_TRUE(service_) << message;
    }
  }

  std::unique_ptr<BrowserSession> NewSession(PreconnectPolicy policy) {
    BrowserSession::Params params;
    params.policy = policy;
    params.block_third_party_cookies = true;
    params.connect_to = site_.connect_to();
    params.trusted_root_certificates_pem = site_.trusted_roots_pem();
    std::string error;
    auto session = BrowserSession::Create(
        params, service_ ? service_->client() : nullptr, &error);
    EXPECT_TRUE(session) << error;
    return session;
  }

  PageLoadResult Load(BrowserSession* session, PageLoadOptions options) {
    PageLoadResult result;
    std::string error;
    EXPECT_TRUE(session->Load(options, kTimeout, &result, &error)) << error;
    return result;
  }

  static PageLoadOptions Article(std::string prefix = "page") {
    PageLoadOptions options;
    options.url = DemoSite::kArticleUrl;
    options.document_prefix = std::move(prefix);
    return options;
  }
  // The network stack's own choices: every hint as written and before the
  // requests, so each hint gets its socket and its mistake shows.
  static PageLoadOptions ArticleHintsAsWritten(std::string prefix = "page") {
    PageLoadOptions options = Article(std::move(prefix));
    options.hints_first = true;
    options.markup_informed_hints = false;
    return options;
  }

  static const LoadedHint* FindHint(const PageLoadResult& result,
                                    std::string_view url) {
    for (const LoadedHint& hint : result.hints) {
      if (hint.hint.url == url && hint.hint.kind == PageHint::Kind::kPreconnect)
        return &hint;
    }
    return nullptr;
  }

  net::EventLoop loop_;
  DemoSite site_;
  std::unique_ptr<NetworkServiceProcess> service_;
};

INSTANTIATE_TEST_SUITE_P(InProcessAndOverIpc,
                         PageLoaderTest,
                         ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "OverIpc" : "InProcess";
                         });

TEST_P(PageLoaderTest, ArticleLoadsEverySubresourceAndFontsBeforeTheLoadEvent) {
  auto session = NewSession(PreconnectPolicy::kPrewarm);
  PageLoadResult result = Load(session.get(), Article());
  ASSERT_EQ(result.pages.size(), 1u);
  const LoadedPage& page = result.pages[0];
  EXPECT_EQ(page.error, net::OK);
  // The document, 9 subresources from the markup, 2 fonts from the Google
  // Fonts stylesheet, and the app script's fetch() of the headlines.
  EXPECT_EQ(result.requests.size(), 13u);
  EXPECT_EQ(result.failed_requests, 0);
  for (const LoadedRequest& request : result.requests) {
    EXPECT_EQ(request.result.error, net::OK) << request.url;
    EXPECT_EQ(request.result.status_code, 200) << request.url;
    EXPECT_LE(request.finished, page.load_event) << request.url;
  }
  int fonts = 0;
  for (const LoadedRequest& request : result.requests)
    fonts += request.destination == "font";
  EXPECT_EQ(fonts, 4);
  EXPECT_EQ(result.hints.size(), 7u);
}

TEST_P(PageLoaderTest, TheFontPreloadWithoutCrossoriginIsDownloadedTwice) {
  auto session = NewSession(PreconnectPolicy::kPrewarm);
  PageLoadResult result = Load(session.get(), Article());
  ASSERT_EQ(result.preloads.size(), 2u);
  const LoadedPreload& font = result.preloads[0];
  EXPECT_EQ(font.preload.as, "font");
  ASSERT_EQ(font.result.error, net::OK) << font.result.message;
  EXPECT_EQ(font.result.response.status_code, 200);
  EXPECT_EQ(font.result.key.settings.mode, RequestMode::kNoCors);
  const LoadedRequest* request = nullptr;
  for (const LoadedRequest& loaded : result.requests) {
    if (loaded.url == font.preload.url)
      request = &loaded;
  }
  ASSERT_TRUE(request);
  // The @font-face request is CORS: it cannot consume the no-cors preload.
  EXPECT_EQ(request->result.from_preload_id, 0u);
  EXPECT_EQ(request->result.skipped_preload_id, font.result.preload_id);
  EXPECT_THAT(request->result.preload_diagnostic,
              HasSubstr("use crossorigin=anonymous on the preload"));
  // Nothing in the markup fetches the headlines: the app script's fetch()
  // does, and meets the preload.
  const LoadedPreload& data = result.preloads[1];
  EXPECT_EQ(data.result.key.destination, "");
  int met = 0;
  for (const LoadedRequest& loaded : result.requests) {
    if (loaded.result.from_preload_id == data.result.preload_id ||
        loaded.result.skipped_preload_id == data.result.preload_id) {
      EXPECT_EQ(loaded.destination, "fetch") << loaded.url;
      ++met;
    }
  }
  EXPECT_EQ(met, 1);
}

TEST_P(PageLoaderTest, RightHintsAreUsedAndMistakesAreStrandedWithAFix) {
  auto session = NewSession(PreconnectPolicy::kPrewarm);
  PageLoadResult result = Load(session.get(), ArticleHintsAsWritten());

  // crossorigin on the hint and on the <script>: the bundle gets the socket.
  const LoadedHint* cdn = FindHint(result, "https://cdn.news-static.example");
  ASSERT_TRUE(cdn);
  ASSERT_EQ(cdn->sockets.size(), 1u);
  EXPECT_EQ(cdn->sockets[0].outcome, net::PreconnectOutcome::kUsed);
  ASSERT_GE(cdn->sockets[0].used_by, 0);
  EXPECT_THAT(result.requests[cdn->sockets[0].used_by].url,
              HasSubstr("/js/app."));
  EXPECT_EQ(result.requests[cdn->sockets[0].used_by].result.socket_reuse,
            SocketReuse::kPreconnected);
  // Its connect phases came from the NetLog.
  ASSERT_TRUE(cdn->sockets[0].phases);
  EXPECT_NE(cdn->sockets[0].phases->ssl_end, absl::InfinitePast());
  EXPECT_GE(cdn->sockets[0].phases->ssl_end,
            cdn->sockets[0].phases->connect_end);

  // No crossorigin on the fonts origin: the font fetch (CORS, no
  // credentials) needs the other privacy mode. The guessed preconnect is
  // unbound, so the first font takes its socket (late privacy binding).
  const LoadedHint* fonts = FindHint(result, "https://fonts.gstatic.example");
  ASSERT_TRUE(fonts);
  EXPECT_FALSE(fonts->stranded);
  ASSERT_EQ(fonts->sockets.size(), 1u);
  EXPECT_EQ(fonts->sockets[0].outcome, net::PreconnectOutcome::kUsed);
  ASSERT_GE(fonts->sockets[0].used_by, 0);
  const LoadedRequest& font = result.requests[fonts->sockets[0].used_by];
  EXPECT_EQ(font.destination, "font");
  EXPECT_EQ(font.result.socket_reuse, SocketReuse::kPreconnected);
  EXPECT_NE(font.result.group_id, fonts->result.group_id);

  // crossorigin on the consent hint, none on its classic script: late-bound
  // the other way.
  const LoadedHint* consent = FindHint(result, "https://consent.example");
  ASSERT_TRUE(consent);
  EXPECT_FALSE(consent->stranded);
  ASSERT_EQ(consent->sockets.size(), 1u);
  EXPECT_EQ(consent->sockets[0].outcome, net::PreconnectOutcome::kUsed);

  // The ad iframe is a cross-site subframe: another NAK, which never floats.
  const LoadedHint* ads = FindHint(result, "https://ads.example");
  ASSERT_TRUE(ads);
  EXPECT_TRUE(ads->stranded);
  EXPECT_THAT(ads->diagnostic, HasSubstr("is_cross_site"));

  // The stylesheet and the beacon are credentialed no-cors fetches, as the
  // hints without crossorigin guessed.
  EXPECT_FALSE(FindHint(result, "https://fonts.googleapis.example")->stranded);
  EXPECT_FALSE(FindHint(result, "https://analytics.example")->stranded);
  EXPECT_EQ(result.warmed_sockets, 6);
  EXPECT_EQ(result.stranded_sockets, 1);
  EXPECT_EQ(result.used_sockets, 5);
}

TEST_P(PageLoaderTest, RepeatVisitUnderPrewarmLearnsFromTheFirst) {
  auto session = NewSession(PreconnectPolicy::kPrewarm);
  PageLoadResult first = Load(session.get(), ArticleHintsAsWritten("first"));
  ASSERT_GT(first.stranded_sockets, 0);
  std::string error;
  ASSERT_TRUE(session->ClosePage("first1", &error)) << error;
  PageLoadResult repeat = Load(session.get(), ArticleHintsAsWritten("repeat"));
  EXPECT_EQ(repeat.stranded_sockets, 0);
  EXPECT_EQ(repeat.used_sockets, repeat.warmed_sockets);
  EXPECT_EQ(repeat.warmed_sockets, 6);
}

TEST_P(PageLoaderTest, SinglePoolStrandsEveryCrossSiteHint) {
  auto session = NewSession(PreconnectPolicy::kSinglePool);
  PageLoadResult result = Load(session.get(), Article());
  EXPECT_EQ(result.warmed_sockets, 6);
  EXPECT_EQ(result.used_sockets, 0);
  EXPECT_EQ(result.stranded_sockets, 6);
}

TEST_P(PageLoaderTest, ThenNavigatesAfterTheLoadEventAndReusesTheConnection) {
  auto session = NewSession(PreconnectPolicy::kPrewarm);
  PageLoadOptions options = Article();
  options.then_urls = {DemoSite::kNextArticleUrl};
  PageLoadResult result = Load(session.get(), options);
  ASSERT_EQ(result.pages.size(), 2u);
  EXPECT_EQ(result.pages[1].error, net::OK);
  EXPECT_GE(result.pages[1].navigation_start, result.pages[0].load_event);
  EXPECT_NE(result.pages[1].load_event, absl::InfinitePast());
  const LoadedRequest* second = nullptr;
  for (const LoadedRequest& request : result.requests) {
    if (request.page == 1 && request.destination == "document")
      second = &request;
  }
  ASSERT_TRUE(second);
  EXPECT_EQ(second->url, DemoSite::kNextArticleUrl);
  // Same origin, same (main-frame) group: the first page's connection.
  EXPECT_EQ(second->result.socket_reuse, SocketReuse::kReused);
}

TEST_P(PageLoaderTest, LocalMarkupIsCommittedWithoutARequest) {
  auto session = NewSession(PreconnectPolicy::kPrewarm);
  PageLoadOptions options;
  options.url = "https://news.example/local.html";
  options.html =
      "<link rel=preconnect href='ftp://files.example'>"
      "<img src='https://cdn.news-static.example/img/a.jpg'>"
      "<img src='https://exa mple.com/broken.png'>"
      "<img src='https://news.example/missing.png'>";
  PageLoadResult result = Load(session.get(), options);
  ASSERT_EQ(result.pages.size(), 1u);
  EXPECT_NE(result.pages[0].load_event, absl::InfinitePast());
  ASSERT_EQ(result.requests.size(), 3u);
  EXPECT_EQ(result.requests[0].result.error, net::OK);
  EXPECT_EQ(result.requests[1].result.error, net::ERR_INVALID_URL);
  // A 404 is a response, not a failure.
  EXPECT_EQ(result.requests[2].result.error, net::OK);
  EXPECT_EQ(result.requests[2].result.status_code, 404);
  EXPECT_EQ(result.failed_requests, 1);
  ASSERT_EQ(result.hints.size(), 1u);
  EXPECT_EQ(result.hints[0].error, net::ERR_DISALLOWED_URL_SCHEME);
  EXPECT_FALSE(result.hints[0].diagnostic.empty());
}

TEST_P(PageLoaderTest, UnreachableOriginFailsThePageWithTheNetError) {
  auto session = NewSession(PreconnectPolicy::kPrewarm);
  PageLoadOptions options;
  // Not one of the demo's hosts, and the resolver may not reach the network
  // in tests: the navigation fails one way or another.
  options.url = "https://unknown-host.invalid/";
  options.then_urls = {DemoSite::kArticleUrl};
  PageLoadResult result = Load(session.get(), options);
  ASSERT_EQ(result.pages.size(), 2u);
  EXPECT_NE(result.pages[0].error, net::OK);
  EXPECT_FALSE(result.pages[0].error_message.empty());
  // No document, so no link to follow.
  EXPECT_EQ(result.pages[1].navigation_start, absl::InfinitePast());
  EXPECT_EQ(result.failed_requests, 1);
}

}  // namespace
}  // namespace prewarm
