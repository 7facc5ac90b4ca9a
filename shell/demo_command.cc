#include "shell/demo_command.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "host/browser_session.h"
#include "host/demo_site.h"
#include "host/network_service_process.h"
#include "host/origin_round_trips.h"
#include "host/page_preload_scenario.h"
#include "host/page_scanner.h"
#include "host/scenario_replayer.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "service/network_context.h"
#include "shell/har_log.h"
#include "shell/network_flags.h"
#include "shell/page_load_table.h"
#include "shell/preload_table.h"
#include "shell/waterfall_svg.h"

namespace prewarm {

namespace {

constexpr char kDefaultOutDir[] = "out/demo";
// Each load takes a few round trips; this only guards against a bug hanging
// the demo.
constexpr absl::Duration kLoadTimeout = absl::Seconds(20);
constexpr int kLoadTimeoutRoundTrips = 50;

constexpr const char* kVisitNames[] = {"first", "repeat"};

struct PolicyRun {
  PreconnectPolicy policy;
  PageLoadResult visits[2];
  std::string net_log_path;
  std::vector<std::string> waterfall_paths;
  std::string table_path;
};

bool WriteFile(const std::string& path,
               const std::string& contents,
               std::string* error) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << contents;
  file.close();
  if (!file) {
    *error = absl::StrCat("cannot write ", path);
    return false;
  }
  return true;
}

double LoadEventMs(const PageLoadResult& result) {
  if (result.pages.empty())
    return -1;
  return MillisecondsBetween(result.pages[0].navigation_start,
                             result.pages[0].load_event);
}

// Loads the article twice under `run->policy` and writes its files.
bool RunPolicy(const DemoSite& site,
               const NetworkFlags& network_flags,
               NetworkServiceClient* service,
               const std::string& out_dir,
               PolicyRun* run,
               HarLog* har,
               std::string* error) {
  const std::string policy = PreconnectPolicyToString(run->policy);
  BrowserSession::Params params;
  params.policy = run->policy;
  params.block_third_party_cookies = true;
  params.connect_to = site.connect_to();
  params.trusted_root_certificates_pem = site.trusted_roots_pem();
  params.host_resolver_rules = network_flags.host_resolver_rules();
  params.additional_trust_anchors_pem =
      network_flags.additional_trust_anchors_pem();
  params.ignore_certificate_errors_spki_list =
      network_flags.ignore_certificate_errors_spki_list();
  run->net_log_path = absl::StrCat(out_dir, "/netlog-", policy, ".json");
  params.net_log_path = run->net_log_path;
  std::unique_ptr<BrowserSession> session =
      BrowserSession::Create(params, service, error);
  if (!session)
    return false;

  std::ostringstream tables;
  for (int visit = 0; visit < 2; ++visit) {
    if (visit == 1) {
      // The tab was closed and the user comes back a day later: the page is
      // gone and idle sockets have timed out, but the profile remembers what
      // the page's requests used.
      if (!session->ClosePage("first-visit-page1", error))
        return false;
    }
    PageLoadOptions options;
    options.url = DemoSite::kArticleUrl;
    options.document_prefix = absl::StrCat(kVisitNames[visit], "-visit-page");
    // The demo compares the network stacks' own group choices: every hint
    // as written, before the requests (load --hints-first). In document
    // order, as real Chromium sends them, most hints lose the race to the
    // preload scanner's requests and open nothing.
    options.hints_first = true;
    options.markup_informed_hints = false;
    PageLoadResult& result = run->visits[visit];
    const absl::Duration timeout =
        kLoadTimeout +
        kLoadTimeoutRoundTrips * site.options().round_trips.Max();
    if (!session->Load(options, timeout, &result, error))
      return false;
    if (result.pages[0].error != net::OK) {
      *error = absl::StrCat("the article failed to load: ",
                            net::ErrorToShortString(result.pages[0].error),
                            ": ", result.pages[0].error_message);
      return false;
    }
    if (har != nullptr) {
      har->AddPageLoad(
          result, absl::StrCat(policy, ", ", kVisitNames[visit], " visit"));
    }
    tables << "== " << policy << ", " << kVisitNames[visit] << " visit\n";
    PrintPageLoadTable(result, tables);
    PrintPagePreloads(result, tables);
    tables << "\n";
    std::string path = absl::StrCat(out_dir, "/waterfall-", policy, "-",
                                    kVisitNames[visit], ".svg");
    if (!WriteFile(
            path,
            RenderWaterfallSvg(
                result, absl::StrCat("News article, ", kVisitNames[visit],
                                     " visit, third-party cookies "
                                     "blocked, policy ",
                                     policy)),
            error)) {
      return false;
    }
    run->waterfall_paths.push_back(std::move(path));
  }
  if (!session->FinishNetLog(error))
    return false;
  run->table_path = absl::StrCat(out_dir, "/table-", policy, ".txt");
  return WriteFile(run->table_path, tables.str(), error);
}

// The article's preloads against its requests and its script's fetch(),
// replayed under each rule set and printed side by side.
bool PrintPreloadComparison(std::ostream& out, std::string* error) {
  PageScan scan = PageScanner::Scan(
      DemoSite::ArticleHtml("Preconnect, partitions and the pool",
                            "hero-pools.jpg"),
      net::Url::Parse(DemoSite::kArticleUrl));
  scenario::Scenario scenario = PagePreloadScenario(
      DemoSite::kArticleUrl, scan, DemoSite::ScriptFetches("page"));
  std::vector<std::unique_ptr<ScenarioReplayer>> replayers;
  int remaining = 0;
  net::RunLoop run_loop;
  for (PreloadRuleSet rules : kAllPreloadRuleSets) {
    ScenarioReplayer::Options options;
    options.preload_rules = rules;
    replayers.push_back(std::make_unique<ScenarioReplayer>(scenario, options));
    ++remaining;
    replayers.back()->Start([&](int rv, const std::string& message) {
      if (rv != net::OK)
        *error = message;
      if (--remaining == 0)
        run_loop.Quit();
    });
  }
  run_loop.Run();
  if (!error->empty())
    return false;
  std::vector<const report::Report*> reports;
  for (const auto& replayer : replayers)
    reports.push_back(&replayer->report());
  PrintPreloadsSideBySide(reports, out);
  return true;
}

void PrintDiagnostics(const PolicyRun& run, int visit, std::ostream& out) {
  out << PreconnectPolicyToString(run.policy) << ", " << kVisitNames[visit]
      << " visit:";
  bool any = false;
  for (const LoadedHint& hint : run.visits[visit].hints) {
    if (!hint.stranded)
      continue;
    out << "\n  - " << hint.hint.url << "\n    " << hint.diagnostic;
    any = true;
  }
  out << (any ? "\n" : " none\n");
}

}  // namespace

