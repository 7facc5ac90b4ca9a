#include "preload/preload_manager.h"

#include <any>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "privacy/document_registry.h"

namespace prewarm {
namespace {

using Resolution = PreloadManager::Resolution;

class EventLog : public PreloadObserver {
 public:
  void OnPreloadEvent(const PreloadEvent& event) override {
    events.push_back(event);
  }
  std::vector<PreloadEvent> events;
};

// The manager alone, on a mock-time loop: requests are not made, the test
// plays the network's part (headers, completion).
class PreloadManagerTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        documents_
            .CommitMainFrame("page", net::Url::Parse("https://html.example/"))
            .ok());
  }

  PreloadManager& Make(PreloadRuleSet rules) {
    manager_.emplace(PreloadManager::Options{rules, absl::Seconds(3)},
                     &documents_, &log_);
    return *manager_;
  }

  uint64_t Add(
      const std::string& url,
      const std::string& as = "fetch",
      CrossOriginAttribute crossorigin = CrossOriginAttribute::kAbsent) {
    uint64_t id = 0;
    PreloadKey key;
    std::string message;
    EXPECT_EQ(net::OK, manager_->AddPreload({"page", url, as, crossorigin, ""},
                                            &id, &key, &message))
        << message;
    return id;
  }

  int AddError(const std::string& document,
               const std::string& url,
               const std::string& as,
               std::string* message) {
    uint64_t id = 0;
    PreloadKey key;
    return manager_->AddPreload(
        {document, url, as, CrossOriginAttribute::kAbsent, ""}, &id, &key,
        message);
  }

  static PreloadConsumer Fetch(const std::string& url) {
    PreloadConsumer consumer;
    consumer.url = net::Url::Parse(url);
    consumer.settings = {RequestMode::kNoCors, CredentialsMode::kInclude};
    consumer.same_origin = true;
    return consumer;
  }

  // Matches and collects the resolution (posted or later).
  void Match(const PreloadConsumer& consumer, std::optional<Resolution>* out) {
    manager_->Match("page", consumer, [out](Resolution resolution) {
      *out = std::move(resolution);
    });
  }

  net::EventLoop loop_{net::EventLoop::TimeSource::kMockTime};
  DocumentRegistry documents_;
  EventLog log_;
  std::optional<PreloadManager> manager_;
};

TEST_F(PreloadManagerTest, BadInputIsRefusedWithACodeAndAMessage) {
  Make(PreloadRuleSet::kPrewarm);
  std::string message;
  EXPECT_EQ(net::ERR_UNKNOWN_DOCUMENT,
            AddError("nope", "https://html.example/a", "fetch", &message));
  EXPECT_NE(std::string::npos, message.find("nope"));
  EXPECT_EQ(net::ERR_INVALID_URL, AddError("page", "", "fetch", &message));
  EXPECT_NE(net::OK, AddError("page", "https://exa mple/", "fetch", &message));
  EXPECT_EQ(net::ERR_DISALLOWED_URL_SCHEME,
            AddError("page", "data:text/plain,hi", "fetch", &message));
  EXPECT_EQ(net::ERR_DISALLOWED_URL_SCHEME,
            AddError("page", "javascript:alert(1)", "fetch", &message));
  EXPECT_EQ(net::ERR_DISALLOWED_URL_SCHEME,
            AddError("page", "wss://html.example/s", "fetch", &message));
  EXPECT_EQ(net::ERR_INVALID_ARGUMENT,
            AddError("page", "https://html.example/a", "document", &message));
  EXPECT_NE(std::string::npos, message.find("as=\"document\""));
  EXPECT_EQ(0u, manager_->preload_count("page"));
}

TEST_F(PreloadManagerTest, TooManyPreloadsAreRefused) {
  Make(PreloadRuleSet::kPrewarm);
  for (size_t i = 0; i < PreloadManager::kMaxPreloadsPerDocument; ++i)
    Add("https://html.example/" + std::to_string(i));
  std::string message;
  EXPECT_EQ(net::ERR_INSUFFICIENT_RESOURCES,
            AddError("page", "https://html.example/more", "fetch", &message));
}

TEST_F(PreloadManagerTest, ConsumedAtMostOnce) {
  Make(PreloadRuleSet::kPrewarm);
  uint64_t id = Add("https://html.example/a");
  manager_->OnResponseComplete(id, net::OK, std::string("body"));
  std::optional<Resolution> first, second;
  Match(Fetch("https://html.example/a"), &first);
  Match(Fetch("https://html.example/a"), &second);
  EXPECT_FALSE(first) << "never from inside Match()";
  loop_.RunUntilIdle();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(Resolution::Kind::kReused, first->kind);
  EXPECT_EQ(id, first->preload_id);
  EXPECT_EQ("body", std::any_cast<std::string>(first->response));
  EXPECT_FALSE(first->waited);
  EXPECT_EQ(Resolution::Kind::kNoPreload, second->kind);
  ASSERT_EQ(1u, log_.events.size());
  EXPECT_EQ(PreloadEvent::Kind::kConsumed, log_.events[0].kind);
}

