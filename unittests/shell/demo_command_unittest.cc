#include "shell/demo_command.h"

#include <filesystem>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

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
  ASSERT_EQ(DemoCommand().Run({"--out-dir=" + dir.string()}, out, err), 0)
      << err.str();
  const std::string text = out.str();
  EXPECT_EQ(err.str(), "");
  EXPECT_THAT(text, MatchesRegex("(.|\n)*https://fonts.gstatic.example +-> "
                                 "127.0.0.1:[0-9]+\n(.|\n)*"));
  // The learned correction fixes every mistake on the repeat visit; the
  // other policies keep stranding sockets.
  EXPECT_THAT(text, MatchesRegex("(.|\n)*prewarm +first +6 +3 +3 (.|\n)*"));
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
  std::filesystem::remove_all(dir);
}

TEST(DemoCommandTest, RejectsUnknownArguments) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(DemoCommand().Run({"extra"}, out, err), 2);
  EXPECT_THAT(err.str(), HasSubstr("unexpected argument 'extra'"));
  EXPECT_EQ(DemoCommand().Run({"--out-dir="}, out, err), 2);
}

TEST(DemoCommandTest, UnwritableOutputDirectoryIsAnError) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(DemoCommand().Run({"--out-dir=/proc/no-such-dir"}, out, err), 1);
  EXPECT_THAT(err.str(), HasSubstr("cannot create /proc/no-such-dir"));
}

}  // namespace
}  // namespace prewarm
