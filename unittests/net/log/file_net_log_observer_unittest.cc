#include "net/log/file_net_log_observer.h"

#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/log/net_log_values.h"
#include "net/log/net_log_with_source.h"

namespace net {
namespace {

// What catapult's netlog_viewer checks before it shows a file
// (LogUtil.loadLogDump): valid constants of format version 1, an events
// list, and events it can name, each with a source object, a string time, an
// event type and a source type that the constants name, and a known phase.
// It also follows source_dependency params to the source they name. Returns
// how many events it would drop.
int EventsTheViewerWouldDrop(const google::protobuf::Struct& document) {
  const auto& constants = document.fields().at("constants").struct_value();
  EXPECT_EQ(constants.fields().at("logFormatVersion").number_value(), 1);
  const auto names = [&](const char* table) {
    std::map<int, std::string> by_number;
    for (const auto& [name, value] :
         constants.fields().at(table).struct_value().fields()) {
      by_number[static_cast<int>(value.number_value())] = name;
    }
    return by_number;
  };
  const auto event_names = names("logEventTypes");
  const auto source_names = names("logSourceType");
  const auto phase_names = names("logEventPhase");
  const auto named = [](const std::map<int, std::string>& table,
                        const google::protobuf::Value& value) {
    return value.has_number_value() &&
           table.count(static_cast<int>(value.number_value())) == 1;
  };
  int dropped = 0;
  for (const auto& value :
       document.fields().at("events").list_value().values()) {
    const auto& event = value.struct_value().fields();
    const bool valid =
        event.count("source") && event.at("source").has_struct_value() &&
        event.count("time") && event.at("time").has_string_value() &&
        event.count("type") && named(event_names, event.at("type")) &&
        event.count("phase") && named(phase_names, event.at("phase")) &&
        event.at("source").struct_value().fields().count("type") &&
        named(source_names,
              event.at("source").struct_value().fields().at("type"));
    if (!valid) {
      ++dropped;
      continue;
    }
    if (!event.count("params"))
      continue;
    const auto& params = event.at("params").struct_value().fields();
    if (params.count("source_dependency")) {
      const auto& dependency =
          params.at("source_dependency").struct_value().fields();
      EXPECT_TRUE(dependency.at("id").has_number_value());
      EXPECT_TRUE(named(source_names, dependency.at("type")));
    }
  }
  return dropped;
}

class FileNetLogObserverTest : public testing::Test {
 protected:
  void SetUp() override {
    path_ = testing::TempDir() + "netlog_" + std::to_string(getpid()) + "_" +
            testing::UnitTest::GetInstance()->current_test_info()->name() +
            ".json";
  }
  void TearDown() override { unlink(path_.c_str()); }

  google::protobuf::Struct ReadDocument() {
    std::ifstream in(path_);
    std::stringstream contents;
    contents << in.rdbuf();
    google::protobuf::Struct document;
    const auto status =
        google::protobuf::util::JsonStringToMessage(contents.str(), &document);
    EXPECT_TRUE(status.ok()) << status.ToString() << " in " << contents.str();
    return document;
  }

