#include "net/log/net_log_with_source.h"

#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/log/recording_net_log_observer.h"

namespace net {
namespace {

class NetLogWithSourceTest : public testing::Test {
 protected:
  NetLog net_log_;
  RecordingNetLogObserver observer_{&net_log_};
};

TEST_F(NetLogWithSourceTest, MakeGivesDistinctValidSources) {
  const NetLogWithSource a =
      NetLogWithSource::Make(&net_log_, NetLogSourceType::SOCKET);
  const NetLogWithSource b =
      NetLogWithSource::Make(&net_log_, NetLogSourceType::SOCKET);
  EXPECT_TRUE(a.source().IsValid());
  EXPECT_EQ(a.source().type, NetLogSourceType::SOCKET);
  EXPECT_NE(a.source().id, b.source().id);
  EXPECT_EQ(a.net_log(), &net_log_);
  EXPECT_TRUE(a.IsCapturing());
}

TEST_F(NetLogWithSourceTest, SourceStartTimeIsWhenMakeWasCalled) {
  EventLoop loop(EventLoop::TimeSource::kMockTime);
  const absl::Time created = loop.NowTicks();
  const NetLogWithSource log =
      NetLogWithSource::Make(&net_log_, NetLogSourceType::SOCKET);
  loop.FastForwardBy(absl::Milliseconds(5));
  log.AddEvent(NetLogEventType::SOCKET_ALIVE);
  ASSERT_EQ(observer_.GetEntries().size(), 1u);
  const NetLogEntry& entry = observer_.GetEntries()[0];
  EXPECT_EQ(entry.source.start_time, created);
  EXPECT_EQ(entry.time, created + absl::Milliseconds(5));
}

TEST_F(NetLogWithSourceTest, BeginAndEndShareTypeAndSource) {
  const NetLogWithSource log =
      NetLogWithSource::Make(&net_log_, NetLogSourceType::CONNECT_JOB);
  log.BeginEvent(NetLogEventType::CONNECT_JOB);
  log.EndEvent(NetLogEventType::CONNECT_JOB);
  const auto& entries = observer_.GetEntries();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].phase, NetLogEventPhase::BEGIN);
  EXPECT_EQ(entries[1].phase, NetLogEventPhase::END);
  EXPECT_EQ(entries[0].type, entries[1].type);
  EXPECT_EQ(entries[0].source, log.source());
  EXPECT_EQ(entries[1].source, log.source());
  EXPECT_EQ(entries[0].params.fields_size(), 0);
}

TEST_F(NetLogWithSourceTest, NetErrorCodeOnlyForErrors) {
  const NetLogWithSource log =
      NetLogWithSource::Make(&net_log_, NetLogSourceType::SOCKET);
  log.AddEventWithNetErrorCode(NetLogEventType::TCP_CONNECT_ATTEMPT, OK);
  log.AddEventWithNetErrorCode(NetLogEventType::TCP_CONNECT_ATTEMPT,
                               ERR_CONNECTION_REFUSED);
  log.EndEventWithNetErrorCode(NetLogEventType::TCP_CONNECT,
                               ERR_CONNECTION_TIMED_OUT);
  log.EndEventWithNetErrorCode(NetLogEventType::SSL_CONNECT, OK);
  const auto& entries = observer_.GetEntries();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].params.fields_size(), 0);
  EXPECT_EQ(entries[1].params.fields().at("net_error").number_value(),
            ERR_CONNECTION_REFUSED);
  EXPECT_EQ(entries[2].phase, NetLogEventPhase::END);
  EXPECT_EQ(entries[2].params.fields().at("net_error").number_value(),
            ERR_CONNECTION_TIMED_OUT);
  EXPECT_EQ(entries[3].params.fields_size(), 0);
}

TEST_F(NetLogWithSourceTest, ReferencingSourceNamesTheOtherSource) {
  const NetLogWithSource pool =
      NetLogWithSource::Make(&net_log_, NetLogSourceType::SOCKET_POOL);
  const NetLogWithSource job =
      NetLogWithSource::Make(&net_log_, NetLogSourceType::CONNECT_JOB);
  pool.AddEventReferencingSource(
      NetLogEventType::SOCKET_POOL_BOUND_TO_CONNECT_JOB, job.source());
  job.BeginEventReferencingSource(NetLogEventType::CONNECT_JOB, pool.source());
  const auto& entries = observer_.GetEntries();
  ASSERT_EQ(entries.size(), 2u);
  const auto& dependency =
      entries[0].params.fields().at("source_dependency").struct_value();
  EXPECT_EQ(dependency.fields().at("type").number_value(),
            static_cast<int>(NetLogSourceType::CONNECT_JOB));
  EXPECT_EQ(dependency.fields().at("id").number_value(), job.source().id);
  EXPECT_EQ(entries[1].phase, NetLogEventPhase::BEGIN);
  EXPECT_EQ(entries[1]
                .params.fields()
                .at("source_dependency")
                .struct_value()
                .fields()
                .at("type")
                .number_value(),
            static_cast<int>(NetLogSourceType::SOCKET_POOL));
}

TEST_F(NetLogWithSourceTest, SingleFieldParams) {
  const NetLogWithSource log =
      NetLogWithSource::Make(&net_log_, NetLogSourceType::SOCKET);
  log.AddEventWithIntParams(NetLogEventType::SOCKET_BYTES_SENT, "byte_count",
                            1234);
  log.AddEventWithStringParams(NetLogEventType::PRECONNECT_OUTCOME, "outcome",
                               "USED");
  log.AddEventWithBoolParams(NetLogEventType::SSL_SESSION_RESUMED, "resumed",
                             true);
  const auto& entries = observer_.GetEntries();
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].params.fields().at("byte_count").number_value(), 1234);
  EXPECT_EQ(entries[1].params.fields().at("outcome").string_value(), "USED");
  EXPECT_TRUE(entries[2].params.fields().at("resumed").bool_value());
}

TEST_F(NetLogWithSourceTest, DefaultConstructedLogsNothing) {
  const NetLogWithSource log;
  EXPECT_FALSE(log.IsCapturing());
  EXPECT_FALSE(log.source().IsValid());
  int calls = 0;
  log.AddEvent(NetLogEventType::FAILED, [&calls] {
    ++calls;
    return google::protobuf::Struct();
  });
  log.AddEventWithNetErrorCode(NetLogEventType::FAILED, ERR_FAILED);
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(observer_.GetSize(), 0u);
}

TEST(NetLogWithSourceGlobalTest, MakeWithoutNetLogUsesTheGlobalOne) {
  RecordingNetLogObserver observer;
  const NetLogWithSource log =
      NetLogWithSource::Make(NetLogSourceType::PAGE_LOAD);
  EXPECT_EQ(log.net_log(), NetLog::Get());
  log.AddEvent(NetLogEventType::DOCUMENT_LOAD_EVENT);
  ASSERT_EQ(observer.GetSize(), 1u);
  EXPECT_EQ(observer.GetEntries()[0].source, log.source());
}

}  // namespace
}  // namespace net
