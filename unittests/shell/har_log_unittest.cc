#include "shell/har_log.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "net/base/host_port_pair.h"
#include "net/base/net_errors.h"
#include "unittests/shell/har_schema_check.h"

namespace prewarm {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

const Value& At(const Struct& object, const char* name) {
  static const Value* const kMissing = new Value();
  auto it = object.fields().find(name);
  EXPECT_NE(it, object.fields().end()) << "missing \"" << name << "\"";
  return it == object.fields().end() ? *kMissing : it->second;
}

const Struct& Object(const Struct& object, const char* name) {
  const Value& value = At(object, name);
  EXPECT_TRUE(value.has_struct_value()) << name << " is not an object";
  return value.struct_value();
}

void ExpectString(const Struct& object, const char* name) {
  EXPECT_TRUE(At(object, name).has_string_value()) << name;
}
void ExpectNumber(const Struct& object, const char* name) {
  EXPECT_TRUE(At(object, name).has_number_value()) << name;
}
void ExpectList(const Struct& object, const char* name) {
  EXPECT_TRUE(At(object, name).has_list_value()) << name;
}

// HAR 1.2's dateTime: ISO 8601 with milliseconds and a zone.
constexpr char kDateTime[] =
    "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}"
    "(Z|[+-][0-9]{2}:[0-9]{2})";

// The fields HAR 1.2 requires of each object, with their types.
void ExpectHarRequiredFields(const Struct& har) {
  const Struct& log = Object(har, "log");
  EXPECT_EQ(At(log, "version").string_value(), "1.2");
  const Struct& creator = Object(log, "creator");
  ExpectString(creator, "name");
  ExpectString(creator, "version");
  for (const Value& value : At(log, "pages").list_value().values()) {
    const Struct& page = value.struct_value();
    EXPECT_THAT(At(page, "startedDateTime").string_value(),
                MatchesRegex(kDateTime));
    ExpectString(page, "id");
    ExpectString(page, "title");
    Object(page, "pageTimings");
  }
  ASSERT_TRUE(At(log, "entries").has_list_value());
  for (const Value& value : At(log, "entries").list_value().values()) {
    const Struct& entry = value.struct_value();
    EXPECT_THAT(At(entry, "startedDateTime").string_value(),
                MatchesRegex(kDateTime));
    ExpectNumber(entry, "time");
    const Struct& request = Object(entry, "request");
    for (const char* name : {"method", "url", "httpVersion"})
      ExpectString(request, name);
    for (const char* name : {"cookies", "headers", "queryString"})
      ExpectList(request, name);
    ExpectNumber(request, "headersSize");
    ExpectNumber(request, "bodySize");
    const Struct& response = Object(entry, "response");
    ExpectNumber(response, "status");
    for (const char* name : {"statusText", "httpVersion", "redirectURL"})
      ExpectString(response, name);
    ExpectList(response, "cookies");
    ExpectList(response, "headers");
    const Struct& content = Object(response, "content");
    ExpectNumber(content, "size");
    ExpectString(content, "mimeType");
    ExpectNumber(response, "headersSize");
    ExpectNumber(response, "bodySize");
    Object(entry, "cache");
    const Struct& timings = Object(entry, "timings");
    // send, wait and receive are required and never -1; the others may be
    // -1 ("does not apply").
    for (const char* name : {"send", "wait", "receive"})
      EXPECT_GE(At(timings, name).number_value(), 0) << name;
    for (const char* name : {"blocked", "dns", "connect", "ssl"})
      EXPECT_GE(At(timings, name).number_value(), -1) << name;
    // The entry's time is the sum of its timings, ssl excluded (it is part
    // of connect).
    double sum = 0;
    for (const char* name :
         {"blocked", "dns", "connect", "send", "wait", "receive"}) {
      sum += std::max(At(timings, name).number_value(), 0.0);
    }
    EXPECT_NEAR(At(entry, "time").number_value(), sum, 1e-6);
    if (At(timings, "ssl").number_value() >= 0) {
      EXPECT_GE(At(timings, "connect").number_value(),
                At(timings, "ssl").number_value());
    }
  }
}

class HarLogTest : public ::testing::Test {
 protected:
  absl::Time T(double ms) { return t0_ + absl::Microseconds(ms * 1000); }

