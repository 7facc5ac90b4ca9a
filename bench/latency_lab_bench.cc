// latency_lab_bench: what prewarm saves, in a kernel-level latency lab
// (net::LatencyLab: every packet to and from each origin, TCP handshake
// included, waits in an NFQUEUE for half the round trip each way).
//
// 1. The demo page (host/DemoSite, the news article) under each policy, a
//    first and a repeat visit (idle sockets closed in between, the learned
//    corrections kept), through the network service process as the demo
//    runs it, at every origin's round trip R in --rtts: the median time to
//    the load event over --runs runs, and prewarm's saving over chromium
//    and over seed in ms and in round trips (ms / R).
// 2. A warm hit against the physical limit, with the same connect job and
//    HTTP stream the pool uses, against an HTTPS EmbeddedTestServer that
//    answers at once: the first byte of a request on an already connected
//    socket against R + server time, and a cold request (DNS from a dnsmasq
//    that is itself R away, TCP, TLS 1.3, the request) against 4 R + server
//    time, where server time is the same warm request to an origin outside
//    the queues. Target: warm first byte <= 1.1 x (R + server time).
// 3. The delayer's own cost during the page loads: packets/s, CPU per packet
//    and in % of one core, and how late it released packets (p50/p99/max).
//
// Usage: latency_lab_bench [--runs=N] [--rtts=MS,MS,...] [--warm-samples=N]
// Needs root (see LatencyLab); says why and exits 0 without running where
// the machine cannot run a lab.

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "host/browser_session.h"
#include "host/demo_site.h"
#include "host/network_service_process.h"
#include "net/base/host_port_pair.h"
#include "net/base/net_errors.h"
#include "net/base/url.h"
#include "net/dns/host_resolver.h"
#include "net/event/event_loop.h"
#include "net/http/http_basic_stream.h"
#include "net/socket/stream_socket.h"
#include "net/socket/transport_connect_job.h"
#include "net/ssl/ssl_client_session_cache.h"
#include "net/test/dnsmasq_server.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "net/test/latency_lab.h"
#include "net/test/test_completion_callback.h"

namespace {

using prewarm::BrowserSession;
using prewarm::DemoSite;
using prewarm::PageLoadOptions;
using prewarm::PageLoadResult;
using prewarm::PreconnectPolicy;

constexpr absl::Duration kLoadTimeout = absl::Seconds(60);
constexpr const char* kVisits[] = {"first", "repeat"};

double Median(std::vector<double> values) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double Ms(absl::Duration duration) {
  return absl::ToDoubleMilliseconds(duration);
}

struct Flags {
  int runs = 5;
  std::vector<int> rtts_ms = {40, 100, 200};
  int warm_samples = 15;
};

bool ParseFlags(int argc, char** argv, Flags* flags) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--runs=", 0) == 0 &&
        absl::SimpleAtoi(arg.substr(7), &flags->runs) && flags->runs > 0) {
      continue;
    }
    if (arg.rfind("--warm-samples=", 0) == 0 &&
        absl::SimpleAtoi(arg.substr(15), &flags->warm_samples) &&
        flags->warm_samples > 0) {
      continue;
    }
    if (arg.rfind("--rtts=", 0) == 0) {
      flags->rtts_ms.clear();
      for (absl::string_view part : absl::StrSplit(arg.substr(7), ',')) {
        int ms = 0;
        if (!absl::SimpleAtoi(part, &ms) || ms < 0 || ms > 2000)
          return false;
        flags->rtts_ms.push_back(ms);
      }
      if (!flags->rtts_ms.empty())
        continue;
    }
    return false;
  }
  return true;
}

// --- 1. The demo page's load event ---------------------------------------

struct PolicyTimes {
  std::vector<double> load_event_ms[2];
};

