#ifndef PRELOAD_PREWARM_PRELOAD_RULES_H_
#define PRELOAD_PREWARM_PRELOAD_RULES_H_

#include "preload/preload_rules.h"

namespace prewarm {

// prewarm's own rules (the default): reuse whenever the two requests are
// the same on the wire, and never otherwise. Destination and mode must be
// equal; credentials are compared by their effect (same-origin is include
// for a same-origin URL and omit for a cross-origin one), so a plain
// same-origin preload serves fetch(url, {mode: 'no-cors'}) and an anonymous
// cross-origin one serves fetch(url, {credentials: 'omit'}). Integrity as in
// the spec. A request with author headers is not the preload's request, but
// the preload's response may still serve it the way an HTTP cache would:
// only when it is storable and fresh and its Vary names none of the
// request's headers, decided as soon as the preload's response headers
// arrive, so a request that cannot reuse it goes out at once instead of
// waiting for a body it will not use (unlike Firefox).
class PrewarmPreloadRules : public PreloadRules {
 public:
  PreloadRuleSet rule_set() const override;

 protected:
  PreloadVerdict MatchSameDestination(
      const PreloadKey& preload,
      const PreloadConsumer& consumer) const override;
};

}  // namespace prewarm

#endif  // PRELOAD_PREWARM_PRELOAD_RULES_H_