  // One page: a document on a new TLS connection, a font on a preconnected
  // socket, an image that failed; one hint whose socket was used.
  PageLoadResult MakeResult() {
    PageLoadResult result;
    result.policy = PreconnectPolicy::kPrewarm;
    result.start = T(0);
    result.end = T(120);
    result.pages.push_back(
        {"https://news.example/a?x=1&q=a%20b", "page1", T(0), T(40), T(100)});

    LoadedRequest document;
    document.url = "https://news.example/a?x=1&q=a%20b";
    document.destination = "document";
    document.issued = T(0);
    document.finished = T(41);
    FetchResult& fetch = document.result;
    fetch.status_code = 200;
    fetch.headers = {{"Content-Type", "text/html"},
                     {"Set-Cookie", "sid=abc; Path=/; Secure"}};
    fetch.body = std::string(1234, 'x');
    fetch.status_text = "OK";
    fetch.http_version = "HTTP/1.1";
    fetch.request_headers = {{"Host", "news.example"},
                             {"Connection", "keep-alive"},
                             {"User-Agent", "prewarm"}};
    fetch.server_ip = "::1";
    fetch.socket_log_id = 42;
    fetch.group_id =
        net::GroupId("https", net::HostPortPair("news.example", 443),
                     net::PrivacyMode::kDisabled, {});
    net::LoadTimingInfo& timing = fetch.load_timing;
    timing.request_start = T(0.5);
    timing.connect_timing.domain_lookup_start = T(1);
    timing.connect_timing.domain_lookup_end = T(2);
    timing.connect_timing.connect_start = T(2.25);
    timing.connect_timing.ssl_start = T(4);
    timing.connect_timing.ssl_end = T(9);
    timing.connect_timing.connect_end = T(9);
    timing.send_start = T(9.5);
    timing.send_end = T(10);
    timing.receive_headers_end = T(35);
    timing.response_end = T(40);
    result.requests.push_back(document);

    LoadedRequest font;
    font.url = "https://fonts.example/a.woff2";
    font.destination = "font";
    font.issued = T(50);
    font.finished = T(70);
    font.result.status_code = 200;
    font.result.socket_reuse = SocketReuse::kPreconnected;
    font.result.preconnect_id = 7;
    font.result.group_id =
        net::GroupId("https", net::HostPortPair("fonts.example", 443),
                     net::PrivacyMode::kEnabledWithoutClientCerts, {});
    font.result.load_timing.request_start = T(50);
    font.result.load_timing.send_start = T(51);
    font.result.load_timing.send_end = T(51);
    font.result.load_timing.receive_headers_end = T(65);
    font.result.load_timing.response_end = T(70);
    result.requests.push_back(font);

    LoadedRequest image;
    image.url = "https://img.example/x.png";
    image.destination = "image";
    image.issued = T(60);
    image.finished = T(61);
    image.result.error = net::ERR_NAME_NOT_RESOLVED;
    image.result.error_message = "img.example: no such host";
    result.requests.push_back(image);

    LoadedHint hint;
    hint.hint = {PageHint::Kind::kPreconnect, "https://fonts.example",
                 "anonymous"};
    hint.result.group_id = font.result.group_id;
    LoadedSocket socket;
    socket.id = 7;
    socket.outcome = net::PreconnectOutcome::kUsed;
    hint.sockets.push_back(socket);
    result.hints.push_back(hint);
    result.warmed_sockets = 1;
    result.used_sockets = 1;
    return result;
  }

  Struct Har(const PageLoadResult& result) {
    // Tick 0 is 2026-11-20T10:00:00Z.
    HarLog log(absl::FromUnixSeconds(1795168800) - t0_);
    log.AddPageLoad(result, "");
    Struct parsed;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(log.ToJson(), &parsed)
            .ok());
    return parsed;
  }

