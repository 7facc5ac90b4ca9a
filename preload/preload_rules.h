#ifndef PRELOAD_PRELOAD_RULES_H_
#define PRELOAD_PRELOAD_RULES_H_

#include <array>
#include <memory>
#include <optional>
#include <string_view>

#include "preload/preload_request.h"

namespace prewarm {

// The rule sets of docs/preload-matching.md section 3.
enum class PreloadRuleSet { kPrewarm, kSpec, kChrome, kFirefox, kSafari };

inline constexpr std::array<PreloadRuleSet, 5> kAllPreloadRuleSets = {
    PreloadRuleSet::kPrewarm, PreloadRuleSet::kSpec, PreloadRuleSet::kChrome,
    PreloadRuleSet::kFirefox, PreloadRuleSet::kSafari};

// "prewarm", "spec", "chrome", "firefox", "safari" (the --preload-rules
// values) and back; nullopt for anything else.
const char* PreloadRuleSetToString(PreloadRuleSet rules);
std::optional<PreloadRuleSet> PreloadRuleSetFromString(std::string_view name);
// "prewarm", "the spec", "Chrome", "Firefox", "Safari": for sentences.
const char* PreloadRuleSetDisplayName(PreloadRuleSet rules);

// The field that kept a request from a preload.
enum class PreloadMismatch {
  kNone,
  kDestination,
  kMode,
  kCredentials,
  kIntegrity,
  // The consumer sets author headers and the rule set never reuses then.
  kHeaders,
  // Safari's exclusions (same-origin CORS, cross-origin no-cors).
  kResponseType,
  // With author headers: the preload's response may not be reused from the
  // HTTP cache (not storable or not fresh), or its Vary names one of them.
  kCacheability,
  kVary,
};

// What a rule set says about one preload and one later request for the same
// URL. A value type.
struct PreloadVerdict {
  enum class Kind {
    // Consume it (waiting for the response if it is still in flight).
    kReuse,
    // Leave it; the request makes its own.
    kMismatch,
    // Consume it only if its response may serve the request from the HTTP
    // cache (ResponseCacheability::reusable() and Vary); decided when the
    // response headers arrive, or once the whole response is in
    // (`decide_after_body`, Firefox: the request waits for it either way).
    kReuseIfCacheable,
  };
  Kind kind = Kind::kMismatch;
  PreloadMismatch field = PreloadMismatch::kNone;
  bool decide_after_body = false;

  static PreloadVerdict Reuse() { return {Kind::kReuse}; }
  static PreloadVerdict Mismatch(PreloadMismatch field) {
    return {Kind::kMismatch, field};
  }
};

// One rule set: compares a preload with a later request. Subclasses state
// their rationale in their headers. The destination is compared here for all
// of them (every browser keys preloads by it); URL equality is the caller's
// lookup. Stateless and immutable, so one instance may serve every document.
class PreloadRules {
 public:
  static std::unique_ptr<PreloadRules> Create(PreloadRuleSet rules);

  virtual ~PreloadRules() = default;

  virtual PreloadRuleSet rule_set() const = 0;

  PreloadVerdict Match(const PreloadKey& preload,
                       const PreloadConsumer& consumer) const;

 protected:
  // `preload` and `consumer` have the same URL and destination.
  virtual PreloadVerdict MatchSameDestination(
      const PreloadKey& preload,
      const PreloadConsumer& consumer) const = 0;
};

// Helpers the rule sets share.
// Subresource Integrity at consume time (HTML and Fetch): the consumer has no
// metadata, or exactly the preload's.
bool IntegrityAllowsReuse(const PreloadKey& preload,
                          const PreloadConsumer& consumer);
// Literal (mode, credentials mode) comparison; kNone when equal.
PreloadMismatch CompareSettingsLiterally(const PreloadKey& preload,
                                         const PreloadConsumer& consumer);
// Mode literally, credentials by their effect (same-origin is include for a
// same-origin URL and omit otherwise); kNone when equal.
PreloadMismatch CompareSettingsByEffect(const PreloadKey& preload,
                                        const PreloadConsumer& consumer);

}  // namespace prewarm

#endif  // PRELOAD_PRELOAD_RULES_H_
