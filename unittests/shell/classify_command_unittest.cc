#include "shell/classify_command.h"

#include <sstream>

#include "gtest/gtest.h"

namespace prewarm {
namespace {

struct Output {
  int status;
  std::string out;
  std::string err;
};

Output RunClassify(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  const int status = ClassifyCommand().Run(args, out, err);
  return {status, out.str(), err.str()};
}

TEST(ClassifyCommandTest, ValidUrlsExitZero) {
  const Output output =
      RunClassify({"https://b\xC3\xBC"
                   "cher.example/",
                   "http://[::1]:8080/"});
  EXPECT_EQ(output.status, 0) << output.err;
  EXPECT_NE(output.out.find("As main-frame navigations"), std::string::npos);
  EXPECT_NE(output.out.find("https://xn--bcher-kva.example/"),
            std::string::npos);
  EXPECT_NE(output.out.find("http://[::1]:8080"), std::string::npos);
  EXPECT_EQ(output.err, "");
}

TEST(ClassifyCommandTest, MalformedUrlIsReportedAndExitsOne) {
  const Output output =
      RunClassify({"https://ok.example/", "http://example.com:65536/"});
  EXPECT_EQ(output.status, 1);
  EXPECT_NE(output.out.find("https://ok.example/"), std::string::npos);
  EXPECT_NE(output.out.find("port 65536 is out of range"), std::string::npos)
      << output.out;
}

TEST(ClassifyCommandTest, TopFlagSwitchesToSubresourceView) {
  const Output output = RunClassify(
      {"--top=https://news.example/", "https://cdn.news.example/x.js"});
  EXPECT_EQ(output.status, 0) << output.err;
  EXPECT_NE(output.out.find("top-level page https://news.example/"),
            std::string::npos);
  EXPECT_NE(output.out.find("same-site"), std::string::npos);
}

TEST(ClassifyCommandTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunClassify({}).status, 2);
  const Output unknown_flag = RunClassify({"--verbose", "https://a.example/"});
  EXPECT_EQ(unknown_flag.status, 2);
  EXPECT_NE(unknown_flag.err.find("unknown flag '--verbose'"),
            std::string::npos);
  const Output bad_top = RunClassify({"--top=not a url", "https://a.example/"});
  EXPECT_EQ(bad_top.status, 2);
  EXPECT_NE(bad_top.err.find("cannot be a top-level page"), std::string::npos);
  EXPECT_EQ(bad_top.out, "");
}

}  // namespace
}  // namespace prewarm