std::string_view DemoCommand::name() const {
  return "demo";
}

std::string_view DemoCommand::summary() const {
  return "[--out-dir=DIR] [--in-process] [--rtt=MS|HOST=MS,...,*=MS] "
         "[--har=FILE.har] [--http1] [--host-resolver-rules=R] [--ca-file=PEM] "
         "[--ignore-certificate-errors-spki-list=B64,...]  load a local news "
         "site under the four preconnect policies (third-party cookies "
         "blocked) and compare them";
}

int DemoCommand::Run(const std::vector<std::string>& args,
                     std::ostream& out,
                     std::ostream& err) {
  std::string out_dir = kDefaultOutDir;
  bool in_process = false;
  DemoSite::Options site_options;
  site_options.kernel_lab = true;
  std::string error;
  site_options.round_trips =
      *OriginRoundTrips::Parse(DemoSite::kDemoRoundTrips, &error);
  std::string har_path;
  NetworkFlags network_flags;
  std::optional<std::string> problem;
  for (const std::string& arg : args) {
    if (network_flags.Parse(arg, &problem)) {
      if (problem) {
        err << "demo: " << *problem << "\n";
        return 2;
      }
    } else if (arg.rfind("--out-dir=", 0) == 0 && arg.size() > 10) {
      out_dir = arg.substr(10);
    } else if (arg.rfind("--har=", 0) == 0 && arg.size() > 6) {
      har_path = arg.substr(6);
    } else if (arg == "--in-process") {
      in_process = true;
    } else if (arg == "--http1") {
      site_options.http2 = false;
    } else if (arg.rfind("--rtt=", 0) == 0) {
      std::optional<OriginRoundTrips> round_trips =
          OriginRoundTrips::Parse(arg.substr(6), &error);
      if (!round_trips) {
        err << "demo: --rtt: " << error << "\n";
        return 2;
      }
      site_options.round_trips = *round_trips;
    } else {
      err << "demo: unexpected argument '" << arg
          << "'\nusage: prewarm_shell demo [--out-dir=DIR] [--in-process] "
             "[--rtt=MS|HOST=MS,...,*=MS] [--har=FILE.har] [--http1] "
          << NetworkFlags::kUsage << "\n";
      return 2;
    }
  }
  if ((problem = network_flags.Finish())) {
    err << "demo: " << *problem << "\n";
    return 2;
  }
  const absl::Time wall_start = absl::Now();
  std::error_code code;
  std::filesystem::create_directories(out_dir, code);
  if (code) {
    err << "demo: cannot create " << out_dir << ": " << code.message() << "\n";
    return 1;
  }

  net::EventLoop loop;
  // First: in the kernel lab, the servers and the network service process
  // started below live in its network namespace.
  DemoSite site(site_options);
  if (site.Start(&error) != net::OK) {
    err << "demo: " << error << "\n";
    return 1;
  }
  std::unique_ptr<NetworkServiceProcess> service;
  std::string service_note = "in-process NetworkContext (--in-process)";
  if (!in_process) {
    const std::string binary = NetworkServiceProcess::DefaultBinaryPath();
    service = NetworkServiceProcess::Launch(binary, &error);
    service_note =
        service ? absl::StrCat(binary, " (pid ", service->pid(),
                               "), over IPC at ", service->socket_path())
                : absl::StrCat("in-process NetworkContext, because ", error);
  }
  out << "prewarm demo: a news article loaded through partitioned socket "
         "pools, third-party cookies blocked\n\n"
      << "network service: " << service_note << "\n"
      << "delay:   " << site.delay_description() << "\n"
      << "protocol: "
      << (site_options.http2 ? "HTTP/2 on every origin (ALPN offers h2, then "
                               "http/1.1; --http1 for HTTP/1.1 only)"
                             : "HTTP/1.1 only (--http1)")
      << "\n"
      << "origins: local HTTPS servers (runtime test CAs); each logical "
         "origin stays host:443,\n         connect-to sends it to "
      << (site.lab() ? "its own loopback address" : "its latency proxy")
      << ":\n";
  for (absl::string_view mapping : absl::StrSplit(site.connect_to(), ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(mapping, ':');
    out << absl::StrFormat(
        "  https://%-26s -> %s:%s  round trip %s ms\n", parts[0], parts[2],
        parts[3],
        absl::StrCat(absl::ToDoubleMilliseconds(
            site_options.round_trips.ForHost(std::string(parts[0])))));
  }
  out << "page: " << DemoSite::kArticleUrl
      << "\neach policy: a first visit, then a repeat visit a day later "
         "(idle sockets closed,\nthe learned corrections kept)\n\n";

  std::unique_ptr<HarLog> har;
  if (!har_path.empty())
    har = std::make_unique<HarLog>(HarLog::WallMinusTicksNow());
  std::vector<PolicyRun> runs;
  for (PreconnectPolicy policy : kAllPreconnectPolicies) {
    PolicyRun& run = runs.emplace_back();
    run.policy = policy;
    if (!RunPolicy(site, network_flags, service ? service->client() : nullptr,
                   out_dir, &run, har.get(), &error)) {
      err << "demo: " << PreconnectPolicyToString(policy) << ": " << error
          << "\n";
      return 1;
    }
  }

  out << "== the first visit under the prewarm policy\n";
  PrintPageLoadTable(runs[0].visits[0], out);
  PrintPagePreloads(runs[0].visits[0], out);

  out << "\n== comparison (third-party cookies blocked)\n";
  // The first five columns and the load event stay where scripts read them;
  // late binding and the hints' server-side cost come after.
  out << absl::StrFormat("%-12s %-7s %7s %5s %9s %11s %16s %11s %10s\n",
                         "policy", "visit", "warmed", "used", "stranded",
                         "load event", "requests on a", "late-bound", "wasted");
  out << absl::StrFormat("%-12s %-7s %7s %5s %9s %11s %16s %11s %10s\n", "", "",
                         "", "", "", "", "warmed socket", "", "handshakes");
  for (const PolicyRun& run : runs) {
    for (int visit = 0; visit < 2; ++visit) {
      const PageLoadResult& result = run.visits[visit];
      int preconnected = 0;
      for (const LoadedRequest& request : result.requests) {
        if (request.result.socket_reuse == SocketReuse::kPreconnected)
          ++preconnected;
      }
      out << absl::StrFormat(
          "%-12s %-7s %7d %5d %9d %8.1f ms %8d of %-4d %11d %10d\n",
          PreconnectPolicyToString(run.policy), kVisitNames[visit],
          result.warmed_sockets, result.used_sockets, result.stranded_sockets,
          LoadEventMs(result), preconnected, result.requests.size(),
          result.late_bound_sockets, result.wasted_handshakes);
    }
  }
  out << absl::StrFormat(
      "(round trips %s ms; %s)\n", site_options.round_trips.ToString(),
      site.lab() ? "kernel-level NFQUEUE delay" : "user-space proxy fallback");

  out << "\n== stranded sockets, in developer words\n";
  PrintDiagnostics(runs[0], 0, out);
  PrintDiagnostics(runs[0], 1, out);
  PrintDiagnostics(runs[2], 0, out);
  out << "(every policy's diagnostics: in the tables and waterfalls listed "
         "below)\n";

  out << "\n== preloads (seed 003): which rule sets reuse the article's "
         "<link rel=preload>\n"
         "The host's own load above matches the page's requests under the "
         "prewarm rules\n(see \"preloads\" in the table). The inline "
         "script's fetch() needs a script\nengine the host does not have "
         "yet, so this comparison drives the page's\npreloads, the requests "
         "for their URLs and that fetch() through the scenario\npath "
         "(ScenarioReplayer, local origins), once per rule set:\n";
  if (!PrintPreloadComparison(out, &error)) {
    err << "demo: preloads: " << error << "\n";
    return 1;
  }

  out << "\n== files\n";
  for (const PolicyRun& run : runs) {
    out << absl::StrFormat("%-12s %s\n", PreconnectPolicyToString(run.policy),
                           run.table_path);
    for (const std::string& path : run.waterfall_paths)
      out << absl::StrFormat("%-12s %s\n", "", path);
    out << absl::StrFormat("%-12s %s\n", "", run.net_log_path);
  }
  if (har) {
    if (!WriteFile(har_path, har->ToJson(), &error)) {
      err << "demo: " << error << "\n";
      return 1;
    }
    out << absl::StrFormat("%-12s %s\n", "har", har_path);
  }
  out << absl::StrFormat("\nfinished in %.2f s\n",
                         absl::ToDoubleSeconds(absl::Now() - wall_start));
  return 0;
}

}  // namespace prewarm
