#include "shell/preload_table.h"

#include <algorithm>
#include <optional>
#include <regex>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "preload/preload_diagnostics.h"
#include "preload/preload_rules.h"

namespace prewarm {

namespace {

// "REUSED@3", "UNUSED", "IGNORED".
std::string OutcomeCell(const report::PreloadRecord& record) {
  std::string cell = report::PreloadRecord::Outcome_Name(record.outcome());
  if (record.reused_by_step() != 0)
    absl::StrAppend(&cell, "@", record.reused_by_step());
  return cell;
}

// How a developer would say it: reused, downloaded twice (a request did not
// reuse it), unused (nothing asked for it), ignored.
std::string OutcomeWords(const report::Report& report,
                         const report::PreloadRecord& record) {
  switch (record.outcome()) {
    case report::PreloadRecord::REUSED:
      return "reused";
    case report::PreloadRecord::IGNORED:
      return "ignored";
    default:
      break;
  }
  for (const report::RequestRecord& request : report.requests()) {
    if (request.url() == record.url() && request.from_preload() == 0 &&
        request.step() > record.step()) {
      return "downloaded twice";
    }
  }
  return "unused";
}

// A diagnostic without what differs between rule sets saying the same
// thing: the rule set's own name and the measured times.
std::string Gist(const report::Report& report, const std::string& text) {
  std::string gist = text;
  if (std::optional<PreloadRuleSet> rules =
          PreloadRuleSetFromString(report.preload_rules())) {
    gist = absl::StrReplaceAll(gist, {{PreloadRuleSetDisplayName(*rules), ""}});
  }
  return std::regex_replace(gist, std::regex("[0-9]+\\.[0-9]+ ms"), "ms");
}

const char* RequestSpelling(const report::PreloadRecord& record) {
  return record.destination().empty() &&
                 record.outcome() != report::PreloadRecord::IGNORED
             ? "fetch"
             : record.destination().c_str();
}

}  // namespace

void PrintPreloads(const report::Report& report, std::ostream& out) {
  if (report.preloads().empty())
    return;
  out << "preloads [" << report.preload_rules() << " rules]:\n";
  for (const report::PreloadRecord& record : report.preloads()) {
    out << absl::StrFormat("  step %-3u %-40s as=%-6s %s %s/%s -> %s\n",
                           record.step(), record.url(), record.as(),
                           RequestSpelling(record), record.mode(),
                           record.credentials(), OutcomeCell(record));
    if (!record.diagnostic().empty())
      out << "           " << record.diagnostic() << "\n";
  }
  out << absl::StrFormat("  %u reused, %u duplicate downloads\n",
                         report.summary().preloads_reused(),
                         report.summary().duplicate_downloads());
}

void PrintPreloadsSideBySide(const std::vector<const report::Report*>& reports,
                             std::ostream& out) {
  const report::Report& first = *reports.front();
  if (first.preloads().empty())
    return;
  out << absl::StrFormat("  %-5s %-36s %-6s %-15s", "step", "preload", "as",
                         "mode/credentials");
  for (const report::Report* report : reports)
    out << absl::StrFormat(" | %-10s", report->preload_rules());
  out << "\n";
  for (int i = 0; i < first.preloads_size(); ++i) {
    const report::PreloadRecord& head = first.preloads(i);
    out << absl::StrFormat(
        "  %-5u %-36s %-6s %-15s", head.step(), head.url(), head.as(),
        head.mode().empty()
            ? std::string("-")
            : absl::StrCat(head.mode(), "/", head.credentials()));
    std::vector<std::pair<PreloadRuleSet, std::string>> outcomes;
    for (const report::Report* report : reports) {
      const report::PreloadRecord& record = report->preloads(i);
      out << absl::StrFormat(" | %-10s", OutcomeCell(record));
      if (std::optional<PreloadRuleSet> rules =
              PreloadRuleSetFromString(report->preload_rules())) {
        outcomes.emplace_back(*rules, OutcomeWords(*report, record));
      }
    }
    out << "\n        " << DescribeAcrossRuleSets(outcomes) << "\n";
    // Each rule set's diagnostic, once per distinct wording: a rule set
    // that says what an earlier one said points at it.
    std::vector<std::pair<std::string, std::string>> said;
    for (const report::Report* report : reports) {
      const report::PreloadRecord& record = report->preloads(i);
      if (record.diagnostic().empty())
        continue;
      std::string gist = Gist(*report, record.diagnostic());
      auto same = std::find_if(said.begin(), said.end(),
                               [&](const auto& s) { return s.second == gist; });
      if (same != said.end()) {
        out << absl::StrFormat("        %-8s (as %s)\n",
                               report->preload_rules(), same->first);
        continue;
      }
      said.emplace_back(report->preload_rules(), gist);
      out << absl::StrFormat("        %-8s %s\n", report->preload_rules(),
                             record.diagnostic());
    }
  }
  out << "  reused / duplicate downloads:";
  for (const report::Report* report : reports) {
    out << absl::StrFormat(" %s %u/%u", report->preload_rules(),
                           report->summary().preloads_reused(),
                           report->summary().duplicate_downloads());
  }
  out << "\n";
}

void PrintPagePreloads(const PageLoadResult& result, std::ostream& out) {
  if (result.preloads.empty())
    return;
  out << "  preloads [" << PreloadRuleSetToString(result.preload_rules)
      << " rules]\n";
  for (const LoadedPreload& loaded : result.preloads) {
    const PreloadResult& preload = loaded.result;
    std::string request =
        preload.error != 0
            ? std::string("ignored")
            : absl::StrCat(
                  preload.key.destination.empty() ? "fetch"
                                                  : preload.key.destination,
                  " ", RequestModeToString(preload.key.settings.mode), "/",
                  CredentialsModeToString(preload.key.settings.credentials));
    std::vector<std::string> reused_by;
    std::vector<std::string> notes;
    if (preload.error != 0)
      notes.push_back(preload.message);
    for (size_t i = 0; i < result.requests.size(); ++i) {
      const FetchResult& fetch = result.requests[i].result;
      if (preload.error != 0)
        break;
      if (fetch.from_preload_id == preload.preload_id)
        reused_by.push_back(absl::StrCat("#", i + 1));
      if (fetch.skipped_preload_id == preload.preload_id) {
        notes.push_back(absl::StrCat(
            "#", i + 1, ": ", fetch.preload_diagnostic, ". ",
            DescribeDuplicateDownload(
                preload.key,
                absl::ToDoubleMilliseconds(result.requests[i].finished -
                                           result.requests[i].issued))));
      }
    }
    if (preload.error == 0 && reused_by.empty() && notes.empty()) {
      notes.push_back(DescribeUnusedPreload(preload.key, false));
      if (preload.key.destination.empty()) {
        notes.push_back(
            "as=fetch is for a fetch() in a script, and the host runs no "
            "script yet: the demo replays the page's fetch() through the "
            "scenario path");
      }
    }
    out << absl::StrFormat(
        "  preload      %-52s as=%-6s %-26s %s\n", loaded.preload.url,
        loaded.preload.as, request,
        reused_by.empty()
            ? (preload.error != 0 ? "IGNORED" : "NOT REUSED")
            : absl::StrCat("REUSED by ", absl::StrJoin(reused_by, ",")));
    for (const std::string& note : notes)
      out << "               ! " << note << "\n";
  }
}

}  // namespace prewarm
