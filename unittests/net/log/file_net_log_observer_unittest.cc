#include "net/log/file_net_log_observer.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/log/net_log_values.h"
#include "net/log/net_log_with_source.h"

namespace net {
namespace {

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
  EXPECT_EQ(first.at("type").string_value(), "TCP_CONNECT");
  EXPECT_EQ(first.at("phase").string_value(), "BEGIN");
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
  EXPECT_EQ(events[2].struct_value().fields().at("type").string_value(),
            "SOCKET_CLOSED_BY_PEER");
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
