#include "preconnect/preconnect_policy.h"

namespace prewarm {

const char* PreconnectPolicyToString(PreconnectPolicy policy) {
  switch (policy) {
    case PreconnectPolicy::kPrewarm:
      return "prewarm";
    case PreconnectPolicy::kSeed:
      return "seed";
    case PreconnectPolicy::kChromium:
      return "chromium";
    case PreconnectPolicy::kSinglePool:
      return "single-pool";
  }
  return "unknown";
}

std::optional<PreconnectPolicy> PreconnectPolicyFromString(
    std::string_view name) {
  for (PreconnectPolicy policy : kAllPreconnectPolicies) {
    if (name == PreconnectPolicyToString(policy))
      return policy;
  }
  return std::nullopt;
}

PrivacyDecider::Options PrivacyOptionsFor(PreconnectPolicy policy,
                                          bool partition_connections) {
  PrivacyDecider::Options options;
  options.partition_connections = partition_connections;
  if (policy == PreconnectPolicy::kChromium)
    options.uncredentialed_privacy_mode = net::PrivacyMode::kEnabled;
  return options;
}

}  // namespace prewarm
