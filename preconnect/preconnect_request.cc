#include "preconnect/preconnect_request.h"

#include "absl/strings/match.h"

namespace prewarm {

CrossOriginAttribute CrossOriginAttributeFromString(
    std::optional<std::string_view> value) {
  if (!value)
    return CrossOriginAttribute::kAbsent;
  if (absl::EqualsIgnoreCase(absl::string_view(value->data(), value->size()),
                             "use-credentials")) {
    return CrossOriginAttribute::kUseCredentials;
  }
  return CrossOriginAttribute::kAnonymous;
}

const char* PreconnectPurposeToString(PreconnectPurpose purpose) {
  switch (purpose) {
    case PreconnectPurpose::kUnknown:
      return "PURPOSE_UNKNOWN";
    case PreconnectPurpose::kSubresource:
      return "SUBRESOURCE";
    case PreconnectPurpose::kNavigation:
      return "NAVIGATION";
    case PreconnectPurpose::kSubframeNavigation:
      return "SUBFRAME_NAVIGATION";
  }
  return "PURPOSE_UNKNOWN";
}

}  // namespace prewarm
