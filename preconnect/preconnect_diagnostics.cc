#include "preconnect/preconnect_diagnostics.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "net/base/net_errors.h"
#include "net/base/privacy_mode.h"

namespace prewarm {

namespace {

std::string S(std::string_view text) {
  return std::string(text);
}

const char* PoolName(net::PrivacyMode mode) {
  switch (mode) {
    case net::PrivacyMode::kDisabled:
      return "the cookies-allowed pool (DISABLED)";
    case net::PrivacyMode::kEnabled:
      return "the no-cookies pool (ENABLED)";
    case net::PrivacyMode::kEnabledWithoutClientCerts:
      return "the anonymous pool (ENABLED_WITHOUT_CLIENT_CERTS)";
    case net::PrivacyMode::kEnabledPartitionedStateAllowed:
      return "the partitioned-state pool (ENABLED_PARTITIONED_STATE_ALLOWED)";
  }
  return "an unknown pool";
}

std::string Site(const net::NetworkAnonymizationKey& key) {
  return key.IsEmpty() ? "(no partition)" : key.top_frame_site().Serialize();
}

const char* FrameKind(bool cross_site) {
  return cross_site ? "cross-site" : "same-site";
}

// Explains one differing part of the key: what happened, and what to change.
struct Finding {
  std::string what;
  std::string fix;
};

void ExplainPartition(const StrandedPreconnectFacts& facts,
                      const std::string& request,
                      std::vector<Finding>* findings,
                      std::vector<std::string>* fields) {
  const net::NetworkAnonymizationKey& warmed =
      facts.preconnect.network_anonymization_key;
  const net::NetworkAnonymizationKey& used =
      facts.request.network_anonymization_key;
  if (warmed.top_frame_site() != used.top_frame_site()) {
    fields->push_back("top_frame_site");
    if (facts.request_is_main_frame_navigation) {
      findings->push_back(
          {absl::StrCat("was warmed for a subresource of ", Site(warmed),
                        " but used by a top-level navigation"),
           facts.policy == PreconnectPolicy::kSeed
               ? "pass purpose=NAVIGATION (the seed policy ignores it; "
                 "prewarm honours it)"
               : "pass purpose=NAVIGATION"});
    } else if (facts.preconnect_purpose == PreconnectPurpose::kNavigation) {
      findings->push_back(
          {absl::StrCat("was warmed for a top-level navigation to ",
                        Site(warmed), " but used by ", request, " of ",
                        Site(used)),
           facts.policy == PreconnectPolicy::kSeed
               ? "pass purpose=SUBRESOURCE (the seed policy ignores it; "
                 "prewarm honours it)"
               : "pass purpose=SUBRESOURCE (without it, a preconnect after "
                 "the load event is taken to be for a navigation)"});
    } else {
      findings->push_back(
          {absl::StrCat("was warmed for pages on ", Site(warmed), " but ",
                        request, " came from a page on ", Site(used)),
           "preconnect from the page that makes the request"});
    }
    return;
  }
  if (warmed.is_cross_site() != used.is_cross_site()) {
    fields->push_back("is_cross_site");
    findings->push_back(
        {absl::StrCat("was warmed for a ", FrameKind(warmed.is_cross_site()),
                      " frame of ", Site(warmed), " but ", request,
                      " came from a ", FrameKind(used.is_cross_site()),
                      " frame"),
         "preconnect from the frame that makes the request"});
  }
}

void ExplainPrivacyMode(const StrandedPreconnectFacts& facts,
                        const std::string& request,
                        bool partition_differs,
                        std::vector<Finding>* findings,
                        std::vector<std::string>* fields) {
  const RequestPartition& warmed = facts.preconnect;
  const RequestPartition& used = facts.request;
  if (warmed.privacy_mode == used.privacy_mode)
    return;
  fields->push_back("privacy_mode");
  if (warmed.credentials_allowed && !used.credentials_allowed) {
    findings->push_back({absl::StrCat("was warmed with credentials but ",
                                      request, " was anonymous"),
                         "add crossorigin=anonymous"});
    return;
  }
  if (!warmed.credentials_allowed && used.credentials_allowed) {
    findings->push_back(
        {absl::StrCat("was warmed without credentials (crossorigin=anonymous)"
                      " but ",
                      request, " sent credentials"),
         facts.policy == PreconnectPolicy::kChromium
             ? "remove crossorigin (Chromium drops credentials for every "
               "anonymous preconnect, same-origin ones too)"
             : "remove crossorigin, or use crossorigin=use-credentials"});
    return;
  }
  std::string what;
  switch (used.cookie_decision) {
    case CookieDecision::kPartitionedOnly:
      what = absl::StrCat("was warmed in ", PoolName(warmed.privacy_mode),
                          " but third-party cookies are blocked on this page, "
                          "so ",
                          request, " used ", PoolName(used.privacy_mode));
      break;
    case CookieDecision::kDisallowed:
      what =
          absl::StrCat("was warmed in ", PoolName(warmed.privacy_mode),
                       " but cookies are blocked for ", facts.origin, ", so ",
                       request, " used ", PoolName(used.privacy_mode));
      break;
    case CookieDecision::kAllowed:
      what = absl::StrCat("was warmed in ", PoolName(warmed.privacy_mode),
                          " but ", request, " was allowed cookies and used ",
                          PoolName(used.privacy_mode));
      break;
  }
  std::string fix;
  if (facts.policy == PreconnectPolicy::kChromium ||
      facts.policy == PreconnectPolicy::kSinglePool) {
    fix = absl::StrCat("nothing in the page: the ",
                       PreconnectPolicyToString(facts.policy),
                       " policy ignores cookie settings for preconnects "
                       "(prewarm applies them)");
  } else if (!partition_differs) {
    fix = "the cookie settings changed between the preconnect and the request";
  }
  findings->push_back({std::move(what), std::move(fix)});
}

}  // namespace

std::string DescribeIgnoredHint(std::string_view hint,
                                int error,
                                std::string_view url,
                                std::string_view document_id,
                                std::string_view detail) {
  switch (error) {
    case net::ERR_UNKNOWN_DOCUMENT:
      return absl::StrCat(S(hint), " to \"", S(url), "\" ignored: document \"",
                          S(document_id),
                          "\" is unknown (never committed, or already ended)");
    case net::ERR_DISALLOWED_URL_SCHEME:
      return absl::StrCat(S(hint), " to \"", S(url),
                          "\" ignored: only http and https URLs can be "
                          "preconnected");
    case net::ERR_INVALID_URL:
      if (url.empty())
        return absl::StrCat(S(hint), " ignored: empty URL");
      return absl::StrCat(S(hint), " to \"", S(url),
                          "\" ignored: not a valid URL (", S(detail), ")");
  }
  return absl::StrCat(S(hint), " to \"", S(url),
                      "\" ignored: ", net::ErrorToShortString(error));
}

std::string DescribeStrandedPreconnect(const StrandedPreconnectFacts& facts) {
  std::string request =
      facts.request_is_main_frame_navigation
          ? std::string("the navigation")
          : absl::StrCat("the ",
                         facts.destination.empty() ? "" : facts.destination,
                         facts.destination.empty() ? "" : " ", "request");
  std::vector<Finding> findings;
  std::vector<std::string> fields;
  ExplainPartition(facts, request, &findings, &fields);
  bool partition_differs = !fields.empty();
  ExplainPrivacyMode(facts, request, partition_differs, &findings, &fields);
  if (findings.empty())
    return "";

  std::vector<std::string> whats;
  std::vector<std::string> fixes;
  for (const Finding& finding : findings) {
    whats.push_back(finding.what);
    if (!finding.fix.empty())
      fixes.push_back(finding.fix);
  }
  if (facts.policy == PreconnectPolicy::kSinglePool) {
    // No hint can move a single-pool preconnect, so no hint is worth naming.
    fixes = {
        "nothing in the page: the single-pool policy warms every preconnect "
        "with cookies allowed in the page's own partition"};
  }
  std::string message = absl::StrCat("preconnect to ", facts.origin, " ",
                                     absl::StrJoin(whats, ", and "));
  if (!fixes.empty())
    absl::StrAppend(&message, ": ", absl::StrJoin(fixes, "; "));
  absl::StrAppend(&message, " [differs: ", absl::StrJoin(fields, ", "), "]");
  return message;
}

std::string DescribeLateBoundPreconnect(const StrandedPreconnectFacts& facts) {
  std::string advice = DescribeStrandedPreconnect(facts);
  if (advice.empty())
    return "";
  return absl::StrCat(
      "late-bound: the request took the unbound socket warmed in privacy "
      "mode ",
      std::string(net::PrivacyModeToString(facts.preconnect.privacy_mode)),
      " for ",
      std::string(net::PrivacyModeToString(facts.request.privacy_mode)),
      " (a hint in the right mode could have resumed TLS); ", advice);
}

}  // namespace prewarm
