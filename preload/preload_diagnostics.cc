#include "preload/preload_diagnostics.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace prewarm {

namespace {

// "crossorigin=anonymous (cors, same-origin)".
std::string PreloadSettings(const PreloadKey& preload) {
  return absl::StrCat(
      preload.crossorigin == CrossOriginAttribute::kAbsent
          ? std::string("no crossorigin")
          : absl::StrCat("crossorigin=",
                         CrossOriginToString(preload.crossorigin)),
      " (", RequestModeToString(preload.settings.mode), ", ",
      CredentialsModeToString(preload.settings.credentials), ")");
}

// The crossorigin value whose preload `consumer` would consume under the
// literal comparison, if a link can say it at all.
std::optional<CrossOriginAttribute> CrossOriginFor(
    const PreloadConsumer& consumer) {
  for (CrossOriginAttribute value :
       {CrossOriginAttribute::kAbsent, CrossOriginAttribute::kAnonymous,
        CrossOriginAttribute::kUseCredentials}) {
    FetchSettings settings = FetchSettingsForCrossOrigin(value);
    if (settings.mode == consumer.settings.mode &&
        settings.credentials == consumer.settings.credentials) {
      return value;
    }
  }
  return std::nullopt;
}

std::string LinkFix(std::optional<CrossOriginAttribute> value) {
  if (!value)
    return "";
  if (*value == CrossOriginAttribute::kAbsent)
    return "remove crossorigin from the preload";
  return absl::StrCat("use crossorigin=", CrossOriginToString(*value),
                      " on the preload");
}

std::string HeaderNames(const AuthorHeaders& headers) {
  std::vector<std::string> names;
  for (const auto& header : headers)
    names.push_back(header.first);
  return absl::StrJoin(names, ", ");
}

}  // namespace

std::string ConsumerName(const std::string& destination) {
  if (destination.empty())
    return "fetch()";
  return absl::StrCat("the ", destination, " request");
}

std::string DescribePreloadMismatch(const PreloadKey& preload,
                                    const PreloadConsumer& consumer,
                                    PreloadMismatch field,
                                    PreloadRuleSet rules,
                                    const ResponseCacheability& cacheability) {
  const std::string who = ConsumerName(consumer.destination);
  const std::string head =
      absl::StrCat("the preload of ", preload.url.spec(), " was made with ",
                   PreloadSettings(preload), " but ", who);
  const char* by = PreloadRuleSetDisplayName(rules);
  switch (field) {
    case PreloadMismatch::kDestination:
      return absl::StrCat(
          "the preload of ", preload.url.spec(),
          " was made with as=", preload.as, " but ", who, " has destination \"",
          consumer.destination, "\": use as=",
          consumer.destination.empty() ? "fetch" : consumer.destination,
          " on the preload");
    case PreloadMismatch::kMode:
    case PreloadMismatch::kCredentials: {
      std::string asked =
          field == PreloadMismatch::kMode
              ? absl::StrCat("mode '",
                             RequestModeToString(consumer.settings.mode), "'")
              : absl::StrCat(
                    "credentials '",
                    CredentialsModeToString(consumer.settings.credentials),
                    "'");
      std::string link = LinkFix(CrossOriginFor(consumer));
      std::string fetch_fix = absl::StrCat(
          "mode '", RequestModeToString(preload.settings.mode),
          "' and credentials '",
          CredentialsModeToString(preload.settings.credentials), "' in ", who);
      if (consumer.settings.mode == preload.settings.mode) {
        fetch_fix =
            absl::StrCat("credentials '",
                         CredentialsModeToString(preload.settings.credentials),
                         "' in ", who);
      }
      return absl::StrCat(
          head, " asked for ", asked, " (", by, " does not reuse it): ",
          link.empty() ? "" : absl::StrCat(link, ", or "), fetch_fix);
    }
    case PreloadMismatch::kIntegrity:
      return absl::StrCat(head, " has integrity \"", consumer.integrity,
                          "\" and the preload ",
                          preload.integrity.empty()
                              ? std::string("has none")
                              : absl::StrCat("\"", preload.integrity, "\""),
                          ": give the preload the same integrity attribute");
    case PreloadMismatch::kHeaders:
      return absl::StrCat(
          who, " of ", preload.url.spec(), " sets headers (",
          HeaderNames(consumer.headers), ") and ", by,
          " never reuses a preload for a request with author headers: drop "
          "the headers, or remove the preload");
    case PreloadMismatch::kResponseType:
      return absl::StrCat(
          head, " is a ", consumer.same_origin ? "same-origin" : "cross-origin",
          " ", RequestModeToString(consumer.settings.mode),
          " request, which Safari does not serve from a preload: ",
          consumer.same_origin
              ? "use a preload without crossorigin and fetch(url, {mode: "
                "'no-cors', credentials: 'include'})"
              : "use crossorigin=use-credentials on the preload and "
                "fetch(url, {mode: 'cors', credentials: 'include'})");
    case PreloadMismatch::kCacheability:
      return absl::StrCat(
          who, " of ", preload.url.spec(), " sets headers (",
          HeaderNames(consumer.headers), "), so ", by,
          " reuses the preload only as a cached response, and it is not "
          "one: ",
          cacheability.reason,
          ": answer with Cache-Control: max-age=N (and Vary on those "
          "headers if they change the response), or drop the headers");
    case PreloadMismatch::kVary:
      return absl::StrCat(who, " of ", preload.url.spec(), " sets headers (",
                          HeaderNames(consumer.headers),
                          ") that the response's Vary (",
                          absl::StrJoin(cacheability.vary, ", "),
                          ") names, so the preload, made without them, "
                          "cannot serve it: drop the headers, or do not "
                          "preload a response that varies on them");
    case PreloadMismatch::kNone:
      break;
  }
  return "";
}

