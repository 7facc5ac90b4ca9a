// PageLoader's frames, document-order parse and markup-informed hints,
// against a real HTTPS server the test starts (one EmbeddedTestServer that
// serves every host of the test by its Host header).
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "host/browser_session.h"
#include "host/page_loader.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/test/embedded_test_server/embedded_test_server.h"

namespace prewarm {
namespace {

using net::test_server::EmbeddedTestServer;
using net::test_server::HttpRequest;
using net::test_server::HttpResponse;
using ::testing::HasSubstr;

constexpr absl::Duration kTimeout = absl::Seconds(30);

class FrameLoadingTest : public ::testing::Test {
 protected:
  FrameLoadingTest() : server_(EmbeddedTestServer::Type::kHttps) {
    server_.RegisterRequestHandler(
        [this](const HttpRequest& request) -> std::optional<HttpResponse> {
          std::string host = request.GetHeader("Host");
          host = host.substr(0, host.find(':'));
          auto it = resources_.find(host + request.relative_url);
          if (it == resources_.end())
            return std::nullopt;
          HttpResponse response;
          response.set_content(it->second.body);
          response.set_delay(it->second.delay);
          response.AddCustomHeader("Access-Control-Allow-Origin", "*");
          return response;
        });
  }

  void SetUp() override { ASSERT_EQ(server_.Start(), net::OK); }

  // Serves `body` at https://`url_without_scheme`.
  void Serve(const std::string& host_and_path,
             std::string body,
             absl::Duration delay = absl::ZeroDuration()) {
    resources_[host_and_path] = {std::move(body), delay};
    hosts_.insert(host_and_path.substr(0, host_and_path.find('/')));
  }

  PageLoadResult Load(const std::string& url,
                      PreconnectPolicy policy = PreconnectPolicy::kPrewarm,
                      PageLoadOptions options = PageLoadOptions()) {
    BrowserSession::Params params;
    params.policy = policy;
    params.block_third_party_cookies = true;
    for (const std::string& host : hosts_) {
      absl::StrAppend(&params.connect_to, params.connect_to.empty() ? "" : ",",
                      host, ":443:127.0.0.1:", server_.port());
    }
    params.trusted_root_certificates_pem = server_.root_certificate_pem();
    std::string error;
    auto session = BrowserSession::Create(params, nullptr, &error);
    EXPECT_TRUE(session) << error;
    PageLoadResult result;
    if (!session)
      return result;
    options.url = url;
    EXPECT_TRUE(session->Load(options, kTimeout, &result, &error)) << error;
    return result;
  }

  static const LoadedRequest* FindRequest(const PageLoadResult& result,
                                          std::string_view url) {
    for (const LoadedRequest& request : result.requests) {
      if (request.url == url)
        return &request;
    }
    return nullptr;
  }
  static const LoadedHint* FindHint(const PageLoadResult& result,
                                    std::string_view url) {
    for (const LoadedHint& hint : result.hints) {
      if (hint.hint.url == url)
        return &hint;
    }
    return nullptr;
  }

  struct Resource {
    std::string body;
    absl::Duration delay;
  };

