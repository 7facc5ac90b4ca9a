#include "net/log/net_log.h"

#include <set>

#include "gtest/gtest.h"
#include "net/event/event_loop.h"
#include "net/log/net_log_values.h"
#include "net/log/recording_net_log_observer.h"

namespace net {
namespace {

const NetLogSource kSource(NetLogSourceType::SOCKET, 7);

TEST(NetLogTest, ParamsAreNotBuiltWithoutObservers) {
  NetLog net_log;
  int calls = 0;
  net_log.AddEntry(NetLogEventType::TCP_CONNECT, kSource,
                   NetLogEventPhase::BEGIN, [&calls] {
                     ++calls;
                     return google::protobuf::Struct();
                   });
  EXPECT_FALSE(net_log.IsCapturing());
  EXPECT_EQ(calls, 0);
}

TEST(NetLogTest, ParamsAreBuiltOnceForAllObservers) {
  NetLog net_log;
  RecordingNetLogObserver first(&net_log);
  RecordingNetLogObserver second(&net_log);
  int calls = 0;
  net_log.AddEntry(NetLogEventType::TCP_CONNECT, kSource,
                   NetLogEventPhase::BEGIN, [&calls] {
                     ++calls;
                     return NetLogParamsWithString("address", "127.0.0.1:80");
                   });
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(first.GetSize(), 1u);
  ASSERT_EQ(second.GetSize(), 1u);
  EXPECT_EQ(second.GetEntries()[0].params.fields().at("address").string_value(),
            "127.0.0.1:80");
}

TEST(NetLogTest, ObserverSeesTypeSourcePhaseAndParams) {
  NetLog net_log;
  RecordingNetLogObserver observer(&net_log);
  net_log.AddEntry(NetLogEventType::SSL_CONNECT, kSource, NetLogEventPhase::END,
                   [] { return NetLogParamsWithInt("net_error", -107); });
  ASSERT_EQ(observer.GetSize(), 1u);
  const NetLogEntry& entry = observer.GetEntries()[0];
  EXPECT_EQ(entry.type, NetLogEventType::SSL_CONNECT);
  EXPECT_EQ(entry.source, kSource);
  EXPECT_EQ(entry.phase, NetLogEventPhase::END);
  EXPECT_EQ(entry.params.fields().at("net_error").number_value(), -107);
}

TEST(NetLogTest, RemovedObserverStopsReceiving) {
  NetLog net_log;
  RecordingNetLogObserver kept(&net_log);
  {
    RecordingNetLogObserver removed(&net_log);
    net_log.AddEntry(NetLogEventType::FAILED, kSource, NetLogEventPhase::NONE);
    EXPECT_EQ(removed.GetSize(), 1u);
    EXPECT_EQ(removed.net_log(), &net_log);
  }
  net_log.AddEntry(NetLogEventType::FAILED, kSource, NetLogEventPhase::NONE);
  EXPECT_EQ(kept.GetSize(), 2u);
  EXPECT_TRUE(net_log.IsCapturing());
}

TEST(NetLogTest, NextIdIsFreshAndNeverInvalid) {
  NetLog net_log;
  std::set<uint32_t> ids;
  for (int i = 0; i < 100; ++i) {
    const uint32_t id = net_log.NextID();
    EXPECT_NE(id, NetLogSource::kInvalidId);
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 100u);
}

TEST(NetLogTest, TimesComeFromTheEventLoopClock) {
  EventLoop loop(EventLoop::TimeSource::kMockTime);
  NetLog net_log;
  RecordingNetLogObserver observer(&net_log);
  net_log.AddEntry(NetLogEventType::CONNECT_JOB, kSource,
                   NetLogEventPhase::BEGIN);
  loop.FastForwardBy(absl::Seconds(5));
  net_log.AddEntry(NetLogEventType::CONNECT_JOB, kSource,
                   NetLogEventPhase::END);
  ASSERT_EQ(observer.GetSize(), 2u);
  EXPECT_EQ(observer.GetEntries()[0].time, loop.NowTicks() - absl::Seconds(5));
  EXPECT_EQ(observer.GetEntries()[1].time - observer.GetEntries()[0].time,
            absl::Seconds(5));
}

TEST(NetLogTest, GlobalNetLogIsOneInstance) {
  EXPECT_EQ(NetLog::Get(), NetLog::Get());
}

TEST(NetLogTest, RecordingObserverFiltersBySourceAndType) {
  NetLog net_log;
  RecordingNetLogObserver observer(&net_log);
  const NetLogSource other(NetLogSourceType::CONNECT_JOB, 8);
  net_log.AddEntry(NetLogEventType::TCP_CONNECT, kSource,
                   NetLogEventPhase::BEGIN);
  net_log.AddEntry(NetLogEventType::CONNECT_JOB, other,
                   NetLogEventPhase::BEGIN);
  net_log.AddEntry(NetLogEventType::TCP_CONNECT, kSource,
                   NetLogEventPhase::END);
  EXPECT_EQ(observer.GetEntriesForSource(kSource).size(), 2u);
  EXPECT_EQ(observer.GetEntriesForSource(other).size(), 1u);
  EXPECT_EQ(observer.GetEntriesWithType(NetLogEventType::CONNECT_JOB).size(),
            1u);
  observer.Clear();
  EXPECT_EQ(observer.GetSize(), 0u);
}

TEST(NetLogTest, TypeNamesComeFromTheLists) {
  EXPECT_STREQ(NetLogEventTypeToString(NetLogEventType::TCP_CONNECT),
               "TCP_CONNECT");
  EXPECT_STREQ(NetLogEventTypeToString(NetLogEventType::SOCKET_STRANDED),
               "SOCKET_STRANDED");
  EXPECT_STREQ(NetLogEventTypeToString(NetLogEventType::COUNT), "UNKNOWN");
  EXPECT_STREQ(NetLogSourceTypeToString(NetLogSourceType::SOCKET), "SOCKET");
  EXPECT_STREQ(NetLogSourceTypeToString(NetLogSourceType::COUNT), "UNKNOWN");
  EXPECT_STREQ(NetLogEventPhaseToString(NetLogEventPhase::BEGIN), "BEGIN");
  EXPECT_STREQ(NetLogEventPhaseToString(NetLogEventPhase::END), "END");
  EXPECT_STREQ(NetLogEventPhaseToString(NetLogEventPhase::NONE), "NONE");
}

}  // namespace
}  // namespace net
