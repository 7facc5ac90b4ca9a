#include "host/origin_round_trips.h"

#include <optional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prewarm {
namespace {

using ::testing::HasSubstr;

TEST(OriginRoundTripsTest, OneNumberIsEveryOriginsRoundTrip) {
  std::string error;
  std::optional<OriginRoundTrips> round_trips =
      OriginRoundTrips::Parse("100", &error);
  ASSERT_TRUE(round_trips) << error;
  EXPECT_EQ(round_trips->ForHost("news.example"), absl::Milliseconds(100));
  EXPECT_EQ(round_trips->ForHost("ads.example"), absl::Milliseconds(100));
  EXPECT_EQ(round_trips->Max(), absl::Milliseconds(100));
  EXPECT_EQ(round_trips->ToString(), "100");
}

TEST(OriginRoundTripsTest, PerHostFormWithADefault) {
  std::string error;
  std::optional<OriginRoundTrips> round_trips =
      OriginRoundTrips::Parse("News.Example=40,*=120,cdn.example=7.5", &error);
  ASSERT_TRUE(round_trips) << error;
  EXPECT_EQ(round_trips->ForHost("news.example"), absl::Milliseconds(40));
  EXPECT_EQ(round_trips->ForHost("NEWS.example"), absl::Milliseconds(40));
  EXPECT_EQ(round_trips->ForHost("cdn.example"), absl::Microseconds(7500));
  EXPECT_EQ(round_trips->ForHost("other.example"), absl::Milliseconds(120));
  EXPECT_EQ(round_trips->Max(), absl::Milliseconds(120));
  EXPECT_EQ(round_trips->ToString(), "news.example=40,cdn.example=7.5,*=120");
}

TEST(OriginRoundTripsTest, MalformedValuesNameTheBadPart) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {
           Case{"", "is not a number"},
           Case{"fast", "is not a number"},
           Case{"-5", "is not a number"},
           Case{"nan", "is not a number"},
           Case{"0x10", "is not a number"},
           Case{"1e3", "is not a number"},
           Case{"10001", "is not a number"},
           Case{"news.example=40", "add *=MS"},
           Case{"news.example=40,*=", "'*=' is not HOST=MS"},
           Case{"=40,*=100", "'=40' is not HOST=MS"},
           Case{"a.example=1,a.example=2,*=3", "'a.example' is given twice"},
           Case{"*=1,*=2", "'*' is given twice"},
           Case{"a.example:443=1,*=2", "is not HOST=MS"},
           Case{"*=100,,", "'' is not HOST=MS"},
       }) {
    std::string error;
    EXPECT_FALSE(OriginRoundTrips::Parse(c.text, &error)) << c.text;
    EXPECT_THAT(error, HasSubstr(c.message)) << c.text;
  }
}

}  // namespace
}  // namespace prewarm
