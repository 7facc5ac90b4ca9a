#include "shell/preload_table.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
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
    for (const report::Report* report : reports) {
      const report::PreloadRecord& record = report->preloads(i);
      if (!record.diagnostic().empty()) {
        out << absl::StrFormat("        %-8s %s\n", report->preload_rules(),
                               record.diagnostic());
      }
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

}  // namespace prewarm
