#include "shell/demo_command.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "net/test/latency_lab.h"

namespace prewarm {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(DemoCommandTest, ComparesTheFourPoliciesAndWritesEveryFile) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("demo_command_unittest." + std::to_string(::getpid()));
  std::ostringstream out;
  std::ostringstream err;
  const std::string har_path = (dir / "demo.har").string();
  ASSERT_EQ(DemoCommand().Run(
                {"--out-dir=" + dir.string(), "--har=" + har_path}, out, err),
            0)
      << err.str();
  const std::string text = out.str();
  EXPECT_EQ(err.str(), "");
  // The default round trips: 40 ms to the page's own origin, 100 ms to
  // third parties, each on its own loopback address in the kernel lab where
  // the machine allows it.
  EXPECT_THAT(text, MatchesRegex("(.|\n)*https://news.example +-> "
                                 "127\\.0\\.0\\.[0-9]+:[0-9]+  round trip 40 "
                                 "ms\n(.|\n)*"));
  EXPECT_THAT(text, MatchesRegex("(.|\n)*https://fonts.gstatic.example +-> "
                                 "127\\.0\\.0\\.[0-9]+:[0-9]+  round trip 100 "
                                 "ms\n(.|\n)*"));
  if (std::optional<std::string> reason = net::LatencyLab::UnsupportedReason())
    EXPECT_THAT(text, HasSubstr("delay:   user-space LatencyProxy fallback"));
  else
    EXPECT_THAT(text, HasSubstr("delay:   kernel-level"));
  // The learned correction fixes every mistake on the repeat visit; the
  // other policies keep stranding sockets.
  EXPECT_THAT(text, MatchesRegex("(.|\n)*prewarm +first +6 +5 +1 (.|\n)*"));
  EXPECT_THAT(text, MatchesRegex("(.|\n)*prewarm +repeat +6 +6 +0 (.|\n)*"));
  EXPECT_THAT(text, MatchesRegex("(.|\n)*seed +repeat +6 +3 +3 (.|\n)*"));
  EXPECT_THAT(text,
              MatchesRegex("(.|\n)*single-pool +repeat +6 +0 +6 (.|\n)*"));
  EXPECT_THAT(text, HasSubstr("add crossorigin=anonymous"));
  EXPECT_THAT(text, HasSubstr("prewarm, repeat visit: none"));
  for (const char* policy : {"prewarm", "seed", "chromium", "single-pool"}) {
    for (std::string name : {std::string("waterfall-") + policy + "-first.svg",
                             std::string("waterfall-") + policy + "-repeat.svg",
                             std::string("netlog-") + policy + ".json",
                             std::string("table-") + policy + ".txt"}) {
      EXPECT_TRUE(std::filesystem::is_regular_file(dir / name)) << name;
      EXPECT_THAT(text, HasSubstr((dir / name).string()));
    }
  }
  // One HAR page per policy and visit, titled by both.
  EXPECT_THAT(text, HasSubstr("har          " + har_path + "\n"));
  std::ifstream har_file(har_path);
  std::stringstream har_text;
  har_text << har_file.rdbuf();
  google::protobuf::Struct har;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(har_text.str(), &har).ok());
  const auto& pages = har.fields()
                          .at("log")
                          .struct_value()
                          .fields()
                          .at("pages")
                          .list_value()
                          .values();
  ASSERT_EQ(pages.size(), 8);
  EXPECT_THAT(pages[7].struct_value().fields().at("title").string_value(),
              HasSubstr("single-pool, repeat visit: "));
  std::filesystem::remove_all(dir);
}

TEST(DemoCommandTest, RejectsUnknownArguments) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(DemoCommand().Run({"extra"}, out, err), 2);
  EXPECT_THAT(err.str(), HasSubstr("unexpected argument 'extra'"));
  EXPECT_EQ(DemoCommand().Run({"--out-dir="}, out, err), 2);
  EXPECT_EQ(DemoCommand().Run({"--rtt=0x10"}, out, err), 2);
  EXPECT_THAT(err.str(), HasSubstr("--rtt: round trip '0x10'"));
  EXPECT_EQ(DemoCommand().Run({"--har="}, out, err), 2);
}

TEST(DemoCommandTest, UnwritableOutputDirectoryIsAnError) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(DemoCommand().Run({"--out-dir=/proc/no-such-dir"}, out, err), 1);
  EXPECT_THAT(err.str(), HasSubstr("cannot create /proc/no-such-dir"));
}

}  // namespace
}  // namespace prewarm
