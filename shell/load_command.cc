#include "shell/load_command.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "host/browser_session.h"
#include "host/demo_site.h"
#include "host/network_service_process.h"
#include "host/origin_round_trips.h"
#include "net/base/net_errors.h"
#include "net/base/url.h"
#include "net/event/event_loop.h"
#include "shell/har_log.h"
#include "shell/network_flags.h"
#include "shell/page_load_table.h"
#include "shell/preload_table.h"
#include "shell/waterfall_svg.h"

namespace prewarm {

namespace {

constexpr char kUsage[] =
    "usage: prewarm_shell load URL|FILE.html [--block-third-party-cookies] "
    "[--policy=prewarm|seed|chromium|single-pool] [--then URL]... "
    "[--waterfall=FILE.svg] [--netlog=FILE.json] [--har=FILE.har] "
    "[--base-url=URL] [--demo-site [--rtt=MS|HOST=MS,...,*=MS]] "
    "[--in-process] [--hints-first] [--click=SELECTOR] "
    "[--host-resolver-rules=RULES] [--ca-file=PEM] "
    "[--ignore-certificate-errors-spki-list=BASE64,...]\n";

// Generous: a page on the real network may be slow, but a hung server must
// not hang the shell.
constexpr absl::Duration kLoadTimeout = absl::Seconds(60);

struct Flags {
  std::string target;
  bool block_third_party_cookies = false;
  PreconnectPolicy policy = PreconnectPolicy::kPrewarm;
  std::vector<std::string> then_urls;
  std::string waterfall_path;
  std::string net_log_path;
  std::string har_path;
  std::string base_url;
  bool demo_site = false;
  // The demo site's round trips, run in the kernel lab; nullopt: the
  // proxies' default.
  std::optional<OriginRoundTrips> round_trips;
  bool in_process = false;
  bool hints_first = false;
  std::string click;
  NetworkFlags network;
};

bool HasPrefix(const std::string& text, std::string_view prefix) {
  return text.rfind(prefix, 0) == 0;
}

// A usage problem, or nullopt.
std::optional<std::string> ParseFlags(const std::vector<std::string>& args,
                                      Flags* flags) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    std::optional<std::string> problem;
    if (flags->network.Parse(arg, &problem)) {
      if (problem)
        return problem;
    } else if (arg == "--block-third-party-cookies") {
      flags->block_third_party_cookies = true;
    } else if (HasPrefix(arg, "--policy=")) {
      std::optional<PreconnectPolicy> policy =
          PreconnectPolicyFromString(arg.substr(9));
      if (!policy) {
        return absl::StrCat("unknown policy '", arg.substr(9),
                            "' (expected prewarm, seed, chromium or "
                            "single-pool)");
      }
      flags->policy = *policy;
    } else if (arg == "--then") {
      if (i + 1 == args.size())
        return std::string("--then needs a URL");
      flags->then_urls.push_back(args[++i]);
    } else if (HasPrefix(arg, "--then=")) {
      flags->then_urls.push_back(arg.substr(7));
    } else if (HasPrefix(arg, "--waterfall=")) {
      flags->waterfall_path = arg.substr(12);
      if (flags->waterfall_path.empty())
        return std::string("--waterfall needs a file name");
    } else if (HasPrefix(arg, "--netlog=")) {
      flags->net_log_path = arg.substr(9);
      if (flags->net_log_path.empty())
        return std::string("--netlog needs a file name");
    } else if (HasPrefix(arg, "--har=")) {
      flags->har_path = arg.substr(6);
      if (flags->har_path.empty())
        return std::string("--har needs a file name");
    } else if (HasPrefix(arg, "--base-url=")) {
      flags->base_url = arg.substr(11);
    } else if (arg == "--demo-site") {
      flags->demo_site = true;
    } else if (HasPrefix(arg, "--rtt=")) {
      std::string error;
      flags->round_trips = OriginRoundTrips::Parse(arg.substr(6), &error);
      if (!flags->round_trips)
        return absl::StrCat("--rtt: ", error);
    } else if (arg == "--in-process") {
      flags->in_process = true;
    } else if (arg == "--hints-first") {
      flags->hints_first = true;
    } else if (HasPrefix(arg, "--click=")) {
      flags->click = arg.substr(8);
      if (flags->click.empty())
        return std::string("--click needs a selector");
    } else if (HasPrefix(arg, "--")) {
      return absl::StrCat("unknown flag '", arg, "'");
    } else if (!flags->target.empty()) {
      return absl::StrCat("unexpected argument '", arg,
                          "' (one URL or file; later pages go in --then)");
    } else {
      flags->target = arg;
    }
  }
  if (flags->target.empty())
    return std::string("no URL or file given");
  if (flags->round_trips && !flags->demo_site) {
    return std::string(
        "--rtt delays the demo site's origins: it needs --demo-site");
  }
  return flags->network.Finish();
}

// An http(s) URL, checked; or an error message.
std::optional<std::string> CheckUrl(const std::string& text, const char* what) {
  net::Url url = net::Url::Parse(text);
  if (!url.is_valid()) {
    return absl::StrCat(what, " '", text, "' cannot be loaded: ",
                        net::ErrorToShortString(url.error()), ": ",
                        url.error_message());
  }
  if (!url.SchemeIsHttpOrHttps())
    return absl::StrCat(what, " '", text, "' is not http(s)");
  return std::nullopt;
}

bool LooksLikeUrl(const std::string& text) {
  return text.find("://") != std::string::npos;
}

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

}  // namespace

std::string_view LoadCommand::name() const {
  return "load";
}

