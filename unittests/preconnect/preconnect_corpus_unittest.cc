// Runs the decision layer over the scenario corpus (unittests/data/scenarios)
// and checks every preconnect's purpose and group, and every request's group,
// against the hand-derived expectations, under each policy. No sockets: this
// checks which group things go to, not what became of them.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "net/base/origin.h"
#include "preconnect/learned_preconnect_corrections.h"
#include "preconnect/preconnect_decision.h"
#include "privacy/document_registry.h"
#include "privacy/privacy_decider.h"
#include "proto/scenario_conversions.h"
#include "proto/scenario_expectations.pb.h"
#include "proto/scenario_loader.h"

namespace prewarm {
namespace {

const std::string kCorpus =
    std::string(PREWARM_SOURCE_ROOT) + "/unittests/data/scenarios";

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> CorpusScenarioNames() {
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

void ExpectGroup(const scenario::ExpectedGroup& expected,
                 const report::Group& actual) {
  EXPECT_EQ(actual.scheme(), expected.scheme());
  EXPECT_EQ(actual.host(), expected.host());
  EXPECT_EQ(actual.port(), expected.port());
  EXPECT_EQ(report::Group::PrivacyMode_Name(actual.privacy_mode()),
            expected.privacy_mode());
  EXPECT_EQ(actual.top_frame_site(), expected.top_frame_site());
  EXPECT_EQ(actual.is_cross_site(), expected.is_cross_site());
}

// The decision-layer half of a replay: documents, cookie settings, the policy's
// decider, and the learned correction fed by real requests (section 7).
class DecisionReplay {
 public:
  DecisionReplay(const scenario::Scenario& scenario, PreconnectPolicy policy)
      : policy_(policy),
        cookie_settings_(
            CookieSettingsFromScenario(scenario.cookie_settings())),
        decider_(&cookie_settings_,
                 PrivacyOptionsFor(
                     policy,
                     !scenario.pool_config().has_partition_connections() ||
                         scenario.pool_config().partition_connections())) {}

  void Run(const scenario::Scenario& scenario,
           const scenario::PolicyExpectation& expected) {
    for (int i = 0; i < scenario.steps_size(); ++i) {
      const scenario::Step& step = scenario.steps(i);
      uint32_t number = i + 1;
      SCOPED_TRACE(testing::Message() << "step " << number);
      absl::Time now = absl::UnixEpoch() + absl::Milliseconds(step.at_ms());
      switch (step.action_case()) {
        case scenario::Step::kNavigate:
          Navigate(step.navigate(), Request(expected, number), now);
          break;
        case scenario::Step::kLoadEvent:
          registry_.OnLoadEvent(step.load_event().document());
          break;
        case scenario::Step::kPreconnect:
          Preconnect(step.preconnect(), Preconnect(expected, number), now);
          break;
        case scenario::Step::kFetch:
          Fetch(step.fetch(), Request(expected, number), now);
          break;
        // Preloads are requests for the preload layer; the corpus has
        // none, and a decision-only replay would not key them.
        case scenario::Step::kPreload:
        case scenario::Step::kDnsPrefetch:
        case scenario::Step::ACTION_NOT_SET:
          break;
      }
    }
  }

 private:
  static const scenario::RequestExpectation* Request(
      const scenario::PolicyExpectation& expected,
      uint32_t step) {
    for (const auto& request : expected.requests()) {
      if (request.step() == step)
        return &request;
    }
    ADD_FAILURE() << "no expectation for the request";
    return nullptr;
  }

  static const scenario::PreconnectExpectation* Preconnect(
      const scenario::PolicyExpectation& expected,
      uint32_t step) {
    for (const auto& preconnect : expected.preconnects()) {
      if (preconnect.step() == step)
        return &preconnect;
    }
    ADD_FAILURE() << "no expectation for the preconnect";
    return nullptr;
  }

  void Navigate(const scenario::Navigate& navigate,
                const scenario::RequestExpectation* expected,
                absl::Time now) {
    net::Url url = net::Url::Parse(navigate.url());
    const Document* parent =
        navigate.parent().empty() ? nullptr : registry_.Find(navigate.parent());
    RequestPartition partition = decider_.PrivacyModeFor(
        parent ? RequestContext::SubframeNavigation(*parent, url)
               : RequestContext::MainFrameNavigation(url));
    if (expected)
      ExpectGroup(expected->group(), ReportGroupFor(url, partition));
    // A frame's navigation belongs to its page; a main-frame navigation is
    // learned by the page it leaves.
    const Document* page = parent ? parent : registry_.main_frame();
    if (page) {
      learned_.RecordRequest(page->top_frame_site(), net::Origin::Create(url),
                             parent ? PreconnectPurpose::kSubresource
                                    : PreconnectPurpose::kNavigation,
                             partition, now);
    }
    // A main-frame commit ends the page view: what it showed is learned now
    // (section 7 amendment), like NetworkContext does.
    if (!parent)
      learned_.EndPageView(now);
    DocumentRegistry::Result commit =
        parent ? registry_.CommitSubframe(navigate.document(), url,
                                          navigate.parent())
               : registry_.CommitMainFrame(navigate.document(), url);
    EXPECT_TRUE(commit.ok()) << commit.message;
  }

  void Fetch(const scenario::Fetch& fetch,
             const scenario::RequestExpectation* expected,
             absl::Time now) {
    const Document* document = registry_.Find(fetch.document());
    ASSERT_TRUE(document);
    net::Url url = net::Url::Parse(fetch.url());
    bool credentials =
        CredentialsAllowed(CredentialsModeFromScenario(fetch.credentials()),
                           net::Origin::Create(url), document->origin());
    RequestPartition partition = decider_.PrivacyModeFor(
        RequestContext::Subresource(*document, url, credentials));
    if (expected)
      ExpectGroup(expected->group(), ReportGroupFor(url, partition));
    learned_.RecordRequest(document->top_frame_site(), net::Origin::Create(url),
                           PreconnectPurpose::kSubresource, partition, now);
  }

  void Preconnect(const scenario::Preconnect& preconnect,
                  const scenario::PreconnectExpectation* expected,
                  absl::Time now) {
    PreconnectRequest request = PreconnectRequestFromScenario(preconnect);
    PreconnectTarget target = DecidePreconnectGroup(
        policy_, request, registry_.Find(request.document_id), decider_,
        &learned_, now);
    if (!expected)
      return;
    EXPECT_EQ(target.ignored(), expected->ignored()) << target.diagnostic;
    if (target.ignored()) {
      EXPECT_FALSE(target.diagnostic.empty());
      return;
    }
    EXPECT_EQ(PreconnectPurposeToString(target.purpose), expected->purpose());
    ExpectGroup(expected->group(),
                ReportGroupFor(target.url, target.partition));
  }

  const PreconnectPolicy policy_;
  DocumentRegistry registry_;
  CookieSettings cookie_settings_;
  PrivacyDecider decider_;
  LearnedPreconnectCorrections learned_;
};

class PreconnectCorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(PreconnectCorpusTest, GroupsMatchTheExpectationsUnderEveryPolicy) {
  ScenarioLoader::Result loaded =
      ScenarioLoader::LoadFile(kCorpus + "/" + GetParam());
  ASSERT_TRUE(loaded.ok()) << loaded.error_message;

  std::string stem = GetParam().substr(0, GetParam().rfind('.'));
  std::ifstream file(kCorpus + "/" + stem + ".expected.textproto");
  ASSERT_TRUE(file) << "no expectations for " << GetParam();
  std::stringstream text;
  text << file.rdbuf();
  scenario::ScenarioExpectations expectations;
  ASSERT_TRUE(
      google::protobuf::TextFormat::ParseFromString(text.str(), &expectations));
  ASSERT_EQ(expectations.policies_size(), 4);

  for (const scenario::PolicyExpectation& expected : expectations.policies()) {
    SCOPED_TRACE(expected.policy());
    std::optional<PreconnectPolicy> policy =
        PreconnectPolicyFromString(expected.policy());
    ASSERT_TRUE(policy);
    DecisionReplay replay(loaded.scenario, *policy);
    replay.Run(loaded.scenario, expected);
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus,
                         PreconnectCorpusTest,
                         ::testing::ValuesIn(CorpusScenarioNames()),
                         [](const auto& info) {
                           std::string name;
                           for (char c :
                                info.param.substr(0, info.param.rfind('.'))) {
                             name += std::isalnum(static_cast<unsigned char>(c))
                                         ? c
                                         : '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace prewarm
