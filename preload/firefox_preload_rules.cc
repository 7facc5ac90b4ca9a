#include "preload/firefox_preload_rules.h"

namespace prewarm {

namespace {

enum class CorsClass { kNone, kAnonymous, kUseCredentials };

CorsClass CorsClassOf(const FetchSettings& settings) {
  if (settings.mode != RequestMode::kCors)
    return CorsClass::kNone;
  return settings.credentials == CredentialsMode::kInclude
             ? CorsClass::kUseCredentials
             : CorsClass::kAnonymous;
}

}  // namespace

PreloadRuleSet FirefoxPreloadRules::rule_set() const {
  return PreloadRuleSet::kFirefox;
}

PreloadVerdict FirefoxPreloadRules::MatchSameDestination(
    const PreloadKey& preload,
    const PreloadConsumer& consumer) const {
  if (CorsClassOf(preload.settings) != CorsClassOf(consumer.settings)) {
    // Name the field that moved the request to another class.
    return PreloadVerdict::Mismatch(preload.settings.mode !=
                                            consumer.settings.mode
                                        ? PreloadMismatch::kMode
                                        : PreloadMismatch::kCredentials);
  }
  if (!consumer.integrity.empty())
    return PreloadVerdict::Mismatch(PreloadMismatch::kIntegrity);
  if (!consumer.headers.empty()) {
    PreloadVerdict verdict;
    verdict.kind = PreloadVerdict::Kind::kReuseIfCacheable;
    verdict.decide_after_body = true;
    return verdict;
  }
  return PreloadVerdict::Reuse();
}

}  // namespace prewarm
