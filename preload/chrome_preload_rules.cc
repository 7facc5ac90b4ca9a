#include "preload/chrome_preload_rules.h"

namespace prewarm {

PreloadRuleSet ChromePreloadRules::rule_set() const {
  return PreloadRuleSet::kChrome;
}

PreloadVerdict ChromePreloadRules::MatchSameDestination(
    const PreloadKey& preload,
    const PreloadConsumer& consumer) const {
  // MatchPreload checks integrity before CanReuse compares the modes.
  if (!IntegrityAllowsReuse(preload, consumer))
    return PreloadVerdict::Mismatch(PreloadMismatch::kIntegrity);
  if (PreloadMismatch field = CompareSettingsLiterally(preload, consumer);
      field != PreloadMismatch::kNone) {
    return PreloadVerdict::Mismatch(field);
  }
  return PreloadVerdict::Reuse();
}

}  // namespace prewarm
