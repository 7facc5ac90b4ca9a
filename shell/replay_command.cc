#include "shell/replay_command.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "host/scenario_replayer.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "preconnect/preconnect_policy.h"
#include "preload/preload_rules.h"
#include "proto/scenario_loader.h"
#include "service/network_service.h"
#include "service/network_service_client.h"
#include "shell/preload_table.h"

namespace prewarm {

namespace {

constexpr char kUsage[] =
    "usage: prewarm_shell replay FILE... "
    "[--policy=prewarm|seed|chromium|single-pool|all] "
    "[--preload-rules=prewarm|spec|chrome|firefox|safari|all] [--json] "
    "[--time-scale=X] [--summary] [--via-ipc[=SOCKET]]\n";

struct Flags {
  std::vector<std::string> files;
  std::vector<PreconnectPolicy> policies = {PreconnectPolicy::kPrewarm};
  std::vector<PreloadRuleSet> preload_rules = {PreloadRuleSet::kPrewarm};
  bool json = false;
  bool summary = false;
  double time_scale = 1.0;
  // --via-ipc: the network context lives behind the IPC protocol, in an
  // in-process NetworkService over a socket pair, or in the prewarm_service
  // listening at ipc_socket.
  bool via_ipc = false;
  std::string ipc_socket;
};

// Parses the arguments; returns an error message for a usage error.
std::optional<std::string> ParseFlags(const std::vector<std::string>& args,
                                      Flags* flags) {
  for (const std::string& arg : args) {
    std::string_view value = arg;
    if (value.rfind("--policy=", 0) == 0) {
      value.remove_prefix(9);
      if (value == "all") {
        flags->policies.assign(kAllPreconnectPolicies.begin(),
                               kAllPreconnectPolicies.end());
      } else if (std::optional<PreconnectPolicy> policy =
                     PreconnectPolicyFromString(value)) {
        flags->policies = {*policy};
      } else {
        return absl::StrCat(
            "unknown policy '", std::string(value),
            "' (expected prewarm, seed, chromium, single-pool or all)");
      }
    } else if (value.rfind("--preload-rules=", 0) == 0) {
      value.remove_prefix(16);
      if (value == "all") {
        flags->preload_rules.assign(kAllPreloadRuleSets.begin(),
                                    kAllPreloadRuleSets.end());
      } else if (std::optional<PreloadRuleSet> rules =
                     PreloadRuleSetFromString(value)) {
        flags->preload_rules = {*rules};
      } else {
        return absl::StrCat("unknown preload rules '", std::string(value),
                            "' (expected prewarm, spec, chrome, firefox, "
                            "safari or all)");
      }
    } else if (value == "--json") {
      flags->json = true;
    } else if (value == "--summary") {
      flags->summary = true;
    } else if (value.rfind("--time-scale=", 0) == 0) {
      std::string number(value.substr(13));
      char* end = nullptr;
      double scale = std::strtod(number.c_str(), &end);
      if (number.empty() || *end != '\0' || !(scale > 0) || scale > 1e6)
        return absl::StrCat("bad --time-scale '", number, "' (a number > 0)");
      flags->time_scale = scale;
    } else if (value == "--via-ipc") {
      flags->via_ipc = true;
    } else if (value.rfind("--via-ipc=", 0) == 0) {
      flags->via_ipc = true;
      flags->ipc_socket = std::string(value.substr(10));
      if (flags->ipc_socket.empty())
        return std::string("--via-ipc= needs a socket path");
    } else if (value.rfind("--", 0) == 0) {
      return absl::StrCat("unknown flag '", std::string(value), "'");
    } else {
      flags->files.push_back(arg);
    }
  }
  if (flags->files.empty())
    return std::string("no scenario file given");
  return std::nullopt;
}

const char* PrivacyModeShort(report::Group::PrivacyMode mode) {
  switch (mode) {
    case report::Group::DISABLED:
      return "DISABLED";
    case report::Group::ENABLED:
      return "ENABLED";
    case report::Group::ENABLED_WITHOUT_CLIENT_CERTS:
      return "ENABLED_WOCC";
    case report::Group::ENABLED_PARTITIONED_STATE_ALLOWED:
      return "ENABLED_PSA";
    default:
      return "?";
  }
}

// "https://cdn.example:443 DISABLED <https://news.example same-site>".
std::string GroupToString(const report::Group& group) {
  return absl::StrCat(
      group.scheme(), "://", group.host(), ":", group.port(), " ",
      PrivacyModeShort(group.privacy_mode()), " <",
      group.top_frame_site().empty() ? "no partition" : group.top_frame_site(),
      group.top_frame_site().empty()
          ? ""
          : (group.is_cross_site() ? " cross-site" : " same-site"),
      ">");
}

std::string OutcomesToString(const report::PreconnectRecord& record) {
  if (record.sockets().empty())
    return record.has_group() ? "(none: topped up)" : "(ignored)";
  std::vector<std::string> outcomes;
  for (const report::PreconnectedSocket& socket : record.sockets()) {
    std::string outcome =
        report::PreconnectedSocket::Outcome_Name(socket.outcome());
    if (socket.used_by_step() != 0)
      absl::StrAppend(&outcome, "@", socket.used_by_step());
    outcomes.push_back(std::move(outcome));
  }
  return absl::StrJoin(outcomes, ",");
}

std::string SummaryToString(const report::Summary& summary) {
  return absl::StrFormat(
      "%u preconnected, %u used, %u stranded, %u unused; utilization %.2f, "
      "strand rate %.2f",
      summary.preconnected_sockets(), summary.used(), summary.stranded(),
      summary.unused(), summary.utilization(), summary.strand_rate());
}

void PrintReport(const report::Report& report, std::ostream& out) {
  out << "== " << report.scenario() << " [" << report.policy() << "]\n";
  out << "preconnects:\n";
  for (const report::PreconnectRecord& record : report.preconnects()) {
    out << absl::StrFormat(
        "  step %-3u %-34s %-12s %s\n           -> %s%s\n", record.step(),
        record.url(), scenario::Purpose_Name(record.purpose()),
        record.has_group() ? GroupToString(record.group()) : "-",
        OutcomesToString(record), record.stranded() ? "  STRANDED" : "");
    if (!record.diagnostic().empty())
      out << "           " << record.diagnostic() << "\n";
  }
  out << "requests:\n";
  for (const report::RequestRecord& record : report.requests()) {
    out << absl::StrFormat(
        "  step %-3u %-40s %-12s connect %6.2f ms total %6.2f ms\n"
        "           %s\n",
        record.step(), record.url(),
        report::RequestRecord::Socket_Name(record.socket()),
        record.connect_ms(), record.total_ms(),
        record.has_group() ? GroupToString(record.group()) : "-");
  }
  PrintPreloads(report, out);
  out << "summary: " << SummaryToString(report.summary()) << "\n\n";
}

// One scenario's reports, one per policy, in columns.
void PrintSideBySide(const std::vector<const report::Report*>& reports,
                     std::ostream& out) {
  const report::Report& first = *reports.front();
  out << "== " << first.scenario() << "\n";
  out << absl::StrFormat("  %-5s %-32s", "step", "preconnect");
  for (const report::Report* report : reports)
    out << absl::StrFormat(" | %-26s", report->policy());
  out << "\n";
  for (int i = 0; i < first.preconnects_size(); ++i) {
    out << absl::StrFormat("  %-5u %-32s", first.preconnects(i).step(),
                           first.preconnects(i).url());
    for (const report::Report* report : reports) {
      const report::PreconnectRecord& record = report->preconnects(i);
      out << absl::StrFormat(
          " | %-26s", absl::StrCat(OutcomesToString(record),
                                   record.stranded() ? " STRANDED" : ""));
    }
    out << "\n";
    for (const report::Report* report : reports) {
      const report::PreconnectRecord& record = report->preconnects(i);
      out << absl::StrFormat(
          "        %-12s %s\n", report->policy(),
          record.has_group() ? GroupToString(record.group())
                             : absl::StrCat("ignored: ", record.diagnostic()));
    }
  }
  out << absl::StrFormat("  %-5s %-32s", "step", "request");
  for (const report::Report* report : reports)
    out << absl::StrFormat(" | %-26s", report->policy());
  out << "\n";
  for (int i = 0; i < first.requests_size(); ++i) {
    out << absl::StrFormat("  %-5u %-32s", first.requests(i).step(),
                           first.requests(i).url());
    for (const report::Report* report : reports) {
      out << absl::StrFormat(" | %-26s", report::RequestRecord::Socket_Name(
                                             report->requests(i).socket()));
    }
    out << "\n";
  }
  for (const report::Report* report : reports) {
    out << absl::StrFormat("  %-12s %s\n", report->policy(),
                           SummaryToString(report->summary()));
  }
  out << "\n";
}

// One scenario under one policy and every chosen preload rule set: the
// policy's report once, then its preloads side by side.
void PrintRuleSetsSideBySide(const std::vector<const report::Report*>& reports,
                             std::ostream& out) {
  const report::Report& first = *reports.front();
  out << "== " << first.scenario() << " [" << first.policy()
      << "], preload rules side by side\n";
  PrintPreloadsSideBySide(reports, out);
  out << "\n";
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

// Several reports as one JSON array: each report goes through the proto3
// JSON mapping into a google.protobuf.Value, and the list is printed the
// same way.
std::string ToJsonArray(const std::vector<report::Report>& reports) {
  google::protobuf::ListValue list;
  google::protobuf::util::JsonPrintOptions compact;
  compact.preserve_proto_field_names = true;
  compact.always_print_primitive_fields = true;
  for (const report::Report& report : reports) {
    std::string json;
    google::protobuf::util::MessageToJsonString(report, &json, compact);
    google::protobuf::util::JsonStringToMessage(json, list.add_values());
  }
  return ToJson(list);
}

// Runs one replay to completion on the current loop.
int RunReplay(const scenario::Scenario& scenario,
              ScenarioReplayer::Options options,
              report::Report* report,
              std::vector<std::string>* warnings,
              std::string* error_message) {
  ScenarioReplayer replayer(scenario, options);
  int error = net::ERR_IO_PENDING;
  net::RunLoop run_loop;
  replayer.Start([&](int result, const std::string& message) {
    error = result;
    *error_message = message;
    run_loop.Quit();
  });
  run_loop.Run();
  if (error == net::OK) {
    *report = replayer.report();
    *warnings = replayer.warnings();
  }
  return error;
}

}  // namespace

std::string_view ReplayCommand::name() const {
  return "replay";
}

std::string_view ReplayCommand::summary() const {
  return "FILE... [--policy=prewarm|seed|chromium|single-pool|all] "
         "[--preload-rules=prewarm|spec|chrome|firefox|safari|all] [--json] "
         "[--time-scale=X] [--summary] [--via-ipc[=SOCKET]]  replay page-load "
         "scenarios against local HTTPS origins";
}

int ReplayCommand::Run(const std::vector<std::string>& args,
                       std::ostream& out,
                       std::ostream& err) {
  Flags flags;
  if (std::optional<std::string> usage_error = ParseFlags(args, &flags)) {
    err << "replay: " << *usage_error << "\n" << kUsage;
    return 2;
  }

  std::vector<scenario::Scenario> scenarios;
  bool load_failed = false;
  for (const std::string& file : flags.files) {
    ScenarioLoader::Result loaded = ScenarioLoader::LoadFile(file);
    if (!loaded.ok()) {
      err << "replay: " << loaded.error_message << "\n";
      load_failed = true;
      continue;
    }
    scenarios.push_back(std::move(loaded.scenario));
  }
  if (load_failed)
    return 1;

  std::unique_ptr<net::EventLoop> own_loop;
  if (!net::EventLoop::Current())
    own_loop = std::make_unique<net::EventLoop>();
  net::EventLoop* loop = net::EventLoop::Current();

  std::unique_ptr<NetworkService> service;
  std::unique_ptr<NetworkServiceClient> client;
  if (flags.via_ipc) {
    if (flags.ipc_socket.empty()) {
      int fds[2];
      if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        err << "replay: socketpair: " << strerror(errno) << "\n";
        return 1;
      }
      service = std::make_unique<NetworkService>();
      service->AddClient(fds[0]);
      client = std::make_unique<NetworkServiceClient>(fds[1]);
    } else {
      int error = net::OK;
      std::string message;
      client =
          NetworkServiceClient::Connect(flags.ipc_socket, &error, &message);
      if (!client) {
        err << "replay: " << message << "\n";
        return 1;
      }
    }
  }

