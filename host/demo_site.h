#ifndef HOST_DEMO_SITE_H_
#define HOST_DEMO_SITE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "host/origin_round_trips.h"
#include "proto/scenario.pb.h"

namespace net {
class LatencyLab;
}

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
// EventLoop, each with its own runtime test CA, and delays each origin by its
// round trip (Options::round_trips) in one of two ways:
// - in a LatencyLab (Options::kernel_lab, where the machine allows it): the
//   calling thread enters the lab's network namespace, each origin's server
//   listens on its own loopback address and every packet to and from it,
//   TCP handshake included, waits in the kernel's path. Sockets opened and
//   processes started afterwards on this thread (clients, the network
//   service) are inside too; the thread leaves on destruction.
// - otherwise behind a LatencyProxy per origin on 127.0.0.1, which delays
//   TLS and HTTP flights but not the TCP handshake.
// delay_description() says which one ran and why. connect_to() maps every
// origin's host:443 to where it is reached (the logical origin, hence the
// group key and TLS server name, stays host:443) and trusted_roots_pem()
// holds the CAs a client must trust. Responses carry small server delays so
// a waterfall has something to show. Stopping happens on destruction.
// Network thread only.
class DemoSite {
 public:
  // The two article pages.
  static constexpr char kArticleUrl[] =
      "https://news.example/2026/11/preconnect-partitions";
  static constexpr char kNextArticleUrl[] =
      "https://news.example/2026/11/third-party-cookies";

  // The proxy-only site's round trip to every origin (tests, and `load`
  // without --rtt). 40 ms is a good fixed-line connection to a nearby
  // server, between WebPageTest's "Cable" (28 ms) and "DSL" (50 ms).
  static constexpr absl::Duration kRoundTrip = absl::Milliseconds(40);
  // The demo's default --rtt: a mobile-like 100 ms to third parties, and
  // 40 ms to the page's own origin, which is typically on a nearby CDN.
  static constexpr char kDemoRoundTrips[] = "news.example=40,*=100";

  struct Options {
    OriginRoundTrips round_trips{kRoundTrip};
    // Run in a LatencyLab when the machine allows it; the proxies otherwise.
    bool kernel_lab = false;
    // Every origin offers h2 first in ALPN (so a browser speaks HTTP/2 to
    // all of them); false serves HTTP/1.1 only.
    bool http2 = true;
  };

  DemoSite();
  explicit DemoSite(const Options& options);
  DemoSite(const DemoSite&) = delete;
  DemoSite& operator=(const DemoSite&) = delete;
  ~DemoSite();

  // OK, or the net error of a server that could not listen (with *message).
  int Start(std::string* message);

  // "news.example:443:127.0.0.1:PORT,..." with each origin's address and
  // port; valid after Start().
  const std::string& connect_to() const { return connect_to_; }
  // One line: which delay runs (kernel NFQUEUE or the proxy fallback, and
  // why), after Start().
  const std::string& delay_description() const { return delay_description_; }
  // The lab, or null when the proxies delay (or before Start()).
  net::LatencyLab* lab() const { return lab_.get(); }
  const Options& options() const { return options_; }
  const std::string& trusted_roots_pem() const { return trusted_roots_pem_; }
  // The hosts served, e.g. "fonts.gstatic.example".
  std::vector<std::string> hosts() const;

  // The article's markup, as news.example serves it (for tests and for
  // `load FILE.html`).
  static std::string ArticleHtml(std::string_view title,
                                 std::string_view hero_image);
  // fonts.googleapis.example's stylesheet.
  static std::string FontStylesheet();
  // The fetch() calls of the article's inline script, for the scenario path:
  // the host runs no script yet, so the demo replays them as scenario steps.
  static std::vector<scenario::Fetch> ScriptFetches(
      const std::string& document_id);

 private:
  struct Origin;

  // Starts the lab for every origin; false with *reason if it cannot run.
  bool StartLab(std::string* reason);

  const Options options_;
  // Declared before the origins: their servers live in its namespace and
  // must close before it goes.
  std::unique_ptr<net::LatencyLab> lab_;
  std::vector<std::unique_ptr<Origin>> origins_;
  std::string delay_description_;
  std::string connect_to_;
  std::string trusted_roots_pem_;
};

}  // namespace prewarm

#endif  // HOST_DEMO_SITE_H_
