// The scenario loader on arbitrary textproto; see scenario_invariants.h.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/scenario_invariants.h"
#include "proto/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckScenarioLoaderResult(
      prewarm::ScenarioLoader::ParseTextProto(text, "fuzz.textproto"));
  return 0;
}