  std::string path_;
};

TEST_F(FileNetLogObserverTest, WritesOneWellFormedDocument) {
  NetLog net_log;
  std::string error;
  std::unique_ptr<FileNetLogObserver> observer =
      FileNetLogObserver::Create(path_, &error);
  ASSERT_TRUE(observer) << error;
  observer->StartObserving(&net_log);
  const NetLogWithSource log =
      NetLogWithSource::Make(&net_log, NetLogSourceType::SOCKET);
  log.BeginEvent(NetLogEventType::TCP_CONNECT,
                 [] { return NetLogParamsWithString("address", "[::1]:443"); });
  log.EndEventWithNetErrorCode(NetLogEventType::TCP_CONNECT,
                               ERR_CONNECTION_REFUSED);
  log.AddEvent(NetLogEventType::SOCKET_CLOSED_BY_PEER);
  EXPECT_EQ(observer->StopObserving(), OK);
  EXPECT_FALSE(net_log.IsCapturing());

  const google::protobuf::Struct document = ReadDocument();
  const auto& events = document.fields().at("events").list_value().values();
  ASSERT_EQ(events.size(), 3);
  const auto& first = events[0].struct_value().fields();
  EXPECT_EQ(first.at("type").number_value(),
            static_cast<int>(NetLogEventType::TCP_CONNECT));
  EXPECT_EQ(first.at("phase").number_value(),
            static_cast<int>(NetLogEventPhase::BEGIN));
  EXPECT_EQ(
      first.at("params").struct_value().fields().at("address").string_value(),
      "[::1]:443");
  const auto& second = events[1].struct_value().fields();
  EXPECT_EQ(second.at("params")
                .struct_value()
                .fields()
                .at("net_error")
                .number_value(),
            ERR_CONNECTION_REFUSED);
  EXPECT_EQ(events[2].struct_value().fields().at("type").number_value(),
            static_cast<int>(NetLogEventType::SOCKET_CLOSED_BY_PEER));
}

TEST_F(FileNetLogObserverTest, NetLogViewerCanNameEveryEventAndSource) {
  NetLog net_log;
  std::string error;
  auto observer = FileNetLogObserver::Create(path_, &error);
  ASSERT_TRUE(observer) << error;
  observer->StartObserving(&net_log);
  // One event of every type, on a source of every type, in every phase, some
  // pointing at another source.
  int count = 0;
  for (int s = 0; s < static_cast<int>(NetLogSourceType::COUNT); ++s) {
    const NetLogWithSource source =
        NetLogWithSource::Make(&net_log, static_cast<NetLogSourceType>(s));
    const NetLogWithSource other =
        NetLogWithSource::Make(&net_log, NetLogSourceType::SOCKET);
    for (int e = 0; e < static_cast<int>(NetLogEventType::COUNT); ++e) {
      const auto type = static_cast<NetLogEventType>(e);
      source.BeginEventReferencingSource(type, other.source());
      source.AddEvent(type);
      source.EndEventWithNetErrorCode(type, ERR_TIMED_OUT);
      count += 3;
    }
  }
  ASSERT_EQ(observer->StopObserving(), OK);

  const google::protobuf::Struct document = ReadDocument();
  EXPECT_EQ(document.fields().at("events").list_value().values_size(), count);
  EXPECT_EQ(EventsTheViewerWouldDrop(document), 0);
  const auto& first = document.fields()
                          .at("events")
                          .list_value()
                          .values(0)
                          .struct_value()
                          .fields();
  EXPECT_TRUE(first.at("source")
                  .struct_value()
                  .fields()
                  .at("start_time")
                  .has_string_value());
}

TEST_F(FileNetLogObserverTest, TruncatedFileEndsEachEventWithCommaNewline) {
  // A capture cut off by a crash has no closing "]}": the viewer then cuts the
  // text at the last ",\n" and closes the list itself, so every event must be
  // followed by exactly that.
  NetLog net_log;
  std::string error;
  auto observer = FileNetLogObserver::Create(path_, &error);
  ASSERT_TRUE(observer) << error;
  observer->StartObserving(&net_log);
  const NetLogWithSource log =
      NetLogWithSource::Make(&net_log, NetLogSourceType::SOCKET);
  log.AddEvent(NetLogEventType::SOCKET_ALIVE);
  log.AddEvent(NetLogEventType::SOCKET_CLOSED_BY_PEER);
  log.AddEvent(NetLogEventType::SOCKET_ALIVE);
  ASSERT_EQ(observer->StopObserving(), OK);
  std::ifstream in(path_);
  std::stringstream contents;
  contents << in.rdbuf();
  const std::string text = contents.str();
  const std::string recovered = text.substr(0, text.rfind(",\n")) + "]}";
  google::protobuf::Struct document;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(recovered, &document).ok())
      << recovered;
  EXPECT_EQ(document.fields().at("events").list_value().values_size(), 2);
}

TEST_F(FileNetLogObserverTest,
       SerializedEntriesFromAnotherProcessGetConstants) {
  std::string error;
  auto observer = FileNetLogObserver::Create(path_, &error);
  ASSERT_TRUE(observer) << error;
  observer->StartForSerializedEntries();
  const NetLogEntry entry(
      NetLogEventType::SSL_CONNECT, NetLogSource(NetLogSourceType::SOCKET, 4),
      NetLogEventPhase::BEGIN, absl::UnixEpoch() + absl::Milliseconds(3), {});
  observer->AddSerializedEntry(entry.ToJson());
  observer->AddSerializedEntry(entry.ToJson());
  EXPECT_EQ(observer->StopObserving(), OK);
  // Entries after the end are dropped, not written past the closing "]}".
  observer->AddSerializedEntry(entry.ToJson());

  const google::protobuf::Struct document = ReadDocument();
  EXPECT_EQ(document.fields().at("events").list_value().values_size(), 2);
  EXPECT_EQ(EventsTheViewerWouldDrop(document), 0);
}

TEST_F(FileNetLogObserverTest, EventsAfterStopAreNotWritten) {
  NetLog net_log;
  std::string error;
  auto observer = FileNetLogObserver::Create(path_, &error);
  ASSERT_TRUE(observer) << error;
  observer->StartObserving(&net_log);
  const NetLogWithSource log =
      NetLogWithSource::Make(&net_log, NetLogSourceType::SOCKET);
  log.AddEvent(NetLogEventType::SOCKET_ALIVE);
  EXPECT_EQ(observer->StopObserving(), OK);
  log.AddEvent(NetLogEventType::SOCKET_ALIVE);
  // A second stop is harmless.
  EXPECT_EQ(observer->StopObserving(), OK);
  EXPECT_EQ(ReadDocument().fields().at("events").list_value().values_size(), 1);
}

TEST_F(FileNetLogObserverTest, EmptyCaptureIsAnEmptyEventList) {
  NetLog net_log;
  std::string error;
  {
    auto observer = FileNetLogObserver::Create(path_, &error);
    ASSERT_TRUE(observer) << error;
    observer->StartObserving(&net_log);
    // Destruction finishes the document.
  }
  const google::protobuf::Struct document = ReadDocument();
  ASSERT_EQ(document.fields().count("events"), 1u);
  EXPECT_EQ(document.fields().at("events").list_value().values_size(), 0);
  EXPECT_EQ(document.fields().count("constants"), 1u);
}

TEST_F(FileNetLogObserverTest, NeverStartedStillWritesValidDocument) {
  std::string error;
  auto observer = FileNetLogObserver::Create(path_, &error);
  ASSERT_TRUE(observer) << error;
  EXPECT_EQ(observer->StopObserving(), OK);
  EXPECT_EQ(ReadDocument().fields().at("events").list_value().values_size(), 0);
}

TEST_F(FileNetLogObserverTest, UnwritablePathGivesClearError) {
  std::string error;
  auto observer = FileNetLogObserver::Create(
      "/nonexistent-prewarm-dir/netlog.json", &error);
  EXPECT_FALSE(observer);
  EXPECT_NE(error.find("/nonexistent-prewarm-dir/netlog.json"),
            std::string::npos);
  EXPECT_NE(error.find("No such file or directory"), std::string::npos)
      << error;
}

TEST_F(FileNetLogObserverTest, FullDiskIsReportedAsAnError) {
  // /dev/full accepts the open and fails every flushed write with ENOSPC.
  NetLog net_log;
  std::string error;
  auto observer = FileNetLogObserver::Create("/dev/full", &error);
  ASSERT_TRUE(observer) << error;
  observer->StartObserving(&net_log);
  NetLogWithSource::Make(&net_log, NetLogSourceType::SOCKET)
      .AddEvent(NetLogEventType::SOCKET_ALIVE);
  EXPECT_NE(observer->StopObserving(), OK);
}

}  // namespace
}  // namespace net