struct DelayerCost {
  double packets_per_second = 0;
  double user_us_per_packet = 0;
  double system_us_per_packet = 0;
  double cpu_percent = 0;
  int64_t late_p50_us = 0;
  int64_t late_p99_us = 0;
  int64_t late_max_us = 0;
  int64_t dropped = 0;
  int64_t overruns = 0;
  bool realtime = false;
};

double LoadEventMs(const PageLoadResult& result) {
  return Ms(result.pages[0].load_event - result.pages[0].navigation_start);
}

// One policy's first and repeat visit; false with *error on a failed load.
bool LoadTwice(const DemoSite& site,
               prewarm::NetworkServiceClient* service,
               PreconnectPolicy policy,
               PolicyTimes* times,
               std::string* error) {
  BrowserSession::Params params;
  params.policy = policy;
  params.block_third_party_cookies = true;
  params.connect_to = site.connect_to();
  params.trusted_root_certificates_pem = site.trusted_roots_pem();
  std::unique_ptr<BrowserSession> session =
      BrowserSession::Create(params, service, error);
  if (!session)
    return false;
  for (int visit = 0; visit < 2; ++visit) {
    if (visit == 1 && !session->ClosePage("first-visit-page1", error))
      return false;
    PageLoadOptions options;
    options.url = DemoSite::kArticleUrl;
    options.document_prefix = absl::StrCat(kVisits[visit], "-visit-page");
    PageLoadResult result;
    if (!session->Load(options, kLoadTimeout, &result, error))
      return false;
    if (result.pages.empty() || result.pages[0].error != net::OK ||
        result.failed_requests != 0) {
      *error = absl::StrCat("the article did not load cleanly under ",
                            prewarm::PreconnectPolicyToString(policy));
      return false;
    }
    times->load_event_ms[visit].push_back(LoadEventMs(result));
  }
  return true;
}

bool RunPageLoads(const Flags& flags,
                  absl::Duration round_trip,
                  std::map<PreconnectPolicy, PolicyTimes>* times,
                  DelayerCost* cost,
                  std::string* error) {
  DemoSite::Options options;
  options.round_trips = prewarm::OriginRoundTrips(round_trip);
  options.kernel_lab = true;
  DemoSite site(options);
  if (site.Start(error) != net::OK)
    return false;
  if (!site.lab()) {
    *error = site.delay_description();
    return false;
  }
  std::unique_ptr<prewarm::NetworkServiceProcess> service =
      prewarm::NetworkServiceProcess::Launch(
          prewarm::NetworkServiceProcess::DefaultBinaryPath(), error);
  if (!service)
    return false;
  std::optional<net::NfqueueDelayerStats> before =
      site.lab()->DelayerStats(error);
  if (!before)
    return false;
  // Policies interleaved run by run, so that a slow moment of the machine
  // does not land on one policy only.
  for (int run = 0; run < flags.runs; ++run) {
    for (PreconnectPolicy policy : prewarm::kAllPreconnectPolicies) {
      if (!LoadTwice(site, service->client(), policy, &(*times)[policy],
                     error)) {
        return false;
      }
    }
  }
  std::optional<net::NfqueueDelayerStats> after =
      site.lab()->DelayerStats(error);
  if (!after)
    return false;
  const double packets = static_cast<double>(after->packets - before->packets);
  const double wall_s = (after->wall_us - before->wall_us) / 1e6;
  const double user_us = static_cast<double>(after->user_us - before->user_us);
  const double system_us =
      static_cast<double>(after->system_us - before->system_us);
  const double cpu_us = user_us + system_us;
  cost->packets_per_second = wall_s > 0 ? packets / wall_s : 0;
  cost->user_us_per_packet = packets > 0 ? user_us / packets : 0;
  cost->system_us_per_packet = packets > 0 ? system_us / packets : 0;
  cost->cpu_percent = wall_s > 0 ? cpu_us / (wall_s * 1e6) * 100 : 0;
  cost->late_p50_us = after->late_p50_us;
  cost->late_p99_us = after->late_p99_us;
  cost->late_max_us = after->late_max_us;
  cost->dropped = after->dropped;
  cost->overruns = after->overruns;
  cost->realtime = after->realtime;
  return true;
}