  const Struct& EntryOf(const Struct& har, int index) {
    return Object(har, "log")
        .fields()
        .at("entries")
        .list_value()
        .values(index)
        .struct_value();
  }

  const absl::Time t0_ = absl::UnixEpoch() + absl::Hours(1000);
};

TEST_F(HarLogTest, EveryObjectHasTheFieldsHar12Requires) {
  const Struct har = Har(MakeResult());
  ExpectHarRequiredFields(har);
  EXPECT_EQ(At(Object(har, "log"), "entries").list_value().values_size(), 3);
  EXPECT_EQ(At(Object(har, "log"), "pages").list_value().values_size(), 1);
}

TEST_F(HarLogTest, TimingsSplitTheRequestIntoHarPhases) {
  const Struct har = Har(MakeResult());
  const Struct& document = EntryOf(har, 0);
  const Struct& timings = Object(document, "timings");
  EXPECT_DOUBLE_EQ(At(timings, "dns").number_value(), 1);
  // TCP from 2.25 to 4 and TLS to 9: connect includes ssl.
  EXPECT_DOUBLE_EQ(At(timings, "connect").number_value(), 6.75);
  EXPECT_DOUBLE_EQ(At(timings, "ssl").number_value(), 5);
  EXPECT_DOUBLE_EQ(At(timings, "send").number_value(), 0.5);
  EXPECT_DOUBLE_EQ(At(timings, "wait").number_value(), 25);
  EXPECT_DOUBLE_EQ(At(timings, "receive").number_value(), 5);
  // Issued at 0, done at 40: the rest is blocked.
  EXPECT_DOUBLE_EQ(At(timings, "blocked").number_value(), 1.75);
  EXPECT_DOUBLE_EQ(At(document, "time").number_value(), 40);
  EXPECT_EQ(At(document, "startedDateTime").string_value(),
            "2026-11-20T10:00:00.000+00:00");

  // A warmed socket: no dns, no connect.
  const Struct& font = Object(EntryOf(har, 1), "timings");
  EXPECT_EQ(At(font, "dns").number_value(), -1);
  EXPECT_EQ(At(font, "connect").number_value(), -1);
  EXPECT_EQ(At(font, "ssl").number_value(), -1);
  EXPECT_DOUBLE_EQ(At(font, "blocked").number_value(), 1);
  EXPECT_EQ(At(EntryOf(har, 1), "startedDateTime").string_value(),
            "2026-11-20T10:00:00.050+00:00");
}

TEST_F(HarLogTest, RequestAndResponseCarryWhatTheLoaderSaw) {
  const Struct har = Har(MakeResult());
  const Struct& document = EntryOf(har, 0);
  const Struct& request = Object(document, "request");
  EXPECT_EQ(At(request, "method").string_value(), "GET");
  const auto& query = At(request, "queryString").list_value().values();
  ASSERT_EQ(query.size(), 2);
  EXPECT_EQ(At(query[1].struct_value(), "name").string_value(), "q");
  EXPECT_EQ(At(query[1].struct_value(), "value").string_value(), "a b");
  const Struct& response = Object(document, "response");
  EXPECT_EQ(At(request, "headers").list_value().values_size(), 3);
  EXPECT_EQ(
      At(At(request, "headers").list_value().values(2).struct_value(), "value")
          .string_value(),
      "prewarm");
  EXPECT_EQ(At(response, "status").number_value(), 200);
  EXPECT_EQ(At(response, "statusText").string_value(), "OK");
  EXPECT_EQ(At(document, "serverIPAddress").string_value(), "::1");
  EXPECT_EQ(At(document, "connection").string_value(), "42");
  // No socket, no address: the fields are left out.
  EXPECT_EQ(EntryOf(har, 2).fields().count("serverIPAddress"), 0u);
  EXPECT_EQ(At(Object(response, "content"), "mimeType").string_value(),
            "text/html");
  EXPECT_EQ(At(Object(response, "content"), "size").number_value(), 1234);
  EXPECT_EQ(At(response, "headers").list_value().values_size(), 2);
  const auto& cookies = At(response, "cookies").list_value().values();
  ASSERT_EQ(cookies.size(), 1);
  EXPECT_EQ(At(cookies[0].struct_value(), "name").string_value(), "sid");
  EXPECT_EQ(At(cookies[0].struct_value(), "value").string_value(), "abc");
}