std::string_view LoadCommand::summary() const {
  return "URL|FILE.html [--block-third-party-cookies] [--policy=P] "
         "[--then URL] [--waterfall=F.svg] [--netlog=F.json] [--har=F.har] "
         "[--base-url=U] [--demo-site [--rtt=MS|HOST=MS,...,*=MS]] "
         "[--in-process] [--hints-first] [--click=SEL] "
         "[--host-resolver-rules=R] [--ca-file=PEM] "
         "[--ignore-certificate-errors-spki-list=B64,...]  load a "
         "page like a browser: hints, "
         "subresources, "
         "load event; table + SVG waterfall";
}

int LoadCommand::Run(const std::vector<std::string>& args,
                     std::ostream& out,
                     std::ostream& err) {
  Flags flags;
  if (std::optional<std::string> problem = ParseFlags(args, &flags)) {
    err << "load: " << *problem << "\n" << kUsage;
    return 2;
  }

  PageLoadOptions options;
  if (LooksLikeUrl(flags.target)) {
    if (auto problem = CheckUrl(flags.target, "URL")) {
      err << "load: " << *problem << "\n";
      return 1;
    }
    if (!flags.base_url.empty()) {
      err << "load: --base-url applies to a file, not to a URL\n" << kUsage;
      return 2;
    }
    options.url = flags.target;
  } else {
    std::error_code ignored;
    std::ifstream file(flags.target, std::ios::binary);
    std::ostringstream html;
    if (file.is_open() && !std::filesystem::is_directory(flags.target, ignored))
      html << file.rdbuf();
    if (!file.is_open() || file.bad() ||
        std::filesystem::is_directory(flags.target, ignored)) {
      err << "load: cannot read '" << flags.target
          << "' (neither a readable file nor a URL with a scheme)\n";
      return 1;
    }
    if (flags.base_url.empty()) {
      std::string name = flags.target.substr(flags.target.rfind('/') + 1);
      flags.base_url = absl::StrCat("https://local.test/", name);
    }
    if (auto problem = CheckUrl(flags.base_url, "--base-url")) {
      err << "load: " << *problem << "\n";
      return 1;
    }
    options.url = flags.base_url;
    options.html = html.str();
  }
  for (const std::string& then : flags.then_urls) {
    if (auto problem = CheckUrl(then, "--then")) {
      err << "load: " << *problem << "\n";
      return 1;
    }
  }
  options.then_urls = flags.then_urls;
  options.hints_first = flags.hints_first;
  options.click_selector = flags.click;

  net::EventLoop loop;
  std::unique_ptr<DemoSite> site;
  BrowserSession::Params params;
  params.policy = flags.policy;
  params.block_third_party_cookies = flags.block_third_party_cookies;
  params.net_log_path = flags.net_log_path;
  params.host_resolver_rules = flags.network.host_resolver_rules();
  params.additional_trust_anchors_pem =
      flags.network.additional_trust_anchors_pem();
  params.ignore_certificate_errors_spki_list =
      flags.network.ignore_certificate_errors_spki_list();
  if (flags.demo_site) {
    // Before the network service starts: with --rtt the site's lab puts
    // this thread, and so the service process, in its network namespace.
    DemoSite::Options site_options;
    if (flags.round_trips) {
      site_options.round_trips = *flags.round_trips;
      site_options.kernel_lab = true;
    }
    site = std::make_unique<DemoSite>(site_options);
    std::string message;
    if (site->Start(&message) != net::OK) {
      err << "load: " << message << "\n";
      return 1;
    }
    if (flags.round_trips) {
      out << "delay: round trips " << flags.round_trips->ToString() << " ms, "
          << site->delay_description() << "\n";
    }
    params.connect_to = site->connect_to();
    params.trusted_root_certificates_pem = site->trusted_roots_pem();
  }
  std::string error;
  std::unique_ptr<NetworkServiceProcess> service;
  if (!flags.in_process) {
    const std::string binary = NetworkServiceProcess::DefaultBinaryPath();
    service = NetworkServiceProcess::Launch(binary, &error);
    out << "network service: "
        << (service ? absl::StrCat(binary, " over IPC")
                    : absl::StrCat("in process, because ", error))
        << "\n";
  }
  std::unique_ptr<BrowserSession> session = BrowserSession::Create(
      params, service ? service->client() : nullptr, &error);
  if (!session) {
    err << "load: " << error << "\n";
    return 1;
  }
  PageLoadResult result;
  if (!session->Load(options, kLoadTimeout, &result, &error)) {
    err << "load: " << error << "\n";
    return 1;
  }
  PrintPageLoadTable(result, out);
  PrintPagePreloads(result, out);

  int status = 0;
  if (!session->FinishNetLog(&error)) {
    err << "load: " << error << "\n";
    status = 1;
  } else if (!flags.net_log_path.empty()) {
    out << "netlog:    " << flags.net_log_path << "\n";
  }
  if (!flags.waterfall_path.empty()) {
    if (WriteFile(flags.waterfall_path,
                  RenderWaterfallSvg(
                      result, absl::StrCat("prewarm_shell load ", options.url)),
                  &error)) {
      out << "waterfall: " << flags.waterfall_path << "\n";
    } else {
      err << "load: " << error << "\n";
      status = 1;
    }
  }
  if (!flags.har_path.empty()) {
    HarLog har(HarLog::WallMinusTicksNow());
    har.AddPageLoad(result, "");
    if (WriteFile(flags.har_path, har.ToJson(), &error)) {
      out << "har:       " << flags.har_path << "\n";
    } else {
      err << "load: " << error << "\n";
      status = 1;
    }
  }
  for (const LoadedPage& page : result.pages) {
    if (page.error != net::OK) {
      err << "load: " << page.url
          << " failed: " << net::ErrorToShortString(page.error) << ": "
          << page.error_message << "\n";
      status = 1;
    }
  }
  return status;
}

}  // namespace prewarm