// --- 2. A warm hit against the physical limit ----------------------------

class CompletionDelegate : public net::ConnectJob::Delegate {
 public:
  net::CompletionOnceCallback callback;
  void OnConnectJobComplete(int result, net::ConnectJob*) override {
    std::move(callback)(result);
  }
};

struct Fetched {
  absl::Duration connect;     // Connect job: DNS, TCP, TLS.
  absl::Duration first_byte;  // From the request's start to its headers.
};

// Connects to https://`host`:`port`, resolving `host` through the DNS server
// `dns_server` with a fresh host cache, waits `idle` and then fetches "/"
// on that socket: a warm request if `idle` is nonzero (its first byte
// counted from the request's start), a cold one otherwise (counted from the
// connect start). False with *error on failure.
bool Fetch(const std::string& dns_server,
           const std::string& trusted_roots_pem,
           const std::string& host,
           uint16_t port,
           absl::Duration idle,
           Fetched* fetched,
           std::string* error) {
  net::HostResolver::Options resolver_options;
  resolver_options.dns_servers = dns_server;
  resolver_options.use_hosts_file = false;
  int rv = net::OK;
  std::unique_ptr<net::HostResolver> resolver =
      net::HostResolver::Create(std::move(resolver_options), &rv, error);
  if (!resolver)
    return false;
  net::SslClientSessionCache session_cache(net::EventLoop::Current()->clock());
  net::SslConfig ssl_config;
  ssl_config.trusted_root_certificates_pem = trusted_roots_pem;
  net::ConnectJobParams params;
  params.scheme = "https";
  params.destination = net::HostPortPair(host, port);
  CompletionDelegate delegate;
  net::TestCompletionCallback connected;
  delegate.callback = connected.callback();
  net::TransportConnectJob job(params, resolver.get(), &session_cache,
                               ssl_config, {}, nullptr, &delegate);
  const absl::Time connect_start = absl::Now();
  if (connected.GetResult(job.Connect()) != net::OK) {
    *error = absl::StrCat("connect to ", host, ": ", job.error_message());
    return false;
  }
  fetched->connect = absl::Now() - connect_start;
  std::unique_ptr<net::StreamSocket> socket = job.PassSocket();
  if (idle > absl::ZeroDuration())
    net::RunLoop().RunWithTimeout(idle);
  const absl::Time request_start = absl::Now();
  net::HttpBasicStream stream(socket.get());
  net::HttpRequestInfo request;
  request.url = net::Url::Parse(absl::StrCat("https://", host, ":", port, "/"));
  net::TestCompletionCallback callback;
  if (callback.GetResult(stream.SendRequest(request, callback.callback())) !=
          net::OK ||
      callback.GetResult(stream.ReadResponseHeaders(callback.callback())) !=
          net::OK) {
    *error = "the request failed";
    return false;
  }
  fetched->first_byte =
      absl::Now() -
      (idle > absl::ZeroDuration() ? request_start : connect_start);
  std::string body;
  callback.GetResult(stream.ReadResponseBodyToEnd(&body, callback.callback()));
  return true;
}

struct WarmHit {
  double server_ms = 0;
  double warm_ms = 0;
  double cold_ms = 0;
  double cold_connect_ms = 0;
};

