#include "shell/load_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "host/demo_site.h"
#include "net/test/latency_lab.h"
#include "unittests/shell/har_schema_check.h"

namespace prewarm {
namespace {

using ::testing::HasSubstr;

class LoadCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("load_command_unittest." + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ / name; }

  void WriteFile(const std::string& name, const std::string& contents) {
    std::ofstream(Path(name)) << contents;
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
  }

  int Run(const std::vector<std::string>& args) {
    out_.str("");
    err_.str("");
    return LoadCommand().Run(args, out_, err_);
  }

  std::filesystem::path dir_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(LoadCommandTest, DemoArticleByUrlPrintsTheTableAndWritesBothFiles) {
  ASSERT_EQ(
      Run({DemoSite::kArticleUrl, "--demo-site", "--block-third-party-cookies",
           "--policy=chromium", "--waterfall=" + Path("w.svg"),
           "--netlog=" + Path("n.json"), "--har=" + Path("h.har"), "--then",
           DemoSite::kNextArticleUrl}),
      0)
      << err_.str();
  const std::string text = out_.str();
  EXPECT_THAT(text, HasSubstr("page 1: https://news.example/2026/11/"
                              "preconnect-partitions  [policy chromium]"));
  EXPECT_THAT(text, HasSubstr("page 2: https://news.example/2026/11/"
                              "third-party-cookies"));
  EXPECT_THAT(text, HasSubstr("PRECONNECTED #"));
  EXPECT_THAT(text, HasSubstr("STRANDED"));
  EXPECT_THAT(text, HasSubstr("load event "));
  EXPECT_THAT(text, HasSubstr("waterfall: " + Path("w.svg")));
  EXPECT_THAT(ReadFile(Path("w.svg")), HasSubstr("</svg>"));
  // A NetLog in Chrome's format: the constants name the events' numbers.
  google::protobuf::Struct net_log;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  ReadFile(Path("n.json")), &net_log)
                  .ok());
  const auto& event_types = net_log.fields()
                                .at("constants")
                                .struct_value()
                                .fields()
                                .at("logEventTypes")
                                .struct_value()
                                .fields();
  std::multiset<std::string> logged;
  for (const auto& event :
       net_log.fields().at("events").list_value().values()) {
    const double type = event.struct_value().fields().at("type").number_value();
    for (const auto& [name, number] : event_types) {
      if (number.number_value() == type)
        logged.insert(name);
    }
  }
  EXPECT_GT(logged.count("PRECONNECT"), 0u);
  EXPECT_GT(logged.count("SSL_CONNECT"), 0u);

  // The HAR has both pages and every request, some on preconnected sockets.
  EXPECT_THAT(text, HasSubstr("har:       " + Path("h.har")));
  google::protobuf::Struct har;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(ReadFile(Path("h.har")), &har)
          .ok());
  const auto& log = har.fields().at("log").struct_value().fields();
  EXPECT_EQ(log.at("pages").list_value().values_size(), 2);
  int preconnected = 0;
  for (const auto& entry : log.at("entries").list_value().values()) {
    const auto& fields = entry.struct_value().fields();
    EXPECT_EQ(fields.at("response")
                  .struct_value()
                  .fields()
                  .at("status")
                  .number_value(),
              200);
    preconnected += fields.at("_socket").string_value() == "PRECONNECTED";
  }
  EXPECT_GT(preconnected, 0);
  bool valid = false;
  std::string report;
  if (CheckHarSchema(Path("h.har"), &valid, &report))
    EXPECT_TRUE(valid) << report;
  else
    std::cout << "HAR schema check skipped: " << report << "\n";
}

