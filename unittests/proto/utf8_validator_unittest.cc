#include "proto/utf8_validator.h"

#include <string>

#include "gtest/gtest.h"
#include "proto/scenario.pb.h"

namespace prewarm {
namespace {

scenario::Scenario TwoSteps(const std::string& second_url) {
  scenario::Scenario scenario;
  scenario.set_name("ok");
  scenario.add_steps()->mutable_navigate()->set_url("https://a.example/");
  scenario.add_steps()->mutable_preconnect()->set_url(second_url);
  return scenario;
}

TEST(Utf8ValidatorTest, ValidStringsPass) {
  EXPECT_EQ(Utf8Validator::FindInvalidField(TwoSteps("https://b\xc3\xbc"
                                                     "cher.example/")),
            "");
}

TEST(Utf8ValidatorTest, NamesTheNestedRepeatedFieldOfAMessage) {
  EXPECT_EQ(Utf8Validator::FindInvalidField(TwoSteps("https://b/\xff")),
            "steps[1].preconnect.url");
  // Overlong and surrogate encodings are invalid too.
  EXPECT_EQ(Utf8Validator::FindInvalidField(TwoSteps("\xc0\xaf")),
            "steps[1].preconnect.url");
  EXPECT_EQ(Utf8Validator::FindInvalidField(TwoSteps("\xed\xa0\x80")),
            "steps[1].preconnect.url");
}

TEST(Utf8ValidatorTest, FindsTheSameFieldInTheWireFormat) {
  // Serialised with a placeholder, then the placeholder's bytes are made
  // invalid: protobuf will not parse the result.
  std::string bytes = TwoSteps("https://b/@@").SerializeAsString();
  bytes.replace(bytes.find("@@"), 2, "\xff\xfe");
  scenario::Scenario parsed;
  ASSERT_FALSE(parsed.ParseFromString(bytes));
  EXPECT_EQ(Utf8Validator::FindInvalidFieldInWire(
                *scenario::Scenario::descriptor(), bytes),
            "steps[1].preconnect.url");
  EXPECT_EQ(Utf8Validator::FindInvalidFieldInWire(
                *scenario::Scenario::descriptor(),
                TwoSteps("https://b/").SerializeAsString()),
            "");
}

TEST(Utf8ValidatorTest, MalformedWireBytesFindNothing) {
  EXPECT_EQ(Utf8Validator::FindInvalidFieldInWire(
                *scenario::Scenario::descriptor(), "\x0a\x05\xff"),
            "");
}

}  // namespace
}  // namespace prewarm
