#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "proto/report.pb.h"

namespace prewarm {
namespace {

using ::testing::HasSubstr;

// Prints the way the replay's --json does.
std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  EXPECT_TRUE(
      google::protobuf::util::MessageToJsonString(message, &json, options)
          .ok());
  return json;
}

// Parses JSON into a Struct so tests can look at the shape, not the spacing.
google::protobuf::Struct ParseJson(const std::string& json) {
  google::protobuf::Struct parsed;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok())
      << json;
  return parsed;
}

report::Report FontsReport() {
  report::Report r;
  r.set_scenario("fonts-anonymous");
  r.set_policy("prewarm");
  report::PreconnectRecord* preconnect = r.add_preconnects();
  preconnect->set_step(2);
  preconnect->set_url("https://fonts.gstatic.example/");
  preconnect->set_purpose(scenario::SUBRESOURCE);
  report::Group* group = preconnect->mutable_group();
  group->set_scheme("https");
  group->set_host("fonts.gstatic.example");
  group->set_port(443);
  group->set_privacy_mode(report::Group::ENABLED_WITHOUT_CLIENT_CERTS);
  group->set_top_frame_site("https://news.example");
  report::PreconnectedSocket* socket = preconnect->add_sockets();
  socket->set_outcome(report::PreconnectedSocket::USED);
  socket->set_used_by_step(4);
  report::RequestRecord* request = r.add_requests();
  request->set_step(4);
  request->set_url("https://fonts.gstatic.example/roboto.woff2");
  *request->mutable_group() = *group;
  request->set_socket(report::RequestRecord::PRECONNECTED);
  request->set_total_ms(3.1);
  report::Summary* summary = r.mutable_summary();
  summary->set_preconnected_sockets(1);
  summary->set_used(1);
  summary->set_utilization(1.0);
  return r;
}

TEST(ReportJsonTest, TopLevelKeysAreTheFormatsKeys) {
  google::protobuf::Struct json = ParseJson(ToJson(FontsReport()));
  for (const char* key :
       {"scenario", "policy", "preconnects", "requests", "summary",
        "preloads", "preload_rules"}) {
    EXPECT_TRUE(json.fields().contains(key)) << key;
  }
  EXPECT_EQ(json.fields().size(), 7u);
  EXPECT_EQ(json.fields().at("scenario").string_value(), "fonts-anonymous");
}

TEST(ReportJsonTest, PreconnectPrintsEveryFieldWithEnumNames) {
  google::protobuf::Struct json = ParseJson(ToJson(FontsReport()));
  const google::protobuf::Struct& preconnect =
      json.fields().at("preconnects").list_value().values(0).struct_value();
  EXPECT_EQ(preconnect.fields().at("step").number_value(), 2);
  EXPECT_EQ(preconnect.fields().at("purpose").string_value(), "SUBRESOURCE");
  // Defaults are printed too: false and "" are part of the shape.
  EXPECT_FALSE(preconnect.fields().at("stranded").bool_value());
  EXPECT_EQ(preconnect.fields().at("diagnostic").string_value(), "");

  const google::protobuf::Struct& group =
      preconnect.fields().at("group").struct_value();
  EXPECT_EQ(group.fields().at("scheme").string_value(), "https");
  EXPECT_EQ(group.fields().at("port").number_value(), 443);
  EXPECT_EQ(group.fields().at("privacy_mode").string_value(),
            "ENABLED_WITHOUT_CLIENT_CERTS");
  EXPECT_EQ(group.fields().at("top_frame_site").string_value(),
            "https://news.example");
  EXPECT_FALSE(group.fields().at("is_cross_site").bool_value());

  const google::protobuf::Struct& socket =
      preconnect.fields().at("sockets").list_value().values(0).struct_value();
  EXPECT_EQ(socket.fields().at("outcome").string_value(), "USED");
  EXPECT_EQ(socket.fields().at("used_by_step").number_value(), 4);
}

TEST(ReportJsonTest, ZeroValuedEnumsPrintTheirNames) {
  report::Report r;
  report::PreconnectRecord* preconnect = r.add_preconnects();
  preconnect->add_sockets();    // IDLE, the zero value.
  preconnect->mutable_group();  // DISABLED, the zero value.
  r.add_requests();             // NEW, the zero value.
  std::string json = ToJson(r);
  EXPECT_THAT(json, HasSubstr(R"("outcome":"IDLE")"));
  EXPECT_THAT(json, HasSubstr(R"("privacy_mode":"DISABLED")"));
  EXPECT_THAT(json, HasSubstr(R"("socket":"NEW")"));
  EXPECT_THAT(json, HasSubstr(R"("purpose":"PURPOSE_UNKNOWN")"));
}

TEST(ReportJsonTest, IgnoredPreconnectPrintsEmptySocketList) {
  report::Report r;
  r.add_preconnects()->set_diagnostic("not an http or https URL");
  std::string json = ToJson(r);
  EXPECT_THAT(json, HasSubstr(R"("sockets":[])"));
  EXPECT_THAT(json, HasSubstr(R"("diagnostic":"not an http or https URL")"));
}

TEST(ReportJsonTest, RequestAndSummaryNumbersAreNumbersNotStrings) {
  google::protobuf::Struct json = ParseJson(ToJson(FontsReport()));
  const google::protobuf::Struct& request =
      json.fields().at("requests").list_value().values(0).struct_value();
  EXPECT_EQ(request.fields().at("socket").string_value(), "PRECONNECTED");
  EXPECT_DOUBLE_EQ(request.fields().at("connect_ms").number_value(), 0.0);
  EXPECT_DOUBLE_EQ(request.fields().at("total_ms").number_value(), 3.1);
  EXPECT_TRUE(request.fields().at("group").has_struct_value());

  const google::protobuf::Struct& summary =
      json.fields().at("summary").struct_value();
  for (const char* key : {"preconnected_sockets", "used", "stranded", "unused",
                          "utilization", "strand_rate"}) {
    ASSERT_TRUE(summary.fields().contains(key)) << key;
    EXPECT_EQ(summary.fields().at(key).kind_case(),
              google::protobuf::Value::kNumberValue)
        << key;
  }
  EXPECT_DOUBLE_EQ(summary.fields().at("utilization").number_value(), 1.0);
}

}  // namespace
}  // namespace prewarm
