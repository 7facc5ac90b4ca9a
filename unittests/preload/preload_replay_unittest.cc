// Preload cases through the real replay (local HTTPS origins, real pools):
// each scenario is written inline, run by ScenarioReplayer under one rule
// set, and checked on the report and on what the origins served.

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "host/scenario_replayer.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "proto/scenario_loader.h"

namespace prewarm {
namespace {

constexpr double kTimeScale = 4.0;

class PreloadReplayTest : public testing::Test {
 protected:
  // Replays `steps` (text format) on a page at https://html.example/.
  const ScenarioReplayer& Replay(
      const std::string& text,
      PreloadRuleSet rules = PreloadRuleSet::kPrewarm) {
    std::string scenario =
        absl::StrCat("name: \"case\"\n",
                     "steps { at_ms: 0 navigate { document: \"page\" url: "
                     "\"https://html.example/\" } }\n",
                     text);
    ScenarioLoader::Result loaded =
        ScenarioLoader::ParseTextProto(scenario, "case");
    EXPECT_TRUE(loaded.ok()) << loaded.error_message;
    ScenarioReplayer::Options options;
    options.time_scale = kTimeScale;
    options.preload_rules = rules;
    replayer_ = std::make_unique<ScenarioReplayer>(loaded.scenario, options);
    net::RunLoop run_loop;
    replayer_->Start([&](int error, const std::string& message) {
      EXPECT_EQ(net::OK, error) << message;
      run_loop.Quit();
    });
    run_loop.Run();
    return *replayer_;
  }

  int Served(const std::string& url) const {
    auto it = replayer_->requests_served().find(url);
    return it == replayer_->requests_served().end() ? 0 : it->second;
  }

