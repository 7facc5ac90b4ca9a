#include "shell/demo_command.h"

#include <sstream>

#include "gtest/gtest.h"

namespace prewarm {
namespace {

TEST(DemoCommandTest, ShowsValidAndMalformedExamplesAndSucceeds) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(DemoCommand().Run({}, out, err), 0) << err.str();
  const std::string text = out.str();
  EXPECT_NE(text.find("NAK https://alice.github.io same_site"),
            std::string::npos);
  EXPECT_NE(text.find("NAK https://bob.github.io same_site"),
            std::string::npos);
  EXPECT_NE(text.find("xn--bcher-kva.example"), std::string::npos);
  EXPECT_NE(text.find("ERR_UNKNOWN_URL_SCHEME"), std::string::npos);
  EXPECT_EQ(err.str(), "");
}

TEST(DemoCommandTest, RejectsArguments) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(DemoCommand().Run({"extra"}, out, err), 2);
  EXPECT_NE(err.str().find("takes no arguments"), std::string::npos);
}

}  // namespace
}  // namespace prewarm
