// The two experiments of seed 003 ("Preload As Fetch, In Practice"),
// replayed for real: unittests/data/preload/experiment1.textproto (the 36
// preload/fetch option pairs) and experiment2.textproto (a fetch() with a
// custom header, cacheable or not), each run by ScenarioReplayer under all
// five preload rule sets against local HTTPS origins. The Firefox, Chrome and
// Safari columns are the browsers' observed outcomes from
// ../shared/reference/preload-matching-facts.md; the spec and prewarm
// columns are derived by hand from docs/preload-matching.md section 3. Each
// row checks the report (REUSED and the consuming step, or UNUSED with a
// duplicate download) and what the origin actually served (one response or
// two).

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "host/scenario_replayer.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "preload/preload_rules.h"
#include "proto/scenario_loader.h"

namespace prewarm {
namespace {

constexpr double kTimeScale = 4.0;

// One row: reused (true) or downloaded twice, per rule set, in the order of
// kAllPreloadRuleSets (prewarm, spec, chrome, firefox, safari).
struct Row {
  const char* what;
  std::array<bool, 5> reused;
};

constexpr bool Y = true;
constexpr bool N = false;

// Experiment 1, rows 1-36 in the order of the facts table.
//                                                prewarm spec chrome firefox
//                                                safari
constexpr std::array<Row, 36> kExperiment1 = {{
    {"Same none no-cors default", {Y, N, N, Y, Y}},
    {"Same none no-cors include", {Y, Y, Y, Y, Y}},
    {"Same none no-cors omit", {N, N, N, Y, N}},
    {"Same none cors default", {N, N, N, N, N}},
    {"Same none cors include", {N, N, N, N, N}},
    {"Same none cors omit", {N, N, N, N, N}},
    {"Same use-credentials no-cors default", {N, N, N, N, N}},
    {"Same use-credentials no-cors include", {N, N, N, N, N}},
    {"Same use-credentials no-cors omit", {N, N, N, N, N}},
    {"Same use-credentials cors default", {Y, N, N, N, N}},
    {"Same use-credentials cors include", {Y, Y, Y, Y, N}},
    {"Same use-credentials cors omit", {N, N, N, N, N}},
    {"Same anonymous no-cors default", {N, N, N, N, N}},
    {"Same anonymous no-cors include", {N, N, N, N, N}},
    {"Same anonymous no-cors omit", {N, N, N, N, N}},
    {"Same anonymous cors default", {Y, Y, Y, Y, N}},
    {"Same anonymous cors include", {Y, N, N, N, N}},
    {"Same anonymous cors omit", {N, N, N, Y, N}},
    {"Diff none no-cors default", {N, N, N, Y, N}},
    {"Diff none no-cors include", {Y, Y, Y, Y, N}},
    {"Diff none no-cors omit", {N, N, N, Y, N}},
    {"Diff none cors default", {N, N, N, N, N}},
    {"Diff none cors include", {N, N, N, N, N}},
    {"Diff none cors omit", {N, N, N, N, N}},
    {"Diff use-credentials no-cors default", {N, N, N, N, N}},
    {"Diff use-credentials no-cors include", {N, N, N, N, N}},
    {"Diff use-credentials no-cors omit", {N, N, N, N, N}},
    {"Diff use-credentials cors default", {N, N, N, N, N}},
    {"Diff use-credentials cors include", {Y, Y, Y, Y, Y}},
    {"Diff use-credentials cors omit", {N, N, N, N, N}},
    {"Diff anonymous no-cors default", {N, N, N, N, N}},
    {"Diff anonymous no-cors include", {N, N, N, N, N}},
    {"Diff anonymous no-cors omit", {N, N, N, N, N}},
    {"Diff anonymous cors default", {Y, Y, Y, Y, Y}},
    {"Diff anonymous cors include", {N, N, N, N, N}},
    {"Diff anonymous cors omit", {Y, N, N, Y, Y}},
}};

// Experiment 2: Chrome always reuses (waiting for the preload in flight),
// Firefox only a cacheable response, Safari and the spec never; prewarm as
// Firefox, deciding on the response headers.
constexpr std::array<Row, 4> kExperiment2 = {{
    {"Same, public max-age=10, X-Custom-Header", {Y, N, Y, Y, N}},
    {"Same, no-store, X-Custom-Header", {N, N, Y, N, N}},
    {"Diff, public max-age=10, X-Custom-Header", {Y, N, Y, Y, N}},
    {"Diff, no-store, X-Custom-Header", {N, N, Y, N, N}},
}};

struct Replays {
  std::vector<std::unique_ptr<ScenarioReplayer>> replayers;
};

// Runs `file` once per rule set, all at once on one loop.
void ReplayUnderEveryRuleSet(const std::string& file, Replays* replays) {
  ScenarioLoader::Result loaded = ScenarioLoader::LoadFile(
      absl::StrCat(PREWARM_SOURCE_ROOT, "unittests/data/preload/", file));
  ASSERT_TRUE(loaded.ok()) << loaded.error_message;
  int remaining = 0;
  net::RunLoop run_loop;
  for (PreloadRuleSet rules : kAllPreloadRuleSets) {
    ScenarioReplayer::Options options;
    options.time_scale = kTimeScale;
    options.preload_rules = rules;
    replays->replayers.push_back(
        std::make_unique<ScenarioReplayer>(loaded.scenario, options));
    ++remaining;
    replays->replayers.back()->Start(
        [&](int error, const std::string& message) {
          EXPECT_EQ(net::OK, error) << message;
          if (--remaining == 0)
            run_loop.Quit();
        });
  }
  run_loop.Run();
}

// The request record of the fetch for `url` (there is one per row).
const report::RequestRecord* FetchOf(const report::Report& report,
                                     const std::string& url) {
  for (const report::RequestRecord& request : report.requests()) {
    if (request.url() == url)
      return &request;
  }
  return nullptr;
}

template <size_t kRows>
void CheckRows(const Replays& replays, const std::array<Row, kRows>& rows) {
  for (size_t r = 0; r < kAllPreloadRuleSets.size(); ++r) {
    const ScenarioReplayer& replayer = *replays.replayers[r];
    const report::Report& report = replayer.report();
    EXPECT_EQ(PreloadRuleSetToString(kAllPreloadRuleSets[r]),
              report.preload_rules());
    ASSERT_EQ(static_cast<int>(kRows), report.preloads_size());
    uint32_t reused = 0;
    for (size_t i = 0; i < kRows; ++i) {
      const report::PreloadRecord& preload = report.preloads(i);
      SCOPED_TRACE(testing::Message()
                   << report.preload_rules() << " row " << i + 1 << " ("
                   << rows[i].what << ") " << preload.url());
      const report::RequestRecord* fetch = FetchOf(report, preload.url());
      ASSERT_NE(nullptr, fetch);
      auto served = replayer.requests_served().find(preload.url());
      ASSERT_NE(replayer.requests_served().end(), served);
      if (rows[i].reused[r]) {
        ++reused;
        EXPECT_EQ(report::PreloadRecord::REUSED, preload.outcome());
        EXPECT_EQ(fetch->step(), preload.reused_by_step());
        EXPECT_EQ(preload.step(), fetch->from_preload());
        EXPECT_EQ(1, served->second) << "one download";
        EXPECT_EQ("", preload.diagnostic());
      } else {
        EXPECT_EQ(report::PreloadRecord::UNUSED, preload.outcome());
        EXPECT_EQ(0u, fetch->from_preload());
        EXPECT_EQ(2, served->second) << "downloaded twice";
        // The diagnostic names the request that did not reuse it, and what
        // its download cost.
        EXPECT_NE(std::string::npos, preload.diagnostic().find(absl::StrCat(
                                         "step ", fetch->step(), ": ")))
            << preload.diagnostic();
        EXPECT_NE(std::string::npos,
                  preload.diagnostic().find("was downloaded twice"))
            << preload.diagnostic();
      }
    }
    EXPECT_EQ(reused, report.summary().preloads_reused());
    EXPECT_EQ(kRows - reused, report.summary().duplicate_downloads());
  }
}

TEST(PreloadExperimentsTest, Experiment1EveryRowUnderEveryRuleSet) {
  net::EventLoop loop;
  Replays replays;
  ReplayUnderEveryRuleSet("experiment1.textproto", &replays);
  ASSERT_EQ(kAllPreloadRuleSets.size(), replays.replayers.size());
  CheckRows(replays, kExperiment1);
}

TEST(PreloadExperimentsTest, Experiment2CustomHeadersUnderEveryRuleSet) {
  net::EventLoop loop;
  Replays replays;
  ReplayUnderEveryRuleSet("experiment2.textproto", &replays);
  ASSERT_EQ(kAllPreloadRuleSets.size(), replays.replayers.size());
  CheckRows(replays, kExperiment2);

  // Firefox waits for the preload to finish before it sends the second
  // request for the uncacheable response: that request ends no earlier than
  // the preload's delay after the fetch began waiting, plus its own delay.
  // The fetch starts 100 ms into the 500 ms delay; half of the wait is the
  // bound, since the fetch's own step may fire late on a busy machine.
  const double delay_ms = 500 / kTimeScale;
  const double waited_ms = (500 - 100) / kTimeScale;
  const report::Report& firefox = replays.replayers[3]->report();
  const report::Report& safari = replays.replayers[4]->report();
  for (const char* url : {"https://html.example/data?cache=false",
                          "https://api.example/data?cache=false"}) {
    SCOPED_TRACE(url);
    const report::RequestRecord* late = FetchOf(firefox, url);
    ASSERT_NE(nullptr, late);
    EXPECT_GE(late->total_ms(), waited_ms / 2 + delay_ms);
    // Safari sends its own request at once: it takes at least the delay.
    const report::RequestRecord* own = FetchOf(safari, url);
    ASSERT_NE(nullptr, own);
    EXPECT_GE(own->total_ms(), delay_ms);
  }
  // The no-store rows say which rule decided.
  const report::Report& prewarm = replays.replayers[0]->report();
  EXPECT_NE(std::string::npos,
            prewarm.preloads(1).diagnostic().find("Cache-Control: no-store"))
      << prewarm.preloads(1).diagnostic();
  EXPECT_NE(std::string::npos,
            safari.preloads(0).diagnostic().find("author headers"))
      << safari.preloads(0).diagnostic();
}

}  // namespace
}  // namespace prewarm
