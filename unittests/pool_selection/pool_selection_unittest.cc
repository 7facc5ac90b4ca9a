// The scenario corpus (unittests/data/scenarios) through the real replay: for
// every scenario, ScenarioReplayer runs it under each of the four policies -
// real sockets, real TLS, local origins - and the report is compared with the
// hand-derived <name>.expected.textproto: every preconnect's purpose, group,
// socket outcomes (as a multiset) and stranded flag, every request's group
// and socket type, and the summary counts. Also the replay command's bad-input
// paths.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "host/scenario_replayer.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "preconnect/preconnect_policy.h"
#include "proto/report.pb.h"
#include "proto/scenario_expectations.pb.h"
#include "proto/scenario_loader.h"
#include "shell/replay_command.h"

namespace prewarm {
namespace {

const std::string kCorpus =
    std::string(PREWARM_SOURCE_ROOT) + "/unittests/data/scenarios";

// Fast enough that the corpus takes seconds (about 5 s: the four policies of
// a scenario run at once), slow enough that the scaled gaps - >= 100 ms (25
// ms here) between a preconnect and the request meant to use it, >= 200 ms
// (50 ms) around a timeout - stay far above a loopback TLS handshake, even
// under ASan. The pool's timeouts shrink by the same factor.
constexpr double kTimeScale = 4.0;

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> CorpusScenarioFiles() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kCorpus)) {
    std::string name = entry.path().filename().string();
    if (EndsWith(name, ".expected.textproto"))
      continue;
    if (EndsWith(name, ".textproto") || EndsWith(name, ".json"))
      names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string Stem(const std::string& file) {
  return file.substr(0, file.rfind('.'));
}

bool LoadExpectations(const std::string& stem,
                      scenario::ScenarioExpectations* expectations) {
  std::ifstream in(kCorpus + "/" + stem + ".expected.textproto");
  std::stringstream text;
  text << in.rdbuf();
  return in && google::protobuf::TextFormat::ParseFromString(text.str(),
                                                             expectations);
}

void ExpectGroup(const scenario::ExpectedGroup& expected,
                 const report::Group& actual) {
  EXPECT_EQ(expected.scheme(), actual.scheme());
  EXPECT_EQ(expected.host(), actual.host());
  EXPECT_EQ(expected.port(), actual.port());
  EXPECT_EQ(expected.privacy_mode(),
            report::Group::PrivacyMode_Name(actual.privacy_mode()));
  EXPECT_EQ(expected.top_frame_site(), actual.top_frame_site());
  EXPECT_EQ(expected.is_cross_site(), actual.is_cross_site());
}

void ExpectReport(const scenario::PolicyExpectation& expected,
                  const report::Report& actual) {
  ASSERT_EQ(expected.preconnects_size(), actual.preconnects_size());
  for (int i = 0; i < expected.preconnects_size(); ++i) {
    const scenario::PreconnectExpectation& want = expected.preconnects(i);
    const report::PreconnectRecord& got = actual.preconnects(i);
    SCOPED_TRACE(testing::Message() << "preconnect step " << want.step());
    EXPECT_EQ(want.step(), got.step());
    EXPECT_EQ(want.purpose().empty() ? "PURPOSE_UNKNOWN" : want.purpose(),
              scenario::Purpose_Name(got.purpose()));
    EXPECT_EQ(want.has_group(), got.has_group());
    if (want.has_group())
      ExpectGroup(want.group(), got.group());
    if (want.ignored()) {
      EXPECT_FALSE(got.diagnostic().empty());
    }
    EXPECT_EQ(want.downgraded(), got.downgraded()) << got.diagnostic();
    if (got.downgraded()) {
      EXPECT_FALSE(got.diagnostic().empty());
    }
    if (!want.purpose_source().empty()) {
      EXPECT_EQ(want.purpose_source(), got.purpose_source());
    }
    std::vector<std::tuple<std::string, uint32_t, std::string>> want_sockets,
        got_sockets;
    for (int j = 0; j < want.socket_outcomes_size(); ++j) {
      want_sockets.emplace_back(
          want.socket_outcomes(j),
          j < want.used_by_step_size() ? want.used_by_step(j) : 0,
          j < want.late_bound_to_size() ? want.late_bound_to(j) : "");
    }
    for (const report::PreconnectedSocket& socket : got.sockets()) {
      got_sockets.emplace_back(
          report::PreconnectedSocket::Outcome_Name(socket.outcome()),
          socket.used_by_step(), socket.late_bound_to());
    }
    std::sort(want_sockets.begin(), want_sockets.end());
    std::sort(got_sockets.begin(), got_sockets.end());
    EXPECT_EQ(want_sockets, got_sockets);
    EXPECT_EQ(want.stranded(), got.stranded()) << got.diagnostic();
    if (got.stranded()) {
      EXPECT_FALSE(got.diagnostic().empty());
    }
  }

  ASSERT_EQ(expected.requests_size(), actual.requests_size());
  for (int i = 0; i < expected.requests_size(); ++i) {
    const scenario::RequestExpectation& want = expected.requests(i);
    const report::RequestRecord& got = actual.requests(i);
    SCOPED_TRACE(testing::Message() << "request step " << want.step());
    EXPECT_EQ(want.step(), got.step());
    ExpectGroup(want.group(), got.group());
    EXPECT_EQ(want.socket(), report::RequestRecord::Socket_Name(got.socket()));
  }

  const scenario::ExpectedSummary& want = expected.summary();
  const report::Summary& got = actual.summary();
  EXPECT_EQ(want.preconnected_sockets(), got.preconnected_sockets());
  EXPECT_EQ(want.used(), got.used());
  EXPECT_EQ(want.stranded(), got.stranded());
  EXPECT_EQ(want.unused(), got.unused());
  EXPECT_EQ(want.late_bound(), got.late_bound());
  EXPECT_EQ(want.downgraded(), got.downgraded());
  if (want.has_wasted_handshakes()) {
    EXPECT_EQ(want.wasted_handshakes(), got.wasted_handshakes());
  }
}

class PoolSelectionCorpusTest : public testing::TestWithParam<std::string> {};

// The four policies of one scenario replay at the same time on one loop,
// each with its own servers and network context.
TEST_P(PoolSelectionCorpusTest, ReplayMatchesTheHandDerivedExpectations) {
  const std::string file = GetParam();
  ScenarioLoader::Result loaded =
      ScenarioLoader::LoadFile(kCorpus + "/" + file);
  ASSERT_TRUE(loaded.ok()) << loaded.error_message;
  scenario::ScenarioExpectations expectations;
  ASSERT_TRUE(LoadExpectations(Stem(file), &expectations));
  ASSERT_EQ(4, expectations.policies_size());

  net::EventLoop loop;
  std::vector<std::unique_ptr<ScenarioReplayer>> replayers;
  int remaining = 0;
  std::vector<int> errors(expectations.policies_size(), net::ERR_IO_PENDING);
  net::RunLoop run_loop;
  for (int i = 0; i < expectations.policies_size(); ++i) {
    std::optional<PreconnectPolicy> policy =
        PreconnectPolicyFromString(expectations.policies(i).policy());
    ASSERT_TRUE(policy) << expectations.policies(i).policy();
    replayers.push_back(std::make_unique<ScenarioReplayer>(
        loaded.scenario, ScenarioReplayer::Options{*policy, kTimeScale}));
    ++remaining;
    replayers.back()->Start([&, i](int error, const std::string& message) {
      errors[i] = error;
      EXPECT_EQ(net::OK, error) << message;
      if (--remaining == 0)
        run_loop.Quit();
    });
  }
  run_loop.Run();

  for (int i = 0; i < expectations.policies_size(); ++i) {
    SCOPED_TRACE(testing::Message()
                 << "policy " << expectations.policies(i).policy());
    ASSERT_EQ(net::OK, errors[i]);
    const report::Report& report = replayers[i]->report();
    EXPECT_EQ(expectations.scenario(), report.scenario());
    EXPECT_EQ(expectations.policies(i).policy(), report.policy());
    EXPECT_TRUE(replayers[i]->warnings().empty())
        << replayers[i]->warnings().front();
    ExpectReport(expectations.policies(i), report);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus,
                         PoolSelectionCorpusTest,
                         testing::ValuesIn(CorpusScenarioFiles()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string name = Stem(info.param);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(PoolSelectionCorpusFilesTest, EveryScenarioHasExpectations) {
  std::vector<std::string> files = CorpusScenarioFiles();
  EXPECT_EQ(37u, files.size());
  for (const std::string& file : files) {
    scenario::ScenarioExpectations expectations;
    EXPECT_TRUE(LoadExpectations(Stem(file), &expectations)) << file;
  }
}

// Runs `replay ARGS...` and captures its output.
struct CommandRun {
  int status = 0;
  std::string out;
  std::string err;
};

CommandRun RunReplayCommand(const std::vector<std::string>& args) {
  ReplayCommand command;
  std::ostringstream out, err;
  CommandRun run;
  run.status = command.Run(args, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

std::string WriteTempFile(const std::string& name, const std::string& text) {
  std::string path = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream(path) << text;
  return path;
}

TEST(ReplayCommandTest, MissingFileIsReportedAndNothingRuns) {
  CommandRun run = RunReplayCommand({"/nonexistent/scenario.textproto"});
  EXPECT_EQ(1, run.status);
  EXPECT_NE(std::string::npos, run.err.find("/nonexistent/scenario.textproto"))
      << run.err;
  EXPECT_TRUE(run.out.empty());
}

TEST(ReplayCommandTest, MalformedTextprotoNamesLineAndColumn) {
  std::string path = WriteTempFile(
      "prewarm_replay_malformed.textproto",
      "name: \"broken\"\nsteps { at_ms: 0 navigate { document: \"main\" }\n"
      "steps { at_ms: oops }\n");
  CommandRun run = RunReplayCommand({path});
  std::remove(path.c_str());
  EXPECT_EQ(1, run.status);
  // "<file>:3:..." - the line and column of the bad token.
  EXPECT_NE(std::string::npos, run.err.find(":3:")) << run.err;
  EXPECT_TRUE(run.out.empty());
}

TEST(ReplayCommandTest, UnknownPolicyIsAUsageError) {
  CommandRun run = RunReplayCommand(
      {kCorpus + "/fonts-crossorigin.textproto", "--policy=fastest"});
  EXPECT_EQ(2, run.status);
  EXPECT_NE(std::string::npos, run.err.find("unknown policy 'fastest'"))
      << run.err;
}

TEST(ReplayCommandTest, BadTimeScaleAndNoFilesAreUsageErrors) {
  EXPECT_EQ(2, RunReplayCommand(
                   {kCorpus + "/fonts-crossorigin.textproto", "--time-scale=0"})
                   .status);
  EXPECT_EQ(2, RunReplayCommand({"--json"}).status);
}

TEST(ReplayCommandTest, JsonOutputIsTheReportOfFormatMd) {
  CommandRun run =
      RunReplayCommand({kCorpus + "/fonts-crossorigin.textproto", "--json",
                        "--time-scale=8", "--policy=seed"});
  ASSERT_EQ(0, run.status) << run.err;
  report::Report report;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(run.out, &report).ok())
      << run.out;
  EXPECT_EQ("fonts-crossorigin", report.scenario());
  EXPECT_EQ("seed", report.policy());
  EXPECT_FALSE(report.preconnects().empty());
  // Field names as in FORMAT.md, defaults printed.
  EXPECT_NE(std::string::npos, run.out.find("\"used_by_step\""));
  EXPECT_NE(std::string::npos, run.out.find("\"strand_rate\""));
}

TEST(ReplayCommandTest, SeveralScenariosInJsonMakeAnArray) {
  CommandRun run =
      RunReplayCommand({kCorpus + "/fonts-crossorigin.textproto",
                        kCorpus + "/navigation-before-onload.textproto",
                        "--json", "--time-scale=8"});
  ASSERT_EQ(0, run.status) << run.err;
  ASSERT_FALSE(run.out.empty());
  EXPECT_EQ('[', run.out.front());
  google::protobuf::ListValue list;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(run.out, &list).ok());
  EXPECT_EQ(2, list.values_size());
}

}  // namespace
}  // namespace prewarm
