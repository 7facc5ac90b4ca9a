#ifndef FUZZ_SCENARIO_INVARIANTS_H_
#define FUZZ_SCENARIO_INVARIANTS_H_

#include <string>

#include "fuzz/fuzz_check.h"
#include "proto/scenario_loader.h"

// What the scenario loader promises for any input, textproto or JSON: an
// error has a message; an accepted scenario passes Validate and survives a
// round trip through the binary format (which is what --via-ipc sends).
inline void CheckScenarioLoaderResult(
    const prewarm::ScenarioLoader::Result& result) {
  if (!result.ok()) {
    FUZZ_CHECK(!result.error_message.empty(), "error %d without a message",
               result.error);
    return;
  }
  std::string message;
  FUZZ_CHECK(prewarm::ScenarioLoader::Validate(result.scenario, &message) == 0,
             "accepted scenario fails Validate: %s", message.c_str());
  prewarm::scenario::Scenario copy;
  FUZZ_CHECK(copy.ParseFromString(result.scenario.SerializeAsString()),
             "accepted scenario does not round-trip");
}

#endif  // FUZZ_SCENARIO_INVARIANTS_H_
