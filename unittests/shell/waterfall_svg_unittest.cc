#include "shell/waterfall_svg.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "net/base/host_port_pair.h"

namespace prewarm {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

int Count(const std::string& text, const std::string& needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// A page with one request that paid for its own connection, one preconnect
// that served it, and one that was stranded; every time relative to t0.
class WaterfallSvgTest : public ::testing::Test {
 protected:
  absl::Time At(double ms) { return t0_ + absl::Milliseconds(ms); }

  PageLoadResult MakeResult() {
    PageLoadResult result;
    result.start = t0_;
    result.end = At(120);
    result.pages.push_back(
        {"https://news.example/", "page1", At(0), At(40), At(100)});

    LoadedRequest document;
    document.url = "https://news.example/";
    document.destination = "document";
    document.issued = At(0);
    document.finished = At(40);
    document.result.status_code = 200;
    document.result.group_id =
        net::GroupId("https", net::HostPortPair("news.example", 443),
                     net::PrivacyMode::kDisabled, {});
    net::LoadTimingInfo& timing = document.result.load_timing;
    timing.request_start = At(0);
    timing.connect_timing.domain_lookup_start = At(0);
    timing.connect_timing.domain_lookup_end = At(2);
    timing.connect_timing.connect_start = At(2);
    timing.connect_timing.ssl_start = At(4);
    timing.connect_timing.ssl_end = At(9);
    timing.connect_timing.connect_end = At(9);
    timing.send_start = At(9);
    timing.receive_headers_end = At(35);
    timing.response_end = At(40);
    result.requests.push_back(document);

    LoadedRequest font = document;
    font.url = "https://fonts.example/a.woff2";
    font.destination = "font";
    font.issued = At(50);
    font.finished = At(70);
    font.result.socket_reuse = SocketReuse::kPreconnected;
    font.result.preconnect_id = 1;
    font.result.load_timing = {};
    font.result.load_timing.request_start = At(50);
    font.result.load_timing.send_start = At(50);
    font.result.load_timing.receive_headers_end = At(65);
    font.result.load_timing.response_end = At(70);
    result.requests.push_back(font);

    LoadedHint used;
    used.hint = {PageHint::Kind::kPreconnect, "https://fonts.example", ""};
    used.issued = At(41);
    used.answered = At(42);
    used.result.group_id =
        net::GroupId("https", net::HostPortPair("fonts.example", 443),
                     net::PrivacyMode::kEnabledWithoutClientCerts, {});
    LoadedSocket socket;
    socket.id = 1;
    socket.outcome = net::PreconnectOutcome::kUsed;
    socket.used_by = 1;
    socket.phases = ConnectPhases{At(42), At(42), At(42), At(42),
                                  At(44), At(44), At(48), At(48)};
    used.sockets.push_back(socket);
    result.hints.push_back(used);

    LoadedHint stranded;
    stranded.hint = {PageHint::Kind::kPreconnect, "https://cdn.example",
                     std::nullopt};
    stranded.issued = At(41);
    stranded.answered = At(43);
    stranded.result.group_id =
        net::GroupId("https", net::HostPortPair("cdn.example", 443),
                     net::PrivacyMode::kDisabled, {});
    stranded.stranded = true;
    stranded.diagnostic =
        "warmed <with> credentials & \"quotes\": add "
        "crossorigin";
    socket.id = 2;
    socket.outcome = net::PreconnectOutcome::kIdle;
    socket.used_by = -1;
    socket.stranded = true;
    socket.strand_request_group =
        net::GroupId("https", net::HostPortPair("cdn.example", 443),
                     net::PrivacyMode::kEnabledWithoutClientCerts, {});
    stranded.sockets.push_back(socket);
    result.hints.push_back(stranded);
    result.warmed_sockets = 2;
    result.used_sockets = 1;
    result.stranded_sockets = 1;
    return result;
  }

  const absl::Time t0_ = absl::UnixEpoch() + absl::Hours(1);
};

TEST_F(WaterfallSvgTest, HasALegendForEveryPhaseAndTheLoadEvent) {
  std::string svg = RenderWaterfallSvg(MakeResult(), "A <title>");
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_THAT(svg, HasSubstr("</svg>"));
  for (const char* phase :
       {">queued<", ">dns<", ">connect<", ">tls<", ">waiting (ttfb)<",
        ">download<", ">stranded socket<", ">load event<"}) {
    EXPECT_THAT(svg, HasSubstr(phase)) << phase;
  }
  EXPECT_THAT(svg, HasSubstr("load event, page 1: 100.0 ms"));
  EXPECT_THAT(svg, HasSubstr("A &lt;title&gt;"));
  EXPECT_THAT(svg, HasSubstr("2 sockets warmed, 1 used, 1 stranded"));
}

TEST_F(WaterfallSvgTest, OneRowPerRequestAndPerPreconnectedSocket) {
  std::string svg = RenderWaterfallSvg(MakeResult(), "t");
  EXPECT_EQ(Count(svg, "<g>"), 4);
  EXPECT_EQ(Count(svg, "</g>"), 4);
  EXPECT_THAT(svg, HasSubstr("#1 document news.example/"));
  EXPECT_THAT(svg, HasSubstr("preconnect #1 fonts.example WOCC"));
  EXPECT_THAT(svg, HasSubstr("used by #2"));
  // The document paid for dns, connect and tls: all three colours appear in
  // its bars; the preconnected font request shows no connect phase of its
  // own, but waiting and download.
  EXPECT_THAT(svg, HasSubstr("fill=\"#1b9e77\""));
  EXPECT_THAT(svg, HasSubstr("fill=\"#e6a100\""));
  EXPECT_THAT(svg, HasSubstr("fill=\"#7b4fd0\""));
  EXPECT_THAT(svg, HasSubstr("fill=\"#3fa34d\""));
  EXPECT_THAT(svg, HasSubstr("fill=\"#2b7bd6\""));
}

TEST_F(WaterfallSvgTest, StrandedSocketIsRedWithItsDiagnosticEscaped) {
  std::string svg = RenderWaterfallSvg(MakeResult(), "t");
  EXPECT_THAT(svg, HasSubstr("STRANDED (privacy_mode differs"));
  EXPECT_THAT(svg, HasSubstr("stroke=\"#d7191c\""));
  const std::string escaped =
      "warmed &lt;with&gt; credentials &amp; &quot;quotes&quot;: add "
      "crossorigin";
  // In the row's tooltip and in the footer.
  EXPECT_EQ(Count(svg, escaped), 2);
  EXPECT_THAT(svg, Not(HasSubstr("<with>")));
}

// The cdn image paid for TCP and TLS itself while the cdn preconnect, ready
// since 48 ms, sat in another group, and it finished last: the waterfall
// outlines what the stranded socket would have spared (all of the image's
// handshakes) and says it was on the critical path.
TEST_F(WaterfallSvgTest, HandshakesAStrandedSocketWouldHaveSavedAreMarked) {
  PageLoadResult result = MakeResult();
  LoadedRequest image = result.requests[0];
  image.url = "https://cdn.example/hero.jpg";
  image.destination = "image";
  image.issued = At(50);
  image.finished = At(95);
  image.result.group_id =
      net::GroupId("https", net::HostPortPair("cdn.example", 443),
                   net::PrivacyMode::kEnabledWithoutClientCerts, {});
  net::LoadTimingInfo& timing = image.result.load_timing;
  timing.connect_timing.domain_lookup_start = At(50);
  timing.connect_timing.domain_lookup_end = At(50);
  timing.connect_timing.connect_start = At(50);
  timing.connect_timing.ssl_start = At(60);
  timing.connect_timing.ssl_end = At(70);
  timing.connect_timing.connect_end = At(70);
  timing.send_start = At(70);
  timing.receive_headers_end = At(90);
  timing.response_end = At(95);
  result.requests.push_back(image);
  const std::string svg = RenderWaterfallSvg(result, "t");
  EXPECT_THAT(svg, HasSubstr("NEW: TCP + TLS cost 2 round trips (20 ms), 20 "
                             "ms of them spared had it used stranded "
                             "preconnect #2, on the critical path"));
  EXPECT_EQ(Count(svg, "stroke-dasharray=\"2,1\""), 2);  // Legend + row.
  // The chain to the load event: the document, then the image.
  EXPECT_THAT(svg, HasSubstr("font-weight=\"bold\">#1 document"));
  EXPECT_THAT(svg, HasSubstr("font-weight=\"bold\">#3 image"));
  EXPECT_THAT(svg, Not(HasSubstr("font-weight=\"bold\">#2 font")));
}

// A stranded socket that became ready only when the request's own
// handshakes ended would have spared nothing: no mark.
TEST_F(WaterfallSvgTest, AStrandedSocketReadyNoSoonerIsNotACost) {
  PageLoadResult result = MakeResult();
  LoadedRequest image = result.requests[0];
  image.destination = "image";
  image.result.group_id =
      net::GroupId("https", net::HostPortPair("cdn.example", 443),
                   net::PrivacyMode::kEnabledWithoutClientCerts, {});
  image.issued = At(41);
  image.result.load_timing.connect_timing.connect_start = At(41);
  image.result.load_timing.connect_timing.ssl_end = At(48);
  result.requests.push_back(image);
  const std::string svg = RenderWaterfallSvg(result, "t");
  EXPECT_THAT(svg, Not(HasSubstr("spared had it used")));
  EXPECT_EQ(Count(svg, "stroke-dasharray=\"2,1\""), 1);  // The legend.
}

TEST_F(WaterfallSvgTest, EmptyResultStillRendersAValidFrame) {
  PageLoadResult result;
  result.start = t0_;
  std::string svg = RenderWaterfallSvg(result, "");
  EXPECT_THAT(svg, HasSubstr("</svg>"));
  EXPECT_EQ(Count(svg, "<g>"), 0);
}

TEST(EscapeXmlTest, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(EscapeXml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(EscapeXml("plain"), "plain");
}

}  // namespace
}  // namespace prewarm
