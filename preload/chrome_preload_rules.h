#ifndef PRELOAD_CHROME_PRELOAD_RULES_H_
#define PRELOAD_CHROME_PRELOAD_RULES_H_

#include "preload/preload_rules.h"

namespace prewarm {

// Chrome 148 as observed in experiment 1 and 2 (seed 003) and read in
// Blink's ResourceFetcher::MatchPreload / Resource::CanReuse: (mode,
// credentials mode) must be literally equal (so a plain preload does not
// serve fetch(url, {mode: 'no-cors'}) even same-origin, where both send
// cookies); an integrity differing from a consumer's metadata refuses; author
// headers are not compared at all, so a fetch() with custom headers reuses the
// preload (and waits for it while it is in flight), which can show data the
// server would have answered differently.
class ChromePreloadRules : public PreloadRules {
 public:
  PreloadRuleSet rule_set() const override;

 protected:
  PreloadVerdict MatchSameDestination(
      const PreloadKey& preload,
      const PreloadConsumer& consumer) const override;
};

}  // namespace prewarm

#endif  // PRELOAD_CHROME_PRELOAD_RULES_H_