  std::vector<report::Report> reports;
  std::map<std::string, report::Summary> totals;
  absl::Duration wall = absl::ZeroDuration();
  absl::Duration scripted = absl::ZeroDuration();
  int status = 0;
  for (const scenario::Scenario& scenario : scenarios) {
    size_t first = reports.size();
    for (PreconnectPolicy policy : flags.policies) {
      for (PreloadRuleSet rules : flags.preload_rules) {
        report::Report report;
        std::vector<std::string> warnings;
        std::string message;
        absl::Time start = loop->NowTicks();
        int error =
            RunReplay(scenario, {policy, flags.time_scale, client.get(), rules},
                      &report, &warnings, &message);
        wall += loop->NowTicks() - start;
        if (!scenario.steps().empty()) {
          scripted += absl::Milliseconds(
              scenario.steps(scenario.steps_size() - 1).at_ms());
        }
        if (error != net::OK) {
          err << "replay: " << scenario.name() << " ["
              << PreconnectPolicyToString(policy)
              << "]: " << net::ErrorToString(error) << ": " << message << "\n";
          status = 1;
          continue;
        }
        for (const std::string& warning : warnings) {
          err << "replay: " << scenario.name() << " ["
              << PreconnectPolicyToString(policy) << "]: " << warning << "\n";
        }
        report::Summary& total = totals[report.policy()];
        total.set_preconnected_sockets(total.preconnected_sockets() +
                                       report.summary().preconnected_sockets());
        total.set_used(total.used() + report.summary().used());
        total.set_stranded(total.stranded() + report.summary().stranded());
        total.set_unused(total.unused() + report.summary().unused());
        reports.push_back(std::move(report));
      }
    }
    if (flags.json)
      continue;
    std::vector<const report::Report*> these;
    for (size_t i = first; i < reports.size(); ++i)
      these.push_back(&reports[i]);
    if (flags.preload_rules.size() > 1) {
      // Per policy: its report under the first rule set, then the preloads
      // of every rule set side by side.
      for (size_t i = 0; i + flags.preload_rules.size() <= these.size();
           i += flags.preload_rules.size()) {
        std::vector<const report::Report*> same_policy(
            these.begin() + i, these.begin() + i + flags.preload_rules.size());
        PrintReport(*same_policy.front(), out);
        PrintRuleSetsSideBySide(same_policy, out);
      }
    } else if (these.size() == 1) {
      PrintReport(*these.front(), out);
    } else if (these.size() > 1) {
      PrintSideBySide(these, out);
    }
  }