TEST_F(PreloadManagerTest, LatePreloadHoldsItsConsumerUntilTheResponse) {
  Make(PreloadRuleSet::kChrome);
  uint64_t id = Add("https://html.example/a");
  std::optional<Resolution> resolution;
  Match(Fetch("https://html.example/a"), &resolution);
  loop_.RunUntilIdle();
  EXPECT_FALSE(resolution);
  // A second request may not wait for the same preload.
  std::optional<Resolution> other;
  Match(Fetch("https://html.example/a"), &other);
  loop_.RunUntilIdle();
  ASSERT_TRUE(other);
  EXPECT_EQ(Resolution::Kind::kNoPreload, other->kind);
  manager_->OnResponseHeaders(id, 200, {}, absl::Now());
  EXPECT_FALSE(resolution);
  manager_->OnResponseComplete(id, net::OK, std::string("late"));
  ASSERT_TRUE(resolution);
  EXPECT_EQ(Resolution::Kind::kReused, resolution->kind);
  EXPECT_TRUE(resolution->waited);
}

TEST_F(PreloadManagerTest, FailedPreloadSendsItsWaiterOnItsWay) {
  Make(PreloadRuleSet::kPrewarm);
  uint64_t id = Add("https://html.example/a");
  std::optional<Resolution> resolution;
  Match(Fetch("https://html.example/a"), &resolution);
  manager_->OnResponseComplete(id, net::ERR_CONNECTION_REFUSED, {});
  ASSERT_TRUE(resolution);
  EXPECT_EQ(Resolution::Kind::kNoPreload, resolution->kind);
}

TEST_F(PreloadManagerTest, PrewarmDecidesOnHeadersWithoutWaitingForTheBody) {
  Make(PreloadRuleSet::kPrewarm);
  uint64_t id = Add("https://html.example/a");
  PreloadConsumer consumer = Fetch("https://html.example/a");
  consumer.headers = {{"X-Custom-Header", "1"}};
  std::optional<Resolution> resolution;
  Match(consumer, &resolution);
  loop_.RunUntilIdle();
  EXPECT_FALSE(resolution);
  manager_->OnResponseHeaders(id, 200, {{"Cache-Control", "no-store"}},
                              absl::Now());
  ASSERT_TRUE(resolution) << "decided before the body";
  EXPECT_EQ(Resolution::Kind::kOwnRequest, resolution->kind);
  EXPECT_EQ(PreloadMismatch::kCacheability, resolution->field);
  EXPECT_NE(std::string::npos, resolution->diagnostic.find("no-store"));
}

TEST_F(PreloadManagerTest, VaryOnTheConsumersHeaderKeepsItFromThePreload) {
  Make(PreloadRuleSet::kPrewarm);
  uint64_t id = Add("https://html.example/a");
  manager_->OnResponseHeaders(
      id, 200, {{"Cache-Control", "max-age=60"}, {"Vary", "X-Custom-Header"}},
      absl::Now());
  manager_->OnResponseComplete(id, net::OK, std::string());
  PreloadConsumer consumer = Fetch("https://html.example/a");
  consumer.headers = {{"x-custom-header", "1"}};
  std::optional<Resolution> resolution;
  Match(consumer, &resolution);
  loop_.RunUntilIdle();
  ASSERT_TRUE(resolution);
  EXPECT_EQ(PreloadMismatch::kVary, resolution->field);
  // The preload stays for a request it can serve.
  std::optional<Resolution> plain;
  Match(Fetch("https://html.example/a"), &plain);
  loop_.RunUntilIdle();
  ASSERT_TRUE(plain);
  EXPECT_EQ(Resolution::Kind::kReused, plain->kind);
}

TEST_F(PreloadManagerTest, UnusedPreloadIsReportedThreeSecondsAfterLoad) {
  Make(PreloadRuleSet::kPrewarm);
  uint64_t used = Add("https://html.example/used");
  Add("https://html.example/unused", "image");
  manager_->OnResponseComplete(used, net::OK, std::string());
  std::optional<Resolution> resolution;
  Match(Fetch("https://html.example/used"), &resolution);
  loop_.RunUntilIdle();
  manager_->OnLoadEvent("page");
  loop_.FastForwardBy(absl::Milliseconds(2999));
  EXPECT_EQ(1u, log_.events.size());
  loop_.FastForwardBy(absl::Milliseconds(1));
  ASSERT_EQ(2u, log_.events.size());
  EXPECT_EQ(PreloadEvent::Kind::kUnusedAfterLoad, log_.events[1].kind);
  EXPECT_EQ("https://html.example/unused", log_.events[1].url);
  EXPECT_NE(std::string::npos,
            log_.events[1].diagnostic.find("within 3 s after the load event"));
}

TEST_F(PreloadManagerTest, PreloadsEndWithTheirDocument) {
  Make(PreloadRuleSet::kPrewarm);
  Add("https://html.example/a");
  std::optional<Resolution> resolution;
  Match(Fetch("https://html.example/a"), &resolution);
  ASSERT_TRUE(
      documents_
          .CommitMainFrame("next", net::Url::Parse("https://other.example/"))
          .ok());
  ASSERT_TRUE(resolution);
  EXPECT_EQ(Resolution::Kind::kNoPreload, resolution->kind);
  EXPECT_EQ(0u, manager_->preload_count("page"));
}

}  // namespace
}  // namespace prewarm