  net::EventLoop loop_;
  std::unique_ptr<ScenarioReplayer> replayer_;
};

TEST_F(PreloadReplayTest, FontWithoutCrossOriginIsDownloadedTwice) {
  const report::Report& report = Replay(R"pb(
                                   steps {
                                     at_ms: 0
                                     preload {
                                       document: "page"
                                       url: "https://fonts.example/a.woff2"
                                       as: "font"
                                     }
                                   }
                                   steps {
                                     at_ms: 50
                                     fetch {
                                       document: "page"
                                       url: "https://fonts.example/a.woff2"
                                       mode: CORS
                                       destination: "font"
                                     }
                                   }
                                 )pb")
                                     .report();
  ASSERT_EQ(1, report.preloads_size());
  const report::PreloadRecord& preload = report.preloads(0);
  EXPECT_EQ("font", preload.destination());
  EXPECT_EQ("no-cors", preload.mode());
  EXPECT_EQ("include", preload.credentials());
  EXPECT_EQ(report::PreloadRecord::UNUSED, preload.outcome());
  EXPECT_NE(std::string::npos,
            preload.diagnostic().find("use crossorigin=anonymous"))
      << preload.diagnostic();
  EXPECT_EQ(2, Served("https://fonts.example/a.woff2"));
  EXPECT_EQ(1u, report.summary().duplicate_downloads());
}

TEST_F(PreloadReplayTest, FontWithCrossOriginIsReused) {
  const report::Report& report = Replay(R"pb(
                                   steps {
                                     at_ms: 0
                                     preload {
                                       document: "page"
                                       url: "https://fonts.example/a.woff2"
                                       as: "font"
                                       crossorigin: ANONYMOUS
                                     }
                                   }
                                   steps {
                                     at_ms: 50
                                     fetch {
                                       document: "page"
                                       url: "https://fonts.example/a.woff2"
                                       mode: CORS
                                       destination: "font"
                                     }
                                   }
                                 )pb")
                                     .report();
  EXPECT_EQ(report::PreloadRecord::REUSED, report.preloads(0).outcome());
  EXPECT_EQ(3u, report.preloads(0).reused_by_step());
  EXPECT_EQ(2u, report.requests(1).from_preload());
  EXPECT_EQ(1, Served("https://fonts.example/a.woff2"));
}

TEST_F(PreloadReplayTest, ConsumedOnceThenTheSecondFetchMakesItsOwn) {
  const report::Report& report = Replay(R"pb(
                                   steps {
                                     at_ms: 0
                                     preload {
                                       document: "page"
                                       url: "https://html.example/data"
                                       as: "fetch"
                                     }
                                   }
                                   steps {
                                     at_ms: 50
                                     fetch {
                                       document: "page"
                                       url: "https://html.example/data"
                                       credentials: INCLUDE
                                     }
                                   }
                                   steps {
                                     at_ms: 50
                                     fetch {
                                       document: "page"
                                       url: "https://html.example/data"
                                       credentials: INCLUDE
                                     }
                                   }
                                 )pb")
                                     .report();
  EXPECT_EQ(report::PreloadRecord::REUSED, report.preloads(0).outcome());
  EXPECT_EQ(2u, report.requests(1).from_preload());
  EXPECT_EQ(0u, report.requests(2).from_preload());
  EXPECT_EQ(2, Served("https://html.example/data"));
  // The second fetch found the preload consumed: not a duplicate of it.
  EXPECT_EQ(0u, report.summary().duplicate_downloads());
  EXPECT_EQ(1u, report.summary().preloads_reused());
}

TEST_F(PreloadReplayTest, AsMismatchNamesTheAsToUse) {
  const report::Report& report = Replay(R"pb(
                                   steps {
                                     at_ms: 0
                                     preload {
                                       document: "page"
                                       url: "https://html.example/data"
                                       as: "script"
                                     }
                                   }
                                   steps {
                                     at_ms: 50
                                     fetch {
                                       document: "page"
                                       url: "https://html.example/data"
                                       credentials: INCLUDE
                                     }
                                   }
                                 )pb")
                                     .report();
  EXPECT_EQ(report::PreloadRecord::UNUSED, report.preloads(0).outcome());
  EXPECT_NE(std::string::npos,
            report.preloads(0).diagnostic().find("use as=fetch"))
      << report.preloads(0).diagnostic();
  EXPECT_EQ(2, Served("https://html.example/data"));
}

TEST_F(PreloadReplayTest, InvalidAsAndBadUrlsAreIgnoredAndFetchNothing) {
  const report::Report& report =
      Replay(R"pb(
        steps {
          at_ms: 0
          preload {
            document: "page"
            url: "https://html.example/doc"
            as: "document"
          }
        }
        steps {
          at_ms: 0
          preload { document: "page" url: "" as: "fetch" }
        }
        steps {
          at_ms: 0
          preload { document: "page" url: "https://exa mple/" as: "fetch" }
        }
        steps {
          at_ms: 0
          preload { document: "page" url: "data:text/plain,hi" as: "fetch" }
        }
        steps {
          at_ms: 0
          preload { document: "page" url: "javascript:alert(1)" as: "fetch" }
        }
        steps {
          at_ms: 50
          fetch {
            document: "page"
            url: "https://html.example/doc"
            credentials: INCLUDE
          }
        }
      )pb")
          .report();
  ASSERT_EQ(5, report.preloads_size());
  for (const report::PreloadRecord& preload : report.preloads()) {
    SCOPED_TRACE(preload.url());
    EXPECT_EQ(report::PreloadRecord::IGNORED, preload.outcome());
    EXPECT_FALSE(preload.diagnostic().empty());
    EXPECT_EQ("", preload.mode());
  }
  EXPECT_NE(std::string::npos,
            report.preloads(0).diagnostic().find("fetches nothing"));
  EXPECT_NE(std::string::npos,
            report.preloads(3).diagnostic().find("only http(s)"));
  EXPECT_EQ(1, Served("https://html.example/doc"));
  EXPECT_EQ(0u, report.summary().duplicate_downloads());
}

TEST_F(PreloadReplayTest, IntegrityEqualReusesDifferentDownloadsTwice) {
  const report::Report& report = Replay(R"pb(
                                   steps {
                                     at_ms: 0
                                     preload {
                                       document: "page"
                                       url: "https://html.example/same.js"
                                       as: "script"
                                       integrity: "sha256-abc"
                                     }
                                   }
                                   steps {
                                     at_ms: 0
                                     preload {
                                       document: "page"
                                       url: "https://html.example/other.js"
                                       as: "script"
                                       integrity: "sha256-abc"
                                     }
                                   }
                                   steps {
                                     at_ms: 50
                                     fetch {
                                       document: "page"
                                       url: "https://html.example/same.js"
                                       destination: "script"
                                       credentials: INCLUDE
                                       integrity: "sha256-abc"
                                     }
                                   }
                                   steps {
                                     at_ms: 50
                                     fetch {
                                       document: "page"
                                       url: "https://html.example/other.js"
                                       destination: "script"
                                       credentials: INCLUDE
                                       integrity: "sha256-xyz"
                                     }
                                   }
                                 )pb")
                                     .report();
  EXPECT_EQ(report::PreloadRecord::REUSED, report.preloads(0).outcome());
  EXPECT_EQ(report::PreloadRecord::UNUSED, report.preloads(1).outcome());
  EXPECT_NE(std::string::npos,
            report.preloads(1).diagnostic().find("same integrity"))
      << report.preloads(1).diagnostic();
  EXPECT_EQ(1, Served("https://html.example/same.js"));
  EXPECT_EQ(2, Served("https://html.example/other.js"));
}

TEST_F(PreloadReplayTest, LatePreloadHoldsTheFetchUntilItsResponse) {
  const report::Report& report = Replay(R"pb(
                                   resources {
                                     url: "https://html.example/slow"
                                     cache_control: "no-store"
                                     delay_ms: 400
                                   }
                                   steps {
                                     at_ms: 0
                                     preload {
                                       document: "page"
                                       url: "https://html.example/slow"
                                       as: "fetch"
                                     }
                                   }
                                   steps {
                                     at_ms: 100
                                     fetch {
                                       document: "page"
                                       url: "https://html.example/slow"
                                       credentials: INCLUDE
                                     }
                                   }
                                 )pb")
                                     .report();
  EXPECT_EQ(report::PreloadRecord::REUSED, report.preloads(0).outcome());
  EXPECT_EQ(1, Served("https://html.example/slow"));
  // It waited for the rest of the delay (and sent nothing itself). Half of
  // it as the bound: the fetch's own step may fire late on a busy machine.
  EXPECT_GE(report.requests(1).total_ms(), (400 - 100) / kTimeScale / 2);
}

TEST_F(PreloadReplayTest, NoStoreIsReusedWithoutHeadersButNotWithThem) {
  const std::string steps = R"pb(
    resources { url: "https://html.example/a" cache_control: "no-store" }
    resources { url: "https://html.example/b" cache_control: "no-store" }
    steps {
      at_ms: 0
      preload { document: "page" url: "https://html.example/a" as: "fetch" }
    }
    steps {
      at_ms: 0
      preload { document: "page" url: "https://html.example/b" as: "fetch" }
    }
    steps {
      at_ms: 100
      fetch {
        document: "page"
        url: "https://html.example/a"
        credentials: INCLUDE
      }
    }
    steps {
      at_ms: 100
      fetch {
        document: "page"
        url: "https://html.example/b"
        credentials: INCLUDE
        headers { name: "X-Custom-Header" value: "1" }
      }
    }
  )pb";
  const report::Report& report = Replay(steps).report();
  EXPECT_EQ(report::PreloadRecord::REUSED, report.preloads(0).outcome());
  EXPECT_EQ(report::PreloadRecord::UNUSED, report.preloads(1).outcome());
  EXPECT_NE(std::string::npos,
            report.preloads(1).diagnostic().find("Cache-Control: no-store"))
      << report.preloads(1).diagnostic();
  EXPECT_EQ(1, Served("https://html.example/a"));
  EXPECT_EQ(2, Served("https://html.example/b"));
}

TEST_F(PreloadReplayTest, VaryOnTheCustomHeaderKeepsPrewarmAndFirefoxApart) {
  const std::string steps = R"pb(
    resources {
      url: "https://html.example/v"
      cache_control: "public, max-age=60"
      vary: "X-Custom-Header"
    }
    steps {
      at_ms: 0
      preload { document: "page" url: "https://html.example/v" as: "fetch" }
    }
    steps {
      at_ms: 100
      fetch {
        document: "page"
        url: "https://html.example/v"
        credentials: INCLUDE
        headers { name: "X-Custom-Header" value: "1" }
      }
    }
  )pb";
  for (PreloadRuleSet rules :
       {PreloadRuleSet::kPrewarm, PreloadRuleSet::kFirefox}) {
    SCOPED_TRACE(PreloadRuleSetToString(rules));
    const report::Report& report = Replay(steps, rules).report();
    EXPECT_EQ(report::PreloadRecord::UNUSED, report.preloads(0).outcome());
    EXPECT_NE(std::string::npos, report.preloads(0).diagnostic().find("Vary"))
        << report.preloads(0).diagnostic();
    EXPECT_EQ(2, Served("https://html.example/v"));
  }
  // Chrome ignores headers and Vary alike.
  const report::Report& chrome =
      Replay(steps, PreloadRuleSet::kChrome).report();
  EXPECT_EQ(report::PreloadRecord::REUSED, chrome.preloads(0).outcome());
}

