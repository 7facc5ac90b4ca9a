#ifndef PRELOAD_SAFARI_PRELOAD_RULES_H_
#define PRELOAD_SAFARI_PRELOAD_RULES_H_

#include "preload/preload_rules.h"

namespace prewarm {

// Safari 26.4, derived from the 36 rows of experiment 1 and from
// experiment 2 (WebKit's code was not examined): mode must be equal and
// credentials equal in effect (fetch()'s default same-origin serves a plain
// same-origin preload, and cross-origin an anonymous one), except that Safari
// never reused a preload for a same-origin CORS request nor for a
// cross-origin no-cors (opaque) one. Like the spec, it never reuses a preload
// for a request with author headers, finished or in flight: restrictive, but
// never wrong.
class SafariPreloadRules : public PreloadRules {
 public:
  PreloadRuleSet rule_set() const override;

 protected:
  PreloadVerdict MatchSameDestination(
      const PreloadKey& preload,
      const PreloadConsumer& consumer) const override;
};

}  // namespace prewarm

#endif  // PRELOAD_SAFARI_PRELOAD_RULES_H_
