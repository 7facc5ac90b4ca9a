#include "net/log/net_log_entry.h"

#include <limits>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "net/log/net_log_values.h"

namespace net {
namespace {

google::protobuf::Struct ParseJson(const std::string& json) {
  google::protobuf::Struct parsed;
  const auto status =
      google::protobuf::util::JsonStringToMessage(json, &parsed);
  EXPECT_TRUE(status.ok()) << status.ToString() << " in " << json;
  return parsed;
}

TEST(NetLogEntryTest, JsonHasChromeNumbersStringTimesAndSourceStartTime) {
  google::protobuf::Struct params;
  SetNetLogString(&params, "host", "a.example");
  SetNetLogInt(&params, "port", 443);
  SetNetLogBool(&params, "resumed", false);
  SetNetLogStruct(&params, "nested", NetLogParamsWithInt("n", 1));
  const NetLogEntry entry(
      NetLogEventType::HOST_RESOLVER_MANAGER_CACHE_HIT,
      NetLogSource(NetLogSourceType::HOST_RESOLVER_IMPL_JOB, 42,
                   absl::UnixEpoch() + absl::Milliseconds(1499)),
      NetLogEventPhase::NONE, absl::UnixEpoch() + absl::Microseconds(1500250),
      params);

  const google::protobuf::Struct json = ParseJson(entry.ToJson());
  const auto& fields = json.fields();
  EXPECT_EQ(fields.at("time").string_value(), "1500.25");
  EXPECT_EQ(fields.at("type").number_value(),
            static_cast<int>(NetLogEventType::HOST_RESOLVER_MANAGER_CACHE_HIT));
  EXPECT_EQ(fields.at("phase").number_value(),
            static_cast<int>(NetLogEventPhase::NONE));
  const auto& source = fields.at("source").struct_value().fields();
  EXPECT_EQ(source.at("type").number_value(),
            static_cast<int>(NetLogSourceType::HOST_RESOLVER_IMPL_JOB));
  EXPECT_EQ(source.at("id").number_value(), 42);
  EXPECT_EQ(source.at("start_time").string_value(), "1499");
  const auto& parsed_params = fields.at("params").struct_value().fields();
  EXPECT_EQ(parsed_params.at("host").string_value(), "a.example");
  EXPECT_EQ(parsed_params.at("port").number_value(), 443);
  EXPECT_FALSE(parsed_params.at("resumed").bool_value());
  EXPECT_EQ(
      parsed_params.at("nested").struct_value().fields().at("n").number_value(),
      1);
}

TEST(NetLogEntryTest, PhasesAreChromesNumbers) {
  // Chrome: PHASE_NONE 0, PHASE_BEGIN 1, PHASE_END 2.
  EXPECT_EQ(static_cast<int>(NetLogEventPhase::NONE), 0);
  EXPECT_EQ(static_cast<int>(NetLogEventPhase::BEGIN), 1);
  EXPECT_EQ(static_cast<int>(NetLogEventPhase::END), 2);
}

TEST(NetLogEntryTest, EmptyParamsAndUnknownStartTimeAreLeftOut) {
  const NetLogEntry entry(NetLogEventType::SOCKET_ALIVE,
                          NetLogSource(NetLogSourceType::SOCKET, 1),
                          NetLogEventPhase::BEGIN, absl::UnixEpoch(), {});
  const google::protobuf::Struct json = ParseJson(entry.ToJson());
  EXPECT_EQ(json.fields().count("params"), 0u);
  EXPECT_EQ(json.fields().at("time").string_value(), "0");
  EXPECT_EQ(json.fields().at("phase").number_value(), 1);
  EXPECT_EQ(
      json.fields().at("source").struct_value().fields().count("start_time"),
      0u);
}

TEST(NetLogEntryTest, NonFiniteNumbersStillGiveValidJson) {
  google::protobuf::Struct params;
  SetNetLogInt(&params, "count", 3);
  (*params.mutable_fields())["ratio"].set_number_value(
      std::numeric_limits<double>::quiet_NaN());
  (*params.mutable_fields())["limit"].set_number_value(
      std::numeric_limits<double>::infinity());
  const NetLogEntry entry(NetLogEventType::FAILED,
                          NetLogSource(NetLogSourceType::SOCKET, 1),
                          NetLogEventPhase::NONE, absl::UnixEpoch(), params);
  const google::protobuf::Struct json = ParseJson(entry.ToJson());
  const auto& parsed = json.fields().at("params").struct_value().fields();
  EXPECT_EQ(parsed.at("count").number_value(), 3);
  EXPECT_EQ(parsed.at("ratio").string_value(), "NaN");
  EXPECT_EQ(parsed.at("limit").string_value(), "Infinity");
}

TEST(NetLogEntryTest, InfiniteTimePrintsAsNull) {
  const NetLogEntry entry(NetLogEventType::FAILED,
                          NetLogSource(NetLogSourceType::SOCKET, 1),
                          NetLogEventPhase::NONE, absl::InfinitePast(), {});
  const google::protobuf::Struct json = ParseJson(entry.ToJson());
  EXPECT_EQ(json.fields().at("time").kind_case(),
            google::protobuf::Value::kNullValue);
}

TEST(NetLogEntryTest, FromStructReadsToStructBack) {
  const NetLogEntry entry(
      NetLogEventType::TCP_CONNECT,
      NetLogSource(NetLogSourceType::SOCKET, 7,
                   absl::UnixEpoch() + absl::Microseconds(2001)),
      NetLogEventPhase::END, absl::UnixEpoch() + absl::Microseconds(2500),
      NetLogParamsWithString("remote_address", "127.0.0.1:443"));
  const std::optional<NetLogEntry> parsed =
      NetLogEntry::FromStruct(ParseJson(entry.ToJson()));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->type, NetLogEventType::TCP_CONNECT);
  EXPECT_EQ(parsed->phase, NetLogEventPhase::END);
  EXPECT_EQ(parsed->source, entry.source);
  EXPECT_EQ(parsed->source.start_time, entry.source.start_time);
  EXPECT_EQ(parsed->time, entry.time);
  EXPECT_EQ(parsed->params.fields().at("remote_address").string_value(),
            "127.0.0.1:443");
}

TEST(NetLogEntryTest, FromStructRejectsMalformedEntries) {
  const google::protobuf::Struct good =
      NetLogEntry(NetLogEventType::SOCKET_ALIVE,
                  NetLogSource(NetLogSourceType::SOCKET, 1),
                  NetLogEventPhase::BEGIN, absl::UnixEpoch(), {})
          .ToStruct();
  ASSERT_TRUE(NetLogEntry::FromStruct(good));
  const auto with = [&](const char* key, google::protobuf::Value value) {
    google::protobuf::Struct changed = good;
    (*changed.mutable_fields())[key] = std::move(value);
    return changed;
  };
  google::protobuf::Value number;
  number.set_number_value(static_cast<int>(NetLogEventType::COUNT));
  EXPECT_FALSE(NetLogEntry::FromStruct(with("type", number)));
  number.set_number_value(3);
  EXPECT_FALSE(NetLogEntry::FromStruct(with("phase", number)));
  number.set_number_value(0.5);
  EXPECT_FALSE(NetLogEntry::FromStruct(with("type", number)));
  google::protobuf::Value text;
  text.set_string_value("TCP_CONNECT");
  EXPECT_FALSE(NetLogEntry::FromStruct(with("type", text)));
  text.set_string_value("soon");
  EXPECT_FALSE(NetLogEntry::FromStruct(with("time", text)));
  number.set_number_value(12);
  EXPECT_FALSE(NetLogEntry::FromStruct(with("time", number)));
  google::protobuf::Struct no_source = good;
  no_source.mutable_fields()->erase("source");
  EXPECT_FALSE(NetLogEntry::FromStruct(no_source));
  google::protobuf::Struct negative_id = good;
  (*(*negative_id.mutable_fields())["source"]
        .mutable_struct_value()
        ->mutable_fields())["id"]
      .set_number_value(-1);
  EXPECT_FALSE(NetLogEntry::FromStruct(negative_id));
}

}  // namespace
}  // namespace net