TEST_F(PreloadReplayTest, UnusedPreloadAfterTheLoadEventSaysSo) {
  const report::Report& report =
      Replay(R"pb(
        steps {
          at_ms: 0
          preload {
            document: "page"
            url: "https://html.example/never"
            as: "image"
          }
        }
        steps {
          at_ms: 10
          load_event { document: "page" }
        }
        steps {
          at_ms: 3100
          dns_prefetch { document: "page" url: "https://html.example/" }
        }
      )pb")
          .report();
  EXPECT_EQ(report::PreloadRecord::UNUSED, report.preloads(0).outcome());
  EXPECT_NE(std::string::npos, report.preloads(0).diagnostic().find(
                                   "not used within 3 s after the load event"))
      << report.preloads(0).diagnostic();
}

TEST_F(PreloadReplayTest, PreloadTakesThePreconnectedSocket) {
  const report::Report& report =
      Replay(R"pb(
        steps {
          at_ms: 0
          preconnect {
            document: "page"
            url: "https://api.example"
            crossorigin: ANONYMOUS
          }
        }
        steps {
          at_ms: 200
          preload {
            document: "page"
            url: "https://api.example/data"
            as: "fetch"
            crossorigin: ANONYMOUS
          }
        }
        steps {
          at_ms: 300
          fetch { document: "page" url: "https://api.example/data" mode: CORS }
        }
      )pb")
          .report();
  ASSERT_EQ(1, report.preconnects_size());
  ASSERT_EQ(1, report.preconnects(0).sockets_size());
  EXPECT_EQ(report::PreconnectedSocket::USED,
            report.preconnects(0).sockets(0).outcome());
  EXPECT_EQ(3u, report.preconnects(0).sockets(0).used_by_step());
  EXPECT_EQ(report::PreloadRecord::REUSED, report.preloads(0).outcome());
}

}  // namespace
}  // namespace prewarm
