#include "preconnect/preconnect_target.h"

namespace prewarm {

const char* PurposeSourceToString(PurposeSource source) {
  switch (source) {
    case PurposeSource::kExplicit:
      return "EXPLICIT";
    case PurposeSource::kCrossOriginAttribute:
      return "CROSSORIGIN_ATTRIBUTE";
    case PurposeSource::kLoadPhase:
      return "LOAD_PHASE";
    case PurposeSource::kLearned:
      return "LEARNED";
    case PurposeSource::kPolicy:
      return "POLICY";
  }
  return "UNKNOWN";
}

}  // namespace prewarm
