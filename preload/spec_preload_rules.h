#ifndef PRELOAD_SPEC_PRELOAD_RULES_H_
#define PRELOAD_SPEC_PRELOAD_RULES_H_

#include "preload/preload_rules.h"

namespace prewarm {

// HTML + Fetch as written (HTML PR 7260, Fetch 2022): the key is (URL,
// destination, mode, credentials mode), compared literally; integrity is
// checked at consume time. Fetch consults the preload map only when the
// request's unsafe-request flag is unset or its header list is empty, and
// fetch() always sets that flag, so a request with author headers never
// consumes a preload. This is the baseline the browsers deviate from.
class SpecPreloadRules : public PreloadRules {
 public:
  PreloadRuleSet rule_set() const override;

 protected:
  PreloadVerdict MatchSameDestination(
      const PreloadKey& preload,
      const PreloadConsumer& consumer) const override;
};

}  // namespace prewarm

#endif  // PRELOAD_SPEC_PRELOAD_RULES_H_
