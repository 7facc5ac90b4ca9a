#include "preload/prewarm_preload_rules.h"

namespace prewarm {

PreloadRuleSet PrewarmPreloadRules::rule_set() const {
  return PreloadRuleSet::kPrewarm;
}

PreloadVerdict PrewarmPreloadRules::MatchSameDestination(
    const PreloadKey& preload,
    const PreloadConsumer& consumer) const {
  if (PreloadMismatch field = CompareSettingsByEffect(preload, consumer);
      field != PreloadMismatch::kNone) {
    return PreloadVerdict::Mismatch(field);
  }
  if (!IntegrityAllowsReuse(preload, consumer))
    return PreloadVerdict::Mismatch(PreloadMismatch::kIntegrity);
  if (!consumer.headers.empty()) {
    PreloadVerdict verdict;
    verdict.kind = PreloadVerdict::Kind::kReuseIfCacheable;
    return verdict;
  }
  return PreloadVerdict::Reuse();
}

}  // namespace prewarm
