#ifndef HOST_DEMO_SITE_H_
#define HOST_DEMO_SITE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"

namespace prewarm {

// A realistic news site served from loopback, for the demo and for tests:
// https://news.example (two articles whose <head> has preconnect hints, some
// with crossorigin and some without - the mistakes real pages make included
// - plus the site's own stylesheet), https://fonts.googleapis.example (a
// stylesheet with @font-face rules), https://fonts.gstatic.example (the
// fonts, CORS), https://cdn.news-static.example (the app bundle, loaded with
// crossorigin=anonymous, and images), https://consent.example (a classic
// consent script), https://analytics.example (a beacon pixel) and
// https://ads.example (a cross-site ad iframe).
//
// Start() runs one HTTPS EmbeddedTestServer per origin on the current
// EventLoop, each with its own runtime test CA, behind its own LatencyProxy
// that adds kRoundTrip of emulated network latency (TLS and HTTP flights are
// delayed; the TCP handshake is not, see LatencyProxy). connect_to() maps
// every origin's host:443 to its proxy's loopback port (the logical origin,
// hence the group key and TLS server name, stays host:443) and
// trusted_roots_pem() holds the CAs a client must trust. Responses carry
// small server delays so a waterfall has something to show. Stopping
// happens on destruction. Network thread only.
class DemoSite {
 public:
  // The two article pages.
  static constexpr char kArticleUrl[] =
      "https://news.example/2026/11/preconnect-partitions";
  static constexpr char kNextArticleUrl[] =
      "https://news.example/2026/11/third-party-cookies";

  // The emulated round trip between the browser and every origin. 40 ms is
  // a good fixed-line connection to a nearby server, between WebPageTest's
  // "Cable" (28 ms) and "DSL" (50 ms) profiles: large enough that a cold
  // connection (TLS 1.3 handshake, then the request: two round trips here)
  // visibly costs more than a warmed one (a real network adds a third for
  // TCP), small enough that the demo's eight page loads take a few seconds.
  static constexpr absl::Duration kRoundTrip = absl::Milliseconds(40);

  DemoSite();
  DemoSite(const DemoSite&) = delete;
  DemoSite& operator=(const DemoSite&) = delete;
  ~DemoSite();

  // OK, or the net error of a server that could not listen (with *message).
  int Start(std::string* message);

  // "news.example:443:127.0.0.1:PORT,..." with each origin's proxy port;
  // valid after Start().
  const std::string& connect_to() const { return connect_to_; }
  const std::string& trusted_roots_pem() const { return trusted_roots_pem_; }
  // The hosts served, e.g. "fonts.gstatic.example".
  std::vector<std::string> hosts() const;

  // The article's markup, as news.example serves it (for tests and for
  // `load FILE.html`).
  static std::string ArticleHtml(std::string_view title,
                                 std::string_view hero_image);
  // fonts.googleapis.example's stylesheet.
  static std::string FontStylesheet();

 private:
  struct Origin;

  std::vector<std::unique_ptr<Origin>> origins_;
  std::string connect_to_;
  std::string trusted_roots_pem_;
};

}  // namespace prewarm

#endif  // HOST_DEMO_SITE_H_