// --rtt runs the demo site in the kernel latency lab where the machine
// allows it, and says which delay ran either way.
TEST_F(LoadCommandTest, RttLoadsTheDemoSiteBehindTheGivenDelay) {
  ASSERT_EQ(Run({DemoSite::kArticleUrl, "--demo-site",
                 "--rtt=news.example=20,*=30", "--in-process"}),
            0)
      << err_.str();
  const std::string text = out_.str();
  EXPECT_THAT(text, HasSubstr("delay: round trips news.example=20,*=30 ms, "));
  if (std::optional<std::string> reason = net::LatencyLab::UnsupportedReason())
    EXPECT_THAT(text, HasSubstr("user-space LatencyProxy fallback"));
  else
    EXPECT_THAT(text, HasSubstr("kernel-level"));
  EXPECT_THAT(text, HasSubstr("load event "));
}

TEST_F(LoadCommandTest, RttNeedsTheDemoSiteAndAWellFormedValue) {
  EXPECT_EQ(Run({"https://a.example/", "--rtt=100"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("it needs --demo-site"));
  EXPECT_EQ(Run({DemoSite::kArticleUrl, "--demo-site", "--rtt=slow"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--rtt: round trip 'slow'"));
  EXPECT_EQ(Run({DemoSite::kArticleUrl, "--demo-site", "--rtt=a.example=1"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("add *=MS"));
}

TEST_F(LoadCommandTest, LocalFileIsCommittedAtItsBaseUrl) {
  WriteFile("page.html",
            "<link rel=preconnect href=https://fonts.gstatic.example "
            "crossorigin><style>@font-face{src:url(https://"
            "fonts.gstatic.example/s/x.woff2)}</style>");
  ASSERT_EQ(Run({Path("page.html"), "--demo-site",
                 "--base-url=https://news.example/from-disk"}),
            0)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("page 1: https://news.example/from-disk"));
  EXPECT_THAT(out_.str(), HasSubstr("USED by #1"));
  EXPECT_THAT(out_.str(), HasSubstr("1 warmed, 1 used, 0 stranded"));
}

TEST_F(LoadCommandTest, BadInputIsAClearErrorNotACrash) {
  EXPECT_EQ(Run({Path("missing.html")}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("cannot read"));
  EXPECT_EQ(Run({dir_.string()}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("cannot read"));
  EXPECT_EQ(Run({"https://exa mple.com/"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("ERR_INVALID_URL"));
  EXPECT_EQ(Run({"ftp://files.example/"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("ERR_UNKNOWN_URL_SCHEME"));
  EXPECT_EQ(Run({"wss://socket.example/"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("is not http(s)"));
  WriteFile("ok.html", "<p>hi");
  EXPECT_EQ(Run({Path("ok.html"), "--base-url=notaurl"}), 1);
  EXPECT_EQ(Run({Path("ok.html"), "--then", "javascript:alert(1)"}), 1);
  EXPECT_EQ(Run({Path("ok.html"), "--waterfall=" + Path("no/such/dir/w.svg")}),
            1);
  EXPECT_THAT(err_.str(), HasSubstr("cannot write"));
  EXPECT_EQ(Run({Path("ok.html"), "--netlog=" + Path("no/such/dir/n.json")}),
            1);
  EXPECT_THAT(err_.str(), HasSubstr("cannot write the NetLog"));
  EXPECT_EQ(Run({Path("ok.html"), "--har=" + Path("no/such/dir/h.har")}), 1);
  EXPECT_THAT(err_.str(),
              HasSubstr("cannot write " + Path("no/such/dir/h.har")));
}

TEST_F(LoadCommandTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(Run({}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("usage: prewarm_shell load"));
  EXPECT_EQ(Run({"https://a.example/", "--policy=fastest"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("unknown policy 'fastest'"));
  EXPECT_EQ(Run({"https://a.example/", "--bogus"}), 2);
  EXPECT_EQ(Run({"https://a.example/", "--then"}), 2);
  EXPECT_EQ(Run({"https://a.example/", "https://b.example/"}), 2);
  EXPECT_EQ(Run({"https://a.example/", "--base-url=https://b.example/"}), 2);
  EXPECT_EQ(Run({"https://a.example/", "--waterfall="}), 2);
  EXPECT_EQ(Run({"https://a.example/", "--har="}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--har needs a file name"));
}

}  // namespace
}  // namespace prewarm
