#include "shell/load_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "host/demo_site.h"
#include "net/test/latency_lab.h"
#include "net/test/nginx_server.h"
#include "net/test/test_certificate_authority.h"
#include "unittests/shell/har_schema_check.h"

namespace prewarm {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

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
           "--policy=chromium", "--hints-first", "--waterfall=" + Path("w.svg"),
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

// Two real nginx servers that know nothing of prewarm, each with its own CA:
// the rules send the page's hosts to them, --ca-file trusts only the first.
TEST_F(LoadCommandTest, AnyServerIsReachedThroughRulesAndTheCaFile) {
  net::TestCertificateAuthority site_ca("site CA");
  net::TestCertificateAuthority images_ca("images CA");
  net::NginxServer::Options site_options;
  site_options.certificate_names = {"www.site.test"};
  site_options.static_files = {
      {"page.html",
       "<img src=https://images.other.test/static/a.png>"
       "<script src=https://missing.test/s.js></script>"
       "<img src=/static/b.png>"},
      {"b.png", "b"}};
  net::NginxServer site(site_options, &site_ca);
  net::NginxServer::Options images_options;
  images_options.certificate_names = {"images.other.test"};
  images_options.static_files = {{"a.png", "a"}};
  net::NginxServer images(images_options, &images_ca);
  std::string error;
  ASSERT_TRUE(site.Start(&error)) << error;
  ASSERT_TRUE(images.Start(&error)) << error;
  ASSERT_TRUE(site_ca.WriteRootCertificatePem(Path("ca.pem"), &error));
  const std::string rules = absl::StrCat(
      "--host-resolver-rules=MAP www.site.test 127.0.0.1:", site.https_port(),
      ", MAP images.other.test 127.0.0.1:", images.https_port(),
      ", MAP missing.test ~NOTFOUND");
  const std::string page = "https://www.site.test/static/page.html";

  // The page's own origin is trusted; the others fail one by one, with the
  // reason, and the load event still comes.
  ASSERT_EQ(Run({page, rules, "--ca-file=" + Path("ca.pem"), "--in-process"}),
            0)
      << err_.str() << out_.str();
  std::string text = out_.str();
  EXPECT_THAT(text, HasSubstr("ERR_CERT_AUTHORITY_INVALID"));
  EXPECT_THAT(text, HasSubstr("ERR_NAME_NOT_RESOLVED"));
  EXPECT_THAT(text, HasSubstr("load event "));
  EXPECT_THAT(text, HasSubstr("/static/b.png"));
  // The error names the key, for the allowlist.
  size_t key = text.find("sha256/");
  ASSERT_NE(key, std::string::npos) << text;
  const std::string images_key = text.substr(key + 7, 44);

  ASSERT_EQ(Run({page, rules, "--ca-file=" + Path("ca.pem"),
                 "--ignore-certificate-errors-spki-list=" + images_key}),
            0)
      << err_.str() << out_.str();
  text = out_.str();
  EXPECT_THAT(text, Not(HasSubstr("ERR_CERT_AUTHORITY_INVALID")));
  EXPECT_THAT(text, HasSubstr("ERR_NAME_NOT_RESOLVED"));
  EXPECT_EQ(images.WaitForAccessLog(1).size(), 1u);

  // Without the CA the page itself cannot be fetched: a clear failure.
  EXPECT_EQ(Run({page, rules, "--in-process"}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("ERR_CERT_AUTHORITY_INVALID"));
}

TEST_F(LoadCommandTest, BadNetworkFlagsAreUsageErrors) {
  WriteFile("not-a-ca.pem", "hello");
  EXPECT_EQ(Run({"https://a.example/", "--ca-file=" + Path("missing.pem")}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("cannot read --ca-file"));
  EXPECT_EQ(Run({"https://a.example/", "--ca-file=" + Path("not-a-ca.pem")}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("holds no PEM certificate"));
  EXPECT_EQ(Run({"https://a.example/", "--host-resolver-rules=MAP"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--host-resolver-rules"));
  EXPECT_EQ(
      Run({"https://a.example/", "--ignore-certificate-errors-spki-list=abc"}),
      2);
  EXPECT_THAT(err_.str(), HasSubstr("'abc'"));
  EXPECT_EQ(Run({"https://a.example/", "--ca-file="}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("needs a value"));
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
