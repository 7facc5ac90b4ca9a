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

TEST(NetLogEntryTest, JsonHasTimeTypeSourcePhaseAndParams) {
  google::protobuf::Struct params;
  SetNetLogString(&params, "host", "a.example");
  SetNetLogInt(&params, "port", 443);
  SetNetLogBool(&params, "resumed", false);
  SetNetLogStruct(&params, "nested", NetLogParamsWithInt("n", 1));
  const NetLogEntry entry(NetLogEventType::HOST_RESOLVER_CACHE_HIT,
                          NetLogSource(NetLogSourceType::HOST_RESOLVER_JOB, 42),
                          NetLogEventPhase::NONE,
                          absl::UnixEpoch() + absl::Milliseconds(1500), params);

  const google::protobuf::Struct json = ParseJson(entry.ToJson());
  const auto& fields = json.fields();
  EXPECT_EQ(fields.at("time").number_value(), 1500);
  EXPECT_EQ(fields.at("type").string_value(), "HOST_RESOLVER_CACHE_HIT");
  EXPECT_EQ(fields.at("phase").string_value(), "NONE");
  const auto& source = fields.at("source").struct_value().fields();
  EXPECT_EQ(source.at("type").string_value(), "HOST_RESOLVER_JOB");
  EXPECT_EQ(source.at("id").number_value(), 42);
  const auto& parsed_params = fields.at("params").struct_value().fields();
  EXPECT_EQ(parsed_params.at("host").string_value(), "a.example");
  EXPECT_EQ(parsed_params.at("port").number_value(), 443);
  EXPECT_FALSE(parsed_params.at("resumed").bool_value());
  EXPECT_EQ(
      parsed_params.at("nested").struct_value().fields().at("n").number_value(),
      1);
}

TEST(NetLogEntryTest, EmptyParamsAreLeftOut) {
  const NetLogEntry entry(NetLogEventType::SOCKET_ALIVE,
                          NetLogSource(NetLogSourceType::SOCKET, 1),
                          NetLogEventPhase::BEGIN, absl::UnixEpoch(), {});
  const google::protobuf::Struct json = ParseJson(entry.ToJson());
  EXPECT_EQ(json.fields().count("params"), 0u);
  EXPECT_EQ(json.fields().at("phase").string_value(), "BEGIN");
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

}  // namespace
}  // namespace net