  if (flags.json) {
    if (reports.size() == 1)
      out << ToJson(reports.front()) << "\n";
    else
      out << ToJsonArray(reports) << "\n";
  }
  if (flags.summary) {
    std::ostream& summary_out = flags.json ? err : out;
    summary_out << "corpus totals (" << scenarios.size() << " scenarios):\n";
    for (PreconnectPolicy policy : flags.policies) {
      report::Summary& total = totals[PreconnectPolicyToString(policy)];
      if (total.preconnected_sockets() > 0) {
        double count = total.preconnected_sockets();
        total.set_utilization(total.used() / count);
        total.set_strand_rate(total.stranded() / count);
      }
      summary_out << absl::StrFormat("  %-12s %s\n",
                                     PreconnectPolicyToString(policy),
                                     SummaryToString(total));
    }
    summary_out << absl::StrFormat(
        "wall time %.1f ms for %.1f ms of scripted time at time scale %g "
        "(%.1f ms): overhead %.1f ms\n",
        absl::ToDoubleMilliseconds(wall), absl::ToDoubleMilliseconds(scripted),
        flags.time_scale,
        absl::ToDoubleMilliseconds(scripted) / flags.time_scale,
        absl::ToDoubleMilliseconds(wall) -
            absl::ToDoubleMilliseconds(scripted) / flags.time_scale);
  }
  return status;
}

}  // namespace prewarm
