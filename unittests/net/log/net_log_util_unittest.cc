#include "net/log/net_log_util.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/log/net_log_event_type.h"
#include "net/log/net_log_source_type.h"

namespace net {
namespace {

const google::protobuf::Struct& Table(const google::protobuf::Struct& constants,
                                      const char* name) {
  return constants.fields().at(name).struct_value();
}

// Every number of the table once: the viewer inverts these maps.
void ExpectEveryNumberOnce(const google::protobuf::Struct& table, int count) {
  std::set<int> numbers;
  for (const auto& [name, value] : table.fields())
    EXPECT_TRUE(numbers.insert(static_cast<int>(value.number_value())).second)
        << name;
  EXPECT_EQ(numbers.size(), static_cast<size_t>(count));
  EXPECT_EQ(*numbers.begin(), 0);
  EXPECT_EQ(*numbers.rbegin(), count - 1);
}

TEST(NetLogUtilTest, ConstantsHaveEveryTableTheViewerRequires) {
  const google::protobuf::Struct constants = GetNetConstants();
  // netlog_viewer's areValidConstants(): these are objects...
  for (const char* table :
       {"logEventTypes", "clientInfo", "logEventPhase", "logSourceType",
        "loadFlag", "netError", "addressFamily"}) {
    ASSERT_EQ(constants.fields().count(table), 1u) << table;
    EXPECT_TRUE(constants.fields().at(table).has_struct_value()) << table;
  }
  // ...these are numbers, and the format version is the one it loads.
  EXPECT_TRUE(constants.fields().at("timeTickOffset").has_number_value());
  EXPECT_EQ(constants.fields().at("logFormatVersion").number_value(), 1);
  EXPECT_EQ(Table(constants, "clientInfo").fields().at("name").string_value(),
            "prewarm");
}

TEST(NetLogUtilTest, TypeTablesMapEveryLabelToItsEnumNumber) {
  const google::protobuf::Struct constants = GetNetConstants();
  const auto& events = Table(constants, "logEventTypes");
  ExpectEveryNumberOnce(events, static_cast<int>(NetLogEventType::COUNT));
  EXPECT_EQ(events.fields().at("TCP_CONNECT").number_value(),
            static_cast<int>(NetLogEventType::TCP_CONNECT));
  const auto& sources = Table(constants, "logSourceType");
  ExpectEveryNumberOnce(sources, static_cast<int>(NetLogSourceType::COUNT));
  EXPECT_EQ(sources.fields().at("SOCKET").number_value(),
            static_cast<int>(NetLogSourceType::SOCKET));
  const auto& phases = Table(constants, "logEventPhase");
  EXPECT_EQ(phases.fields().at("PHASE_NONE").number_value(), 0);
  EXPECT_EQ(phases.fields().at("PHASE_BEGIN").number_value(), 1);
  EXPECT_EQ(phases.fields().at("PHASE_END").number_value(), 2);
}

TEST(NetLogUtilTest, SharedMeaningsCarryChromiumsNames) {
  const google::protobuf::Struct constants = GetNetConstants();
  const auto& events = Table(constants, "logEventTypes").fields();
  for (const char* chromium_name : {"REQUEST_ALIVE",
                                    "CANCELLED",
                                    "FAILED",
                                    "HOST_RESOLVER_MANAGER_REQUEST",
                                    "HOST_RESOLVER_MANAGER_JOB",
                                    "HOST_RESOLVER_MANAGER_CACHE_HIT",
                                    "HOST_RESOLVER_MANAGER_JOB_ATTACH",
                                    "CONNECT_JOB",
                                    "TRANSPORT_CONNECT_JOB_CONNECT",
                                    "CONNECT_JOB_SET_SOCKET",
                                    "CONNECT_JOB_TIMED_OUT",
                                    "SOCKET_ALIVE",
                                    "TCP_CONNECT",
                                    "TCP_CONNECT_ATTEMPT",
                                    "SOCKET_BYTES_SENT",
                                    "SOCKET_BYTES_RECEIVED",
                                    "SOCKET_READ_ERROR",
                                    "SOCKET_WRITE_ERROR",
                                    "SSL_CONNECT",
                                    "SOCKET_POOL",
                                    "SOCKET_POOL_CONNECTING_N_SOCKETS",
                                    "SOCKET_POOL_BOUND_TO_CONNECT_JOB",
                                    "SOCKET_POOL_BOUND_TO_SOCKET",
                                    "SOCKET_POOL_REUSED_AN_EXISTING_SOCKET",
                                    "SOCKET_POOL_STALLED_MAX_SOCKETS",
                                    "SOCKET_POOL_STALLED_MAX_SOCKETS_PER_GROUP",
                                    "SOCKET_POOL_CLOSING_SOCKET",
                                    "SOCKET_IN_USE",
                                    "HTTP_STREAM_REQUEST",
                                    "HTTP_TRANSACTION_SEND_REQUEST",
                                    "HTTP_STREAM_PARSER_READ_HEADERS",
                                    "HTTP_TRANSACTION_READ_BODY"}) {
    EXPECT_EQ(events.count(chromium_name), 1u) << chromium_name;
  }
  const auto& sources = Table(constants, "logSourceType").fields();
  for (const char* chromium_name :
       {"NONE", "URL_REQUEST", "TRANSPORT_CONNECT_JOB", "SOCKET",
        "HOST_RESOLVER_IMPL_JOB"}) {
    EXPECT_EQ(sources.count(chromium_name), 1u) << chromium_name;
  }
}

TEST(NetLogUtilTest, NetErrorsAreChromesNamesAndNumbers) {
  const google::protobuf::Struct constants = GetNetConstants();
  const auto& errors = Table(constants, "netError").fields();
  EXPECT_EQ(errors.at("ERR_CONNECTION_REFUSED").number_value(), -102);
  EXPECT_EQ(errors.at("ERR_NAME_NOT_RESOLVED").number_value(), -105);
  EXPECT_EQ(errors.at("OK").number_value(), OK);
  for (const auto& [name, value] : errors)
    EXPECT_EQ(ErrorToShortString(static_cast<int>(value.number_value())), name);
}

TEST(NetLogUtilTest, TimeTickOffsetIsWallTimeAtTickZero) {
  const absl::Time wall = absl::UnixEpoch() + absl::Seconds(1'700'000'000);
  const absl::Time ticks = absl::UnixEpoch() + absl::Seconds(3600);
  const google::protobuf::Struct constants = GetNetConstants(wall, ticks);
  EXPECT_EQ(constants.fields().at("timeTickOffset").number_value(),
            (1'700'000'000.0 - 3600) * 1000);
}

}  // namespace
}  // namespace net
