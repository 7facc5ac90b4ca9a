// The scenario loader on arbitrary JSON: it must return a result (a
// scenario or an error with a message) for every input. A scenario it
// accepts must also pass Validate and survive a round trip through the
// binary format.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "proto/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const prewarm::ScenarioLoader::Result result =
      prewarm::ScenarioLoader::ParseJson(text, "fuzz.json");
  if (!result.ok()) {
    FUZZ_CHECK(!result.error_message.empty(), "error %d without a message",
               result.error);
    return 0;
  }
  std::string message;
  FUZZ_CHECK(prewarm::ScenarioLoader::Validate(result.scenario, &message) == 0,
             "accepted scenario fails Validate: %s", message.c_str());
  prewarm::scenario::Scenario copy;
  FUZZ_CHECK(copy.ParseFromString(result.scenario.SerializeAsString()),
             "accepted scenario does not round-trip");
  return 0;
}
