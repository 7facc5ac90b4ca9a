#ifndef PRECONNECT_PRECONNECT_POLICY_H_
#define PRECONNECT_PRECONNECT_POLICY_H_

#include <array>
#include <optional>
#include <string_view>

#include "privacy/privacy_decider.h"

namespace prewarm {

// How preconnects choose their group (docs/pool-selection.md section 8). The
// replay runs one scenario under each to compare them.
enum class PreconnectPolicy {
  // Sections 3-4 plus explicit purpose and the learned correction.
  kPrewarm,
  // The seed design: load-phase heuristic with cookie settings only.
  kSeed,
  // Today's Chromium: privacy mode from the credentials flag alone.
  kChromium,
  // Chromium's first design: everything in the cookies-allowed group.
  kSinglePool,
};

inline constexpr std::array<PreconnectPolicy, 4> kAllPreconnectPolicies = {
    PreconnectPolicy::kPrewarm, PreconnectPolicy::kSeed,
    PreconnectPolicy::kChromium, PreconnectPolicy::kSinglePool};

// "prewarm", "seed", "chromium", "single-pool".
const char* PreconnectPolicyToString(PreconnectPolicy policy);
// The inverse; nullopt for any other name.
std::optional<PreconnectPolicy> PreconnectPolicyFromString(
    std::string_view name);

// How real requests map under `policy`: the options of the one PrivacyDecider
// that serves both the real requests and the preconnects of a run. Every
// policy follows sections 2-3 for real requests, except that under kChromium a
// request without credentials maps to ENABLED rather than
// ENABLED_WITHOUT_CLIENT_CERTS (Chromium's own mapping).
PrivacyDecider::Options PrivacyOptionsFor(PreconnectPolicy policy,
                                          bool partition_connections);

}  // namespace prewarm

#endif  // PRECONNECT_PRECONNECT_POLICY_H_
