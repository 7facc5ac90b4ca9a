#include "preload/preload_rules.h"

#include "preload/chrome_preload_rules.h"
#include "preload/firefox_preload_rules.h"
#include "preload/prewarm_preload_rules.h"
#include "preload/safari_preload_rules.h"
#include "preload/spec_preload_rules.h"

namespace prewarm {

const char* PreloadRuleSetToString(PreloadRuleSet rules) {
  switch (rules) {
    case PreloadRuleSet::kPrewarm:
      return "prewarm";
    case PreloadRuleSet::kSpec:
      return "spec";
    case PreloadRuleSet::kChrome:
      return "chrome";
    case PreloadRuleSet::kFirefox:
      return "firefox";
    case PreloadRuleSet::kSafari:
      return "safari";
  }
  return "prewarm";
}

std::optional<PreloadRuleSet> PreloadRuleSetFromString(std::string_view name) {
  for (PreloadRuleSet rules : kAllPreloadRuleSets) {
    if (name == PreloadRuleSetToString(rules))
      return rules;
  }
  return std::nullopt;
}

const char* PreloadRuleSetDisplayName(PreloadRuleSet rules) {
  switch (rules) {
    case PreloadRuleSet::kPrewarm:
      return "prewarm";
    case PreloadRuleSet::kSpec:
      return "the spec";
    case PreloadRuleSet::kChrome:
      return "Chrome";
    case PreloadRuleSet::kFirefox:
      return "Firefox";
    case PreloadRuleSet::kSafari:
      return "Safari";
  }
  return "prewarm";
}

// static
std::unique_ptr<PreloadRules> PreloadRules::Create(PreloadRuleSet rules) {
  switch (rules) {
    case PreloadRuleSet::kSpec:
      return std::make_unique<SpecPreloadRules>();
    case PreloadRuleSet::kChrome:
      return std::make_unique<ChromePreloadRules>();
    case PreloadRuleSet::kFirefox:
      return std::make_unique<FirefoxPreloadRules>();
    case PreloadRuleSet::kSafari:
      return std::make_unique<SafariPreloadRules>();
    case PreloadRuleSet::kPrewarm:
      break;
  }
  return std::make_unique<PrewarmPreloadRules>();
}

PreloadVerdict PreloadRules::Match(const PreloadKey& preload,
                                   const PreloadConsumer& consumer) const {
  if (preload.destination != consumer.destination)
    return PreloadVerdict::Mismatch(PreloadMismatch::kDestination);
  return MatchSameDestination(preload, consumer);
}

bool IntegrityAllowsReuse(const PreloadKey& preload,
                          const PreloadConsumer& consumer) {
  return consumer.integrity.empty() || consumer.integrity == preload.integrity;
}

PreloadMismatch CompareSettingsLiterally(const PreloadKey& preload,
                                         const PreloadConsumer& consumer) {
  if (preload.settings.mode != consumer.settings.mode)
    return PreloadMismatch::kMode;
  if (preload.settings.credentials != consumer.settings.credentials)
    return PreloadMismatch::kCredentials;
  return PreloadMismatch::kNone;
}

PreloadMismatch CompareSettingsByEffect(const PreloadKey& preload,
                                        const PreloadConsumer& consumer) {
  if (preload.settings.mode != consumer.settings.mode)
    return PreloadMismatch::kMode;
  if (SendsCredentials(preload.settings.credentials, preload.same_origin) !=
      SendsCredentials(consumer.settings.credentials, consumer.same_origin)) {
    return PreloadMismatch::kCredentials;
  }
  return PreloadMismatch::kNone;
}

}  // namespace prewarm
