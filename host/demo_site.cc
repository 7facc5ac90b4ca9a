#include "host/demo_site.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "net/base/net_errors.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "net/test/latency_lab.h"
#include "net/test/latency_proxy.h"

namespace prewarm {

namespace {

using net::test_server::EmbeddedTestServer;
using net::test_server::HttpRequest;
using net::test_server::HttpResponse;

// One resource of an origin.
struct Resource {
  const char* path;  // Without the query.
  const char* content_type;
  int delay_ms;
  // Fonts and the app bundle are CORS requests.
  bool cors = false;
};

constexpr char kArticleTemplate[] = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>$TITLE - The News</title>
<!-- The Google Fonts stylesheet is a classic no-cors request: no
     crossorigin here is right. -->
<link rel="preconnect" href="https://fonts.googleapis.example">
<!-- Mistake: font files are CORS requests without credentials, so this hint
     needs crossorigin. -->
<link rel="preconnect" href="https://fonts.gstatic.example">
<!-- Right: the bundle below is loaded with crossorigin="anonymous". -->
<link rel="preconnect" href="https://cdn.news-static.example" crossorigin>
<!-- Mistake: the consent script is a classic script (credentialed, no-cors);
     crossorigin here warms the wrong connection. -->
<link rel="preconnect" href="https://consent.example" crossorigin>
<link rel="preconnect" href="https://analytics.example">
<!-- The ad is a cross-site iframe: a subframe navigation, which markup
     cannot describe to a preconnect. -->
<link rel="preconnect" href="https://ads.example">
<link rel="dns-prefetch" href="//ads.example">
<!-- Mistake: a font preload without crossorigin is a no-cors request, and the
     @font-face request (CORS, even same-origin) cannot use it: the font
     downloads twice. -->
<link rel="preload" href="/static/fonts/news-sans.woff2" as="font" type="font/woff2">
<!-- Mistake: this plain preload is (no-cors, credentials include), but the
     script below asks for {mode: "no-cors"} and keeps credentials
     'same-origin': some browsers reuse it, others download it again. -->
<link rel="preload" href="/api/headlines.json" as="fetch">
<link rel="stylesheet" href="https://fonts.googleapis.example/css2?family=Newsreader:wght@400;700&amp;display=swap">
<link rel="stylesheet" href="/static/article.css">
<style>
  /* The site's own UI font */
  @font-face {
    font-family: "NewsSans";
    src: url("/static/fonts/news-sans.woff2") format("woff2");
  }
  /* Icon font, self-declared */
  @font-face {
    font-family: "NewsIcons";
    src: url("https://fonts.gstatic.example/s/newsicons/v7/icons.woff2") format("woff2");
  }
</style>
<script src="https://consent.example/cmp/v2/loader.js"></script>
<script src="https://cdn.news-static.example/js/app.3f9c1e.js" crossorigin="anonymous" defer></script>
<script>
  fetch("/api/headlines.json", {mode: "no-cors"}).then(showHeadlines);
</script>
</head>
<body>
<header><a href="/">The News</a></header>
<article>
  <h1>$TITLE</h1>
  <img src="https://cdn.news-static.example/img/$HERO" width="1200" height="675" alt="">
  <p>Browsers keep one pool of connections per privacy partition. A
     preconnect only helps if it warms the same pool the later request uses.</p>
  <iframe src="https://ads.example/slot/top?site=news.example" width="300" height="250" title="Advertisement"></iframe>
  <p><a href="/2026/11/third-party-cookies">Next: blocking third-party cookies</a></p>
</article>
<img src="https://analytics.example/collect?v=1&amp;t=pageview" width="1" height="1" alt="">
</body>
</html>
)html";

constexpr char kFontStylesheet[] = R"css(/* latin */
@font-face {
  font-family: 'Newsreader';
  font-style: normal;
  font-weight: 400;
  src: url(https://fonts.gstatic.example/s/newsreader/v20/cY9qfjOCX1hbuyalUrK49dLac06G1ZGsZBtoBCzBDXXD9JVF438weI_ACexEPjCgJIw.woff2) format('woff2');
}
/* latin, bold */
@font-face {
  font-family: 'Newsreader';
  font-style: normal;
  font-weight: 700;
  src: url(https://fonts.gstatic.example/s/newsreader/v20/cY9qfjOCX1hbuyalUrK49dLac06G1ZGsZBtoBCzBDXXD9JVF438w-IfACexEPjCgJIw.woff2) format('woff2');
}
)css";

constexpr char kArticleCss[] =
    "body { font-family: Newsreader, serif; max-width: 42rem; margin: auto }\n"
    ".icon { font-family: NewsIcons }\n";

constexpr char kAdHtml[] = R"html(<!doctype html>
<title>ad</title><a href="https://shop.example/"><img alt="Buy shoes"></a>
)html";

}  // namespace

struct DemoSite::Origin {
  const char* host;
  std::vector<Resource> resources;
  std::unique_ptr<EmbeddedTestServer> server;
  // In front of `server`; what connect_to() points at.
  std::unique_ptr<net::LatencyProxy> proxy;
};

DemoSite::DemoSite() : DemoSite(Options()) {}

