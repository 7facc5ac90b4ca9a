#include "preload/spec_preload_rules.h"

namespace prewarm {

PreloadRuleSet SpecPreloadRules::rule_set() const {
  return PreloadRuleSet::kSpec;
}

PreloadVerdict SpecPreloadRules::MatchSameDestination(
    const PreloadKey& preload,
    const PreloadConsumer& consumer) const {
  if (PreloadMismatch field = CompareSettingsLiterally(preload, consumer);
      field != PreloadMismatch::kNone) {
    return PreloadVerdict::Mismatch(field);
  }
  if (!consumer.headers.empty())
    return PreloadVerdict::Mismatch(PreloadMismatch::kHeaders);
  if (!IntegrityAllowsReuse(preload, consumer))
    return PreloadVerdict::Mismatch(PreloadMismatch::kIntegrity);
  return PreloadVerdict::Reuse();
}

}  // namespace prewarm