std::string DescribeUnusedPreload(const PreloadKey& preload,
                                  bool after_load_timeout) {
  return absl::StrCat(
      "the resource ", preload.url.spec(), " was preloaded (as=", preload.as,
      ", ", PreloadSettings(preload), ") but ",
      after_load_timeout ? "not used within 3 s after the load event"
                         : "no request used it",
      ": remove the preload, or make the request that needs it use the "
      "same options");
}

std::string DescribeDuplicateDownload(const PreloadKey& preload,
                                      double cost_ms) {
  return absl::StrFormat(
      "%s was downloaded twice: the request that did not reuse the preload "
      "cost %.1f ms and one more response",
      preload.url.spec(), cost_ms);
}

namespace {

// "a", "a and b", "a, b and c".
std::string JoinAsSentence(const std::vector<std::string>& items) {
  std::string list;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0)
      list += i + 1 == items.size() ? " and " : ", ";
    list += items[i];
  }
  return list;
}

}  // namespace

std::string DescribeAcrossRuleSets(
    const std::vector<std::pair<PreloadRuleSet, std::string>>& outcomes) {
  // Outcomes in first-seen order, each with the rule sets that had it:
  // prewarm and the spec "by", the browsers "in".
  struct Group {
    std::string outcome;
    std::vector<std::string> by;
    std::vector<std::string> in;
  };
  std::vector<Group> groups;
  for (const auto& [rules, outcome] : outcomes) {
    auto it = groups.begin();
    while (it != groups.end() && it->outcome != outcome)
      ++it;
    if (it == groups.end()) {
      groups.push_back({outcome, {}, {}});
      it = std::prev(groups.end());
    }
    bool browser =
        rules != PreloadRuleSet::kSpec && rules != PreloadRuleSet::kPrewarm;
    (browser ? it->in : it->by).push_back(PreloadRuleSetDisplayName(rules));
  }
  std::vector<std::string> parts;
  for (const Group& group : groups) {
    std::vector<std::string> where;
    if (!group.by.empty())
      where.push_back(absl::StrCat("by ", JoinAsSentence(group.by)));
    if (!group.in.empty())
      where.push_back(absl::StrCat("in ", JoinAsSentence(group.in)));
    parts.push_back(
        absl::StrCat(group.outcome, " ", absl::StrJoin(where, " and ")));
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace prewarm