TEST_F(HarLogTest, CustomFieldsNameTheGroupTheSocketAndTheError) {
  const Struct har = Har(MakeResult());
  const Struct& document = EntryOf(har, 0);
  EXPECT_EQ(At(document, "_groupKey").string_value(),
            "https://news.example:443 <null>");
  EXPECT_EQ(At(document, "_socket").string_value(), "NEW");
  EXPECT_EQ(At(document, "_destination").string_value(), "document");
  EXPECT_TRUE(At(document, "_preload").has_null_value());
  const Struct& font = EntryOf(har, 1);
  EXPECT_EQ(At(font, "_socket").string_value(), "PRECONNECTED");
  EXPECT_EQ(At(font, "_preconnectId").number_value(), 7);
  EXPECT_THAT(At(font, "_groupKey").string_value(), HasSubstr("pmwocc/"));

  // A request with no response still has a response object, status 0.
  const Struct& image = EntryOf(har, 2);
  EXPECT_EQ(At(Object(image, "response"), "status").number_value(), 0);
  EXPECT_EQ(At(image, "_error").string_value(),
            "ERR_NAME_NOT_RESOLVED: img.example: no such host");

  const Struct& page =
      At(Object(har, "log"), "pages").list_value().values(0).struct_value();
  EXPECT_EQ(At(page, "_policy").string_value(), "prewarm");
  EXPECT_DOUBLE_EQ(At(Object(page, "pageTimings"), "onLoad").number_value(),
                   100);
  EXPECT_EQ(At(Object(page, "_sockets"), "used").number_value(), 1);
  const auto& hints = At(page, "_hints").list_value().values();
  ASSERT_EQ(hints.size(), 1);
  EXPECT_EQ(At(hints[0].struct_value(), "rel").string_value(), "preconnect");
  EXPECT_EQ(At(At(hints[0].struct_value(), "sockets")
                   .list_value()
                   .values(0)
                   .struct_value(),
               "outcome")
                .string_value(),
            "USED");
}

TEST_F(HarLogTest, SeveralLoadsMakeOnePageEach) {
  HarLog log(absl::ZeroDuration());
  log.AddPageLoad(MakeResult(), "prewarm, first visit");
  log.AddPageLoad(MakeResult(), "prewarm, repeat visit");
  const Struct har = log.ToStruct();
  const auto& pages = At(Object(har, "log"), "pages").list_value().values();
  ASSERT_EQ(pages.size(), 2);
  EXPECT_EQ(At(pages[1].struct_value(), "id").string_value(), "page_2");
  EXPECT_THAT(At(pages[1].struct_value(), "title").string_value(),
              HasSubstr("prewarm, repeat visit: https://news.example/"));
  const auto& entries = At(Object(har, "log"), "entries").list_value().values();
  ASSERT_EQ(entries.size(), 6);
  EXPECT_EQ(At(entries[5].struct_value(), "pageref").string_value(), "page_2");
}

TEST_F(HarLogTest, PassesTheHar12JsonSchema) {
  const std::string path = testing::TempDir() + "har_log_unittest." +
                           std::to_string(getpid()) + ".har";
  HarLog log(absl::FromUnixSeconds(1795168800) - t0_);
  log.AddPageLoad(MakeResult(), "");
  std::ofstream(path) << log.ToJson();
  bool valid = false;
  std::string output;
  const bool ran = CheckHarSchema(path, &valid, &output);
  std::filesystem::remove(path);
  if (!ran)
    GTEST_SKIP() << output;
  EXPECT_TRUE(valid) << output;
}

}  // namespace
}  // namespace prewarm
