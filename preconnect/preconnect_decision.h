#ifndef PRECONNECT_PRECONNECT_DECISION_H_
#define PRECONNECT_PRECONNECT_DECISION_H_

#include "absl/time/time.h"
#include "preconnect/learned_preconnect_corrections.h"
#include "preconnect/preconnect_policy.h"
#include "preconnect/preconnect_request.h"
#include "preconnect/preconnect_target.h"
#include "privacy/document.h"
#include "privacy/privacy_decider.h"

namespace prewarm {

// Decides the group a preconnect warms, or that it is ignored
// (docs/pool-selection.md sections 4, 7 and 8):
//  - ignored, with a diagnostic: unknown document (`document` null), empty or
//    unparsable URL, a scheme other than http/https;
//  - kPrewarm: explicit purpose, else crossorigin present -> subresource, else
//    the load phase; then, unless the purpose was explicit, the learned
//    correction; privacy mode and NAK from `privacy` with the HTML
//    credentials rule (anonymous drops credentials only cross-origin);
//  - kSeed: the load phase alone, then `privacy`; no learning;
//  - kChromium: privacy mode from the credentials flag alone (anonymous ->
//    ENABLED, else DISABLED); explicit NAVIGATION -> the target's own NAK,
//    anything else -> the document's subresource NAK;
//  - kSinglePool: DISABLED with the document's subresource NAK.
// `privacy` must be built with PrivacyOptionsFor(policy, ...), the decider
// real requests of the same run use. `learned` may be null (no corrections);
// it is only read, at `now`. Pure: the same inputs give the same target.
PreconnectTarget DecidePreconnectGroup(
    PreconnectPolicy policy,
    const PreconnectRequest& request,
    const Document* document,
    const PrivacyDecider& privacy,
    const LearnedPreconnectCorrections* learned,
    absl::Time now);

}  // namespace prewarm

#endif  // PRECONNECT_PRECONNECT_DECISION_H_
