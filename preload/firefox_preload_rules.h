#ifndef PRELOAD_FIREFOX_PRELOAD_RULES_H_
#define PRELOAD_FIREFOX_PRELOAD_RULES_H_

#include "preload/preload_rules.h"

namespace prewarm {

// Firefox 151 as observed in experiments 1 and 2 (seed 003), consistent
// with necko's FetchDriver::FindPreload: the preload and the request must
// fall in the same CORS class - none (no-cors), anonymous (cors without
// include) or use-credentials (cors + include) - whatever the exact
// credentials mode, which is why cors+omit reuses an anonymous preload and
// no-cors+omit a plain one (with a different cookie on the wire). A fetch()
// with integrity metadata does not look up preloads. With author headers,
// Firefox waits for the preload to finish and then reuses it only if the HTTP
// cache may serve it (storable, fresh, Vary not naming the request's
// headers); otherwise it sends a second request, later than if it had not
// waited.
class FirefoxPreloadRules : public PreloadRules {
 public:
  PreloadRuleSet rule_set() const override;

 protected:
  PreloadVerdict MatchSameDestination(
      const PreloadKey& preload,
      const PreloadConsumer& consumer) const override;
};

}  // namespace prewarm

#endif  // PRELOAD_FIREFOX_PRELOAD_RULES_H_