DemoSite::DemoSite(const Options& options) : options_(options) {
  auto add = [this](const char* host, std::vector<Resource> resources) {
    auto origin = std::make_unique<Origin>();
    origin->host = host;
    origin->resources = std::move(resources);
    origins_.push_back(std::move(origin));
  };
  add("news.example",
      {{"/2026/11/preconnect-partitions", "text/html; charset=utf-8", 40},
       {"/2026/11/third-party-cookies", "text/html; charset=utf-8", 40},
       {"/static/article.css", "text/css", 10},
       {"/static/fonts/", "font/woff2", 15},
       {"/api/headlines.json", "application/json", 20}});
  add("fonts.googleapis.example", {{"/css2", "text/css", 25}});
  add("fonts.gstatic.example", {{"/s/", "font/woff2", 15, /*cors=*/true}});
  add("cdn.news-static.example",
      {{"/js/", "text/javascript", 30, /*cors=*/true},
       {"/img/", "image/jpeg", 20}});
  add("consent.example", {{"/cmp/", "text/javascript", 20}});
  add("analytics.example", {{"/collect", "image/gif", 5}});
  add("ads.example", {{"/slot/", "text/html; charset=utf-8", 30}});
}

DemoSite::~DemoSite() = default;

std::vector<std::string> DemoSite::hosts() const {
  std::vector<std::string> hosts;
  for (const auto& origin : origins_)
    hosts.emplace_back(origin->host);
  return hosts;
}

std::string DemoSite::ArticleHtml(std::string_view title,
                                  std::string_view hero_image) {
  return absl::StrReplaceAll(
      kArticleTemplate,
      {{"$TITLE", absl::string_view(title.data(), title.size())},
       {"$HERO", absl::string_view(hero_image.data(), hero_image.size())}});
}

std::vector<scenario::Fetch> DemoSite::ScriptFetches(
    const std::string& document_id) {
  // fetch("/api/headlines.json", {mode: "no-cors"}) from the inline script:
  // destination "", credentials left at 'same-origin'.
  scenario::Fetch headlines;
  headlines.set_document(document_id);
  headlines.set_url("https://news.example/api/headlines.json");
  headlines.set_mode(scenario::NO_CORS);
  headlines.set_credentials(scenario::CREDENTIALS_SAME_ORIGIN);
  return {headlines};
}

std::string DemoSite::FontStylesheet() {
  return kFontStylesheet;
}

bool DemoSite::StartLab(std::string* reason) {
  net::LatencyLab::Options lab_options;
  for (size_t i = 0; i < origins_.size(); ++i) {
    lab_options.origins.push_back(
        {net::LatencyLab::OriginAddress(i),
         options_.round_trips.ForHost(origins_[i]->host)});
  }
  lab_ = net::LatencyLab::Create(lab_options, reason);
  return lab_ != nullptr;
}

int DemoSite::Start(std::string* message) {
  std::string no_lab_reason = "not asked for";
  if (options_.kernel_lab && StartLab(&no_lab_reason)) {
    delay_description_ = absl::StrCat(
        "kernel-level: every packet to and from each origin, TCP handshake "
        "included, waits in an NFQUEUE (network namespace ",
        lab_->namespace_name(), ")");
  } else {
    delay_description_ = absl::StrCat(
        "user-space LatencyProxy fallback (kernel lab: ", no_lab_reason,
        "): TLS and HTTP flights are delayed, TCP handshakes are not");
  }
  for (size_t i = 0; i < origins_.size(); ++i) {
    const auto& origin = origins_[i];
    origin->server =
        std::make_unique<EmbeddedTestServer>(EmbeddedTestServer::Type::kHttps);
    const Origin* served = origin.get();
    if (options_.http2)
      origin->server->EnableHttp2();
    origin->server->RegisterRequestHandler(
        [served](const HttpRequest& request) -> std::optional<HttpResponse> {
          std::string_view path = request.relative_url;
          path = path.substr(0, path.find('?'));
          for (const Resource& resource : served->resources) {
            if (path.rfind(resource.path, 0) != 0)
              continue;
            HttpResponse response;
            response.set_content_type(resource.content_type);
            response.set_delay(absl::Milliseconds(resource.delay_ms));
            if (resource.cors)
              response.AddCustomHeader("Access-Control-Allow-Origin", "*");
            if (path == "/2026/11/preconnect-partitions") {
              response.set_content(ArticleHtml(
                  "Preconnect, partitions and the pool", "hero-pools.jpg"));
            } else if (path == "/2026/11/third-party-cookies") {
              response.set_content(ArticleHtml("Blocking third-party cookies",
                                               "hero-cookies.jpg"));
            } else if (path == "/static/article.css") {
              response.set_content(kArticleCss);
            } else if (path == "/css2") {
              response.set_content(kFontStylesheet);
            } else if (path.rfind("/slot/", 0) == 0) {
              response.set_content(kAdHtml);
            } else {
              // Fonts, scripts and images: a body of plausible size.
              response.set_content(std::string(2048, 'x'));
            }
            return response;
          }
          return std::nullopt;
        });
    int rv = origin->server->Start(lab_ ? net::LatencyLab::OriginAddress(i)
                                        : net::IPAddress::IPv4Localhost());
    if (rv != net::OK) {
      *message = absl::StrCat("cannot start the server for ", origin->host,
                              ": ", net::ErrorToString(rv));
      return rv;
    }
    net::IPEndPoint reached_at = origin->server->endpoint();
    if (!lab_) {
      origin->proxy = std::make_unique<net::LatencyProxy>(
          origin->server->endpoint(),
          options_.round_trips.ForHost(origin->host));
      rv = origin->proxy->Start();
      if (rv != net::OK) {
        *message = absl::StrCat("cannot start the latency proxy for ",
                                origin->host, ": ", net::ErrorToString(rv));
        return rv;
      }
      reached_at = origin->proxy->endpoint();
    }
    absl::StrAppend(&connect_to_, connect_to_.empty() ? "" : ",", origin->host,
                    ":443:", reached_at.address().ToString(), ":",
                    reached_at.port());
    absl::StrAppend(&trusted_roots_pem_,
                    origin->server->root_certificate_pem());
  }
  return net::OK;
}

}  // namespace prewarm