// In a lab of two origins at `round_trip`: the HTTPS server (warm.test, and
// cold.test for cold requests) and its DNS server, dnsmasq. direct.test is
// the same kind of server on 127.0.0.1, outside every queue.
bool MeasureWarmHit(const Flags& flags,
                    absl::Duration round_trip,
                    WarmHit* hit,
                    std::string* error) {
  const net::IPAddress server_address = net::LatencyLab::OriginAddress(0);
  const net::IPAddress dns_address = net::LatencyLab::OriginAddress(1);
  net::LatencyLab::Options options;
  options.origins = {{server_address, round_trip}, {dns_address, round_trip}};
  std::unique_ptr<net::LatencyLab> lab =
      net::LatencyLab::Create(options, error);
  if (!lab)
    return false;
  net::DnsmasqServer::Options dns_options;
  dns_options.listen_address = dns_address.ToString();
  dns_options.addresses = {{"warm.test", server_address.ToString()},
                           {"cold.test", server_address.ToString()},
                           {"direct.test", "127.0.0.1"}};
  net::DnsmasqServer dns(dns_options);
  if (!dns.Start(error))
    return false;
  net::test_server::EmbeddedTestServer delayed(
      net::test_server::EmbeddedTestServer::Type::kHttps);
  net::test_server::EmbeddedTestServer direct(
      net::test_server::EmbeddedTestServer::Type::kHttps);
  for (auto* server : {&delayed, &direct}) {
    server->RegisterRequestHandler([](const net::test_server::HttpRequest&) {
      net::test_server::HttpResponse response;
      response.set_content("ok");
      return std::optional<net::test_server::HttpResponse>(response);
    });
  }
  if (delayed.Start(server_address) != net::OK ||
      direct.Start(net::IPAddress::IPv4Localhost()) != net::OK) {
    *error = "cannot start the servers";
    return false;
  }
  std::vector<double> server, warm, cold, cold_connect;
  // Long enough for the connection to settle (the server's session tickets
  // arrive after the handshake), as a preconnected socket would.
  const absl::Duration idle = round_trip + absl::Milliseconds(20);
  for (int i = 0; i < flags.warm_samples; ++i) {
    Fetched fetched;
    if (!Fetch(dns.server_address(), direct.root_certificate_pem(),
               "direct.test", direct.port(), idle, &fetched, error)) {
      return false;
    }
    server.push_back(Ms(fetched.first_byte));
    if (!Fetch(dns.server_address(), delayed.root_certificate_pem(),
               "warm.test", delayed.port(), idle, &fetched, error)) {
      return false;
    }
    warm.push_back(Ms(fetched.first_byte));
    if (!Fetch(dns.server_address(), delayed.root_certificate_pem(),
               "cold.test", delayed.port(), absl::ZeroDuration(), &fetched,
               error)) {
      return false;
    }
    cold.push_back(Ms(fetched.first_byte));
    cold_connect.push_back(Ms(fetched.connect));
  }
  hit->server_ms = Median(server);
  hit->warm_ms = Median(warm);
  hit->cold_ms = Median(cold);
  hit->cold_connect_ms = Median(cold_connect);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, &flags)) {
    fprintf(stderr,
            "usage: latency_lab_bench [--runs=N] [--rtts=MS,MS,...] "
            "[--warm-samples=N]\n");
    return 2;
  }
  if (std::optional<std::string> reason =
          net::LatencyLab::UnsupportedReason()) {
    printf("latency_lab_bench: skipped: %s\n", reason->c_str());
    return 0;
  }
  net::EventLoop loop;
  const absl::Time start = absl::Now();
  std::map<int, std::map<PreconnectPolicy, PolicyTimes>> times;
  std::map<int, DelayerCost> costs;
  std::map<int, WarmHit> hits;
  for (int rtt_ms : flags.rtts_ms) {
    std::string error;
    const absl::Duration round_trip = absl::Milliseconds(rtt_ms);
    if (!RunPageLoads(flags, round_trip, &times[rtt_ms], &costs[rtt_ms],
                      &error) ||
        !MeasureWarmHit(flags, round_trip, &hits[rtt_ms], &error)) {
      fprintf(stderr, "latency_lab_bench: RTT %d ms: %s\n", rtt_ms,
              error.c_str());
      return 1;
    }
  }

  printf(
      "demo page, time to the load event (median of %d runs; every origin at "
      "the round trip R, kernel NFQUEUE delay, third-party cookies blocked)\n",
      flags.runs);
  printf("%-6s %-12s %10s %10s\n", "R ms", "policy", "first ms", "repeat ms");
  for (const auto& [rtt_ms, by_policy] : times) {
    for (PreconnectPolicy policy : prewarm::kAllPreconnectPolicies) {
      const PolicyTimes& t = by_policy.at(policy);
      printf("%-6d %-12s %10.1f %10.1f\n", rtt_ms,
             prewarm::PreconnectPolicyToString(policy),
             Median(t.load_event_ms[0]), Median(t.load_event_ms[1]));
    }
  }
  printf(
      "\nprewarm's saving (median load event of the other policy minus "
      "prewarm's; in ms and in round trips R)\n");
  printf("%-6s %-10s %-8s %10s %8s\n", "R ms", "over", "visit", "ms", "RTTs");
  for (const auto& [rtt_ms, by_policy] : times) {
    for (PreconnectPolicy other :
         {PreconnectPolicy::kChromium, PreconnectPolicy::kSeed}) {
      for (int visit = 0; visit < 2; ++visit) {
        const double saving =
            Median(by_policy.at(other).load_event_ms[visit]) -
            Median(
                by_policy.at(PreconnectPolicy::kPrewarm).load_event_ms[visit]);
        printf("%-6d %-10s %-8s %10.1f %8.2f\n", rtt_ms,
               prewarm::PreconnectPolicyToString(other), kVisits[visit], saving,
               rtt_ms > 0 ? saving / rtt_ms : 0.0);
      }
    }
  }

  printf(
      "\nwarm hit against the physical limit (median of %d; server time "
      "S = a warm request to an undelayed origin)\n",
      flags.warm_samples);
  printf("%-6s %8s %10s %12s %10s %12s %12s\n", "R ms", "S ms", "warm ms",
         "warm/(R+S)", "cold ms", "cold/(4R+S)", "connect ms");
  for (const auto& [rtt_ms, hit] : hits) {
    printf("%-6d %8.2f %10.2f %12.3f %10.2f %12.3f %12.2f\n", rtt_ms,
           hit.server_ms, hit.warm_ms, hit.warm_ms / (rtt_ms + hit.server_ms),
           hit.cold_ms, hit.cold_ms / (4 * rtt_ms + hit.server_ms),
           hit.cold_connect_ms);
  }
  printf(
      "(cold: DNS from a dnsmasq itself R away, TCP, TLS 1.3 and the request: "
      "4 R + S; connect: DNS + TCP + TLS; target: warm/(R+S) <= 1.1)\n");

  printf(
      "\nthe delayer's own cost during the page loads (CPU per packet in "
      "user space, and in the kernel: netlink plus the reinjected packet's "
      "receive path)\n");
  printf("%-6s %10s %9s %9s %8s %9s %9s %9s %8s %9s\n", "R ms", "packets/s",
         "user us", "kern us", "CPU %", "late p50", "late p99", "late max",
         "dropped", "realtime");
  for (const auto& [rtt_ms, cost] : costs) {
    printf(
        "%-6d %10.0f %9.2f %9.2f %8.2f %6lld us %6lld us %6lld us %8lld "
        "%9s\n",
        rtt_ms, cost.packets_per_second, cost.user_us_per_packet,
        cost.system_us_per_packet, cost.cpu_percent,
        static_cast<long long>(cost.late_p50_us),
        static_cast<long long>(cost.late_p99_us),
        static_cast<long long>(cost.late_max_us),
        static_cast<long long>(cost.dropped + cost.overruns),
        cost.realtime ? "yes" : "no");
  }
  printf("\nfinished in %.1f s\n", absl::ToDoubleSeconds(absl::Now() - start));
  return 0;
}
