#include "preload/safari_preload_rules.h"

namespace prewarm {

PreloadRuleSet SafariPreloadRules::rule_set() const {
  return PreloadRuleSet::kSafari;
}

PreloadVerdict SafariPreloadRules::MatchSameDestination(
    const PreloadKey& preload,
    const PreloadConsumer& consumer) const {
  if (PreloadMismatch field = CompareSettingsByEffect(preload, consumer);
      field != PreloadMismatch::kNone) {
    return PreloadVerdict::Mismatch(field);
  }
  // Rows "Same, use-credentials/anonymous, cors" and "Diff, none, no-cors,
  // include" of experiment 1: equal on the wire, still not reused.
  bool same_origin_cors =
      consumer.same_origin && consumer.settings.mode == RequestMode::kCors;
  bool cross_origin_no_cors =
      !consumer.same_origin && consumer.settings.mode == RequestMode::kNoCors;
  if (same_origin_cors || cross_origin_no_cors)
    return PreloadVerdict::Mismatch(PreloadMismatch::kResponseType);
  if (!consumer.headers.empty())
    return PreloadVerdict::Mismatch(PreloadMismatch::kHeaders);
  if (!IntegrityAllowsReuse(preload, consumer))
    return PreloadVerdict::Mismatch(PreloadMismatch::kIntegrity);
  return PreloadVerdict::Reuse();
}

}  // namespace prewarm