  net::EventLoop loop_;
  EmbeddedTestServer server_;
  std::map<std::string, Resource> resources_;
  std::set<std::string> hosts_;
};

TEST_F(FrameLoadingTest, CrossSiteFrameLoadsItsOwnHintsScriptAndImages) {
  Serve("www.main.test/",
        "<link rel=preconnect href=https://widget.other.test>"
        "<iframe src=https://widget.other.test/frame.html></iframe>");
  // The frame's script makes the image the frame's hint is for.
  Serve("widget.other.test/frame.html",
        "<link rel=preconnect href=https://img.widget.test>"
        "<script src=/w.js></script>");
  Serve("widget.other.test/w.js",
        "const image = new Image();\n"
        "image.src = 'https://img.widget.test/1.png';\n");
  Serve("img.widget.test/1.png", "png");
  PageLoadResult result = Load("https://www.main.test/");

  ASSERT_EQ(result.frames.size(), 2u);
  const LoadedFrame& frame = result.frames[1];
  EXPECT_EQ(frame.parent, 0);
  EXPECT_EQ(frame.depth, 1);
  EXPECT_EQ(frame.url, "https://widget.other.test/frame.html");
  EXPECT_NE(frame.load_event, absl::InfinitePast());
  // The parent's load event waits for its frame's.
  EXPECT_LE(frame.load_event, result.frames[0].load_event);

  const LoadedRequest* script =
      FindRequest(result, "https://widget.other.test/w.js");
  const LoadedRequest* image =
      FindRequest(result, "https://img.widget.test/1.png");
  ASSERT_TRUE(script && image);
  EXPECT_EQ(script->frame, frame.document_id);
  EXPECT_EQ(image->frame, frame.document_id);
  EXPECT_EQ(image->result.status_code, 200);
  // The frame's own hint came from the frame, and its socket served the
  // image of the frame's script.
  const LoadedHint* frame_hint = FindHint(result, "https://img.widget.test");
  ASSERT_TRUE(frame_hint);
  EXPECT_EQ(frame_hint->frame, frame.document_id);
  ASSERT_EQ(frame_hint->sockets.size(), 1u);
  EXPECT_EQ(frame_hint->sockets[0].outcome, net::PreconnectOutcome::kUsed);
  EXPECT_EQ(result.requests[frame_hint->sockets[0].used_by].url,
            "https://img.widget.test/1.png");
  // The main frame's hint is for its iframe, as the markup says.
  const LoadedHint* iframe_hint = FindHint(result, "https://widget.other.test");
  ASSERT_TRUE(iframe_hint);
  EXPECT_THAT(iframe_hint->informed, HasSubstr("1 <iframe>: subframe"));
  EXPECT_EQ(result.failed_requests, 0);
}

TEST_F(FrameLoadingTest, FrameBoundsCutTheTreeAndSaySo) {
  // Every frame embeds itself twice.
  Serve("www.main.test/", "<iframe src=/f></iframe>");
  Serve("www.main.test/f", "<iframe src=/f></iframe><iframe src=/f></iframe>");
  PageLoadOptions options;
  options.max_frame_depth = 2;
  options.max_frames = 50;
  PageLoadResult result =
      Load("https://www.main.test/", PreconnectPolicy::kPrewarm, options);
  // Depth 1: one frame; depth 2: two; their four children are cut off.
  EXPECT_EQ(result.frames.size(), 4u);
  ASSERT_EQ(result.notes.size(), 4u);
  EXPECT_THAT(result.notes[0], HasSubstr("frame bound"));
  EXPECT_THAT(result.notes[0], HasSubstr("depth 3 > 2"));
  EXPECT_NE(result.pages[0].load_event, absl::InfinitePast());

  options.max_frame_depth = 10;
  options.max_frames = 2;
  result = Load("https://www.main.test/", PreconnectPolicy::kPrewarm, options);
  EXPECT_EQ(result.frames.size(), 3u);
  ASSERT_FALSE(result.notes.empty());
  EXPECT_THAT(result.notes[0], HasSubstr("more than 2 frames"));
}

TEST_F(FrameLoadingTest,
       HintsGoWhereTheyAreInTheMarkupAfterTheScannersRequests) {
  Serve("www.main.test/",
        "<script src=https://a.test/blocking.js></script>"
        "<link rel=preconnect href=https://b.test>"
        "<img src=https://c.test/i.png>");
  Serve("a.test/blocking.js", "1", absl::Milliseconds(20));
  Serve("c.test/i.png", "png");
  PageLoadResult result = Load("https://www.main.test/");
  const LoadedRequest* script =
      FindRequest(result, "https://a.test/blocking.js");
  const LoadedRequest* image = FindRequest(result, "https://c.test/i.png");
  const LoadedHint* hint = FindHint(result, "https://b.test");
  ASSERT_TRUE(script && image && hint);
  // The preload scanner saw the script and the image first; the parser
  // reached the hint only once the parser-blocking script had arrived.
  EXPECT_LT(script->call_order, image->call_order);
  EXPECT_LT(image->call_order, hint->call_order);
  EXPECT_GE(hint->issued, script->finished);

  PageLoadOptions options;
  options.hints_first = true;
  result = Load("https://www.main.test/", PreconnectPolicy::kPrewarm, options);
  hint = FindHint(result, "https://b.test");
  script = FindRequest(result, "https://a.test/blocking.js");
  ASSERT_TRUE(hint && script);
  EXPECT_LT(hint->call_order, script->call_order);
}

TEST_F(FrameLoadingTest, HintsTakeThePurposeTheMarkupGivesThem) {
  Serve("www.main.test/",
        "<link rel=preconnect href=https://cdn.test>"
        "<link rel=preconnect href=https://fonts.test>"
        "<link rel=preconnect href=https://mixed.test>"
        "<link rel=preconnect href=https://nobody.test>"
        "<style>@font-face{src:url(https://fonts.test/a.woff2)}</style>"
        "<script src=https://cdn.test/app.js></script>"
        "<img src=https://cdn.test/x.png>"
        "<script src=https://mixed.test/a.js></script>"
        "<script type=module src=https://mixed.test/m.js></script>");
  for (const char* path :
       {"cdn.test/app.js", "cdn.test/x.png", "fonts.test/a.woff2",
        "mixed.test/a.js", "mixed.test/m.js"}) {
    Serve(path, "x");
  }
  PageLoadResult result = Load("https://www.main.test/");
  const LoadedHint* cdn = FindHint(result, "https://cdn.test");
  const LoadedHint* fonts = FindHint(result, "https://fonts.test");
  const LoadedHint* mixed = FindHint(result, "https://mixed.test");
  const LoadedHint* nobody = FindHint(result, "https://nobody.test");
  ASSERT_TRUE(cdn && fonts && mixed && nobody);
  EXPECT_THAT(cdn->informed, HasSubstr("credentialed subresource"));
  EXPECT_EQ(cdn->result.target.purpose, PreconnectPurpose::kSubresource);
  EXPECT_EQ(cdn->result.target.purpose_source, PurposeSource::kExplicit);
  EXPECT_TRUE(cdn->result.target.partition.credentials_allowed);
  // Written without crossorigin, but the fonts are anonymous requests.
  EXPECT_THAT(fonts->informed, HasSubstr("anonymous subresource"));
  EXPECT_FALSE(fonts->result.target.partition.credentials_allowed);
  EXPECT_EQ(mixed->informed, "");
  EXPECT_EQ(nobody->informed, "");
  EXPECT_NE(nobody->result.target.purpose_source, PurposeSource::kExplicit);
  EXPECT_EQ(result.stranded_sockets, 0);
}

// Seed 001: React's preconnect() in an event handler, then a navigation.
TEST_F(FrameLoadingTest, ClickHandlerPreconnectServesTheNavigationItStarts) {
  Serve("www.main.test/",
        "<button id=start class=cta>Start the wizard</button>"
        "<script type=module>\n"
        "import { preconnect } from 'react-dom';\n"
        "document.getElementById('start').addEventListener('click', () => {\n"
        "  preconnect('https://wizard.test');\n"
        "  location.href = 'https://wizard.test/step1';\n"
        "});\n"
        "</script>");
  Serve("wizard.test/step1", "<p>step 1", absl::Milliseconds(5));
  PageLoadOptions options;
  options.click_selector = "button.cta";
  PageLoadResult result =
      Load("https://www.main.test/", PreconnectPolicy::kPrewarm, options);
  EXPECT_EQ(result.script_errors, 0);
  ASSERT_EQ(result.pages.size(), 2u);
  EXPECT_EQ(result.pages[1].url, "https://wizard.test/step1");
  EXPECT_NE(result.pages[1].load_event, absl::InfinitePast());
  const LoadedHint* hint = FindHint(result, "https://wizard.test");
  ASSERT_TRUE(hint);
  EXPECT_EQ(hint->result.target.purpose, PreconnectPurpose::kNavigation);
  ASSERT_EQ(hint->sockets.size(), 1u);
  EXPECT_EQ(hint->sockets[0].outcome, net::PreconnectOutcome::kUsed);
  EXPECT_EQ(result.requests[hint->sockets[0].used_by].destination, "document");
  EXPECT_EQ(result.stranded_sockets, 0);

  options.click_selector = "#nothing-like-this";
  result = Load("https://www.main.test/", PreconnectPolicy::kPrewarm, options);
  EXPECT_EQ(result.pages.size(), 1u);
  ASSERT_FALSE(result.notes.empty());
  EXPECT_THAT(result.notes.back(), HasSubstr("--click: nothing"));
}

TEST_F(FrameLoadingTest, BrokenAndEndlessScriptsAreReportedAndTheLoadGoesOn) {
  Serve("www.main.test/",
        "<script src=/broken.js></script>\n"
        "<script>\nwhile (true) {}\n</script>\n"
        "<script>new Image().src = '/never.png';</script>\n"
        "<img src=/still.png>");
  Serve("www.main.test/broken.js", "let fine = 1;\nundefinedFunction();\n");
  Serve("www.main.test/still.png", "png");
  PageLoadResult result = Load("https://www.main.test/");
  EXPECT_EQ(result.script_errors, 3);
  ASSERT_GE(result.notes.size(), 3u);
  EXPECT_THAT(result.notes[0],
              HasSubstr("https://www.main.test/broken.js:2: "));
  EXPECT_THAT(result.notes[1], HasSubstr("https://www.main.test/:2: script "
                                         "ran longer than"));
  EXPECT_THAT(result.notes[2], HasSubstr("not run"));
  EXPECT_TRUE(FindRequest(result, "https://www.main.test/still.png"));
  EXPECT_FALSE(FindRequest(result, "https://www.main.test/never.png"));
  EXPECT_NE(result.pages[0].load_event, absl::InfinitePast());
}

TEST_F(FrameLoadingTest, ScriptFetchesAndTimersFinishBeforeTheLoadEnds) {
  Serve("www.main.test/",
        "<script>\n"
        "window.addEventListener('load', () => {\n"
        "  setTimeout(async () => {\n"
        "    const response = await fetch('https://api.test/data');\n"
        "    const data = await response.json();\n"
        "    new Image().src = 'https://img.test/' + data.name + '.png';\n"
        "  }, 5);\n"
        "});\n"
        "</script>");
  Serve("api.test/data", "{\"name\": \"cat\"}");
  Serve("img.test/cat.png", "png");
  PageLoadResult result = Load("https://www.main.test/");
  EXPECT_EQ(result.script_errors, 0) << result.notes[0];
  const LoadedRequest* fetch = FindRequest(result, "https://api.test/data");
  const LoadedRequest* image = FindRequest(result, "https://img.test/cat.png");
  ASSERT_TRUE(fetch && image);
  EXPECT_EQ(fetch->destination, "fetch");
  EXPECT_EQ(image->result.status_code, 200);
  EXPECT_GE(image->issued, result.pages[0].load_event);
}

}  // namespace
}  // namespace prewarm
