#include "net/dns/host_resolver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "net/base/net_errors.h"
#include "net/base/schemeful_site.h"
#include "net/base/url.h"
#include "net/event/event_loop.h"
#include "net/event/fd_watcher.h"
#include "net/log/net_log.h"
#include "net/log/net_log_with_source.h"
#include "net/log/recording_net_log_observer.h"
#include "net/test/dnsmasq_server.h"

namespace net {
namespace {

NetworkAnonymizationKey SameSiteKey(const std::string& url) {
  return NetworkAnonymizationKey::CreateSameSite(
      SchemefulSite(Url::Parse(url)));
}

// Starts `request` and, if it goes asynchronous, runs the loop until it
// completes.
int StartAndWait(ResolveHostRequest* request) {
  RunLoop run_loop;
  int result = ERR_IO_PENDING;
  int rv = request->Start([&](int r) {
    result = r;
    run_loop.Quit();
  });
  if (rv != ERR_IO_PENDING)
    return rv;
  EXPECT_TRUE(run_loop.RunWithTimeout(absl::Seconds(20)))
      << "resolution of " << request->host().ToString() << " never completed";
  return result;
}

std::vector<std::string> EndpointStrings(const ResolveHostRequest& request) {
  std::vector<std::string> result;
  for (const IPEndPoint& endpoint : request.addresses())
    result.push_back(endpoint.ToString());
  std::sort(result.begin(), result.end());
  return result;
}

DnsmasqServer::Options PoolTestRecords(int ttl_seconds) {
  DnsmasqServer::Options options;
  options.addresses = {{"pool.test", "127.0.0.1"}};
  options.host_records = {{"dual.test", "127.0.0.2"},
                          {"dual.test", "::1"},
                          {"fromhosts.test", "10.1.1.1"}};
  options.ttl_seconds = ttl_seconds;
  return options;
}

// The DNS tests against a real dnsmasq. Mock time drives cache expiry; answers
// still arrive through real socket events.
class HostResolverTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(dnsmasq_.Start(&error)) << error;
  }

  std::unique_ptr<HostResolver> CreateResolver(
      HostResolver::Options options = HostResolver::Options()) {
    if (options.dns_servers.empty())
      options.dns_servers = dnsmasq_.server_address();
    int error = ERR_FAILED;
    std::string message;
    std::unique_ptr<HostResolver> resolver =
        HostResolver::Create(std::move(options), &error, &message);
    EXPECT_EQ(error, OK) << message;
    return resolver;
  }

  EventLoop loop_{EventLoop::TimeSource::kMockTime};
  DnsmasqServer dnsmasq_{PoolTestRecords(30)};
  const NetworkAnonymizationKey nak_a_ = SameSiteKey("https://a.example");
  const NetworkAnonymizationKey nak_b_ = SameSiteKey("https://b.example");
};

TEST_F(HostResolverTest, ResolvesANameServedByDnsmasqWithTheRequestPort) {
  auto resolver = CreateResolver();
  auto request =
      resolver->CreateRequest(HostPortPair("www.pool.test", 443), nak_a_);
  EXPECT_EQ(StartAndWait(request.get()), OK)
      << request->resolve_error_info().message;
  EXPECT_EQ(EndpointStrings(*request),
            std::vector<std::string>{"127.0.0.1:443"});
  EXPECT_FALSE(request->from_cache());
  EXPECT_EQ(dnsmasq_.CountQueries("www.pool.test", "A"), 1);
}

TEST_F(HostResolverTest, ReturnsBothIpv4AndIpv6Answers) {
  auto resolver = CreateResolver();
  auto request = resolver->CreateRequest(HostPortPair("dual.test", 80), nak_a_);
  EXPECT_EQ(StartAndWait(request.get()), OK)
      << request->resolve_error_info().message;
  EXPECT_EQ(EndpointStrings(*request),
            (std::vector<std::string>{"127.0.0.2:80", "[::1]:80"}));
}

TEST_F(HostResolverTest, NxdomainIsNameNotResolvedWithAMessage) {
  auto resolver = CreateResolver();
  auto request =
      resolver->CreateRequest(HostPortPair("missing.test", 443), nak_a_);
  EXPECT_EQ(StartAndWait(request.get()), ERR_NAME_NOT_RESOLVED);
  EXPECT_EQ(request->resolve_error_info().error, ERR_NAME_NOT_RESOLVED);
  EXPECT_NE(request->resolve_error_info().message.find("missing.test"),
            std::string::npos)
      << request->resolve_error_info().message;
  EXPECT_TRUE(request->addresses().empty());
}

TEST_F(HostResolverTest, NegativeAnswerIsCachedOnlyForTheNegativeTtl) {
  HostResolver::Options options;
  options.negative_cache_ttl = absl::Seconds(5);
  auto resolver = CreateResolver(options);
  auto first =
      resolver->CreateRequest(HostPortPair("missing.test", 443), nak_a_);
  ASSERT_EQ(StartAndWait(first.get()), ERR_NAME_NOT_RESOLVED);

  ResolveHostParameters local_only;
  local_only.local_only = true;
  auto cached = resolver->CreateRequest(HostPortPair("missing.test", 443),
                                        nak_a_, NetLogWithSource(), local_only);
  EXPECT_EQ(StartAndWait(cached.get()), ERR_NAME_NOT_RESOLVED);
  EXPECT_TRUE(cached->from_cache());

  loop_.FastForwardBy(absl::Seconds(5));
  auto expired =
      resolver->CreateRequest(HostPortPair("missing.test", 443), nak_a_,
                              NetLogWithSource(), local_only);
  EXPECT_EQ(StartAndWait(expired.get()), ERR_DNS_CACHE_MISS);
}

TEST_F(HostResolverTest, CacheHitNeedsNoNetwork) {
  auto resolver = CreateResolver();
  auto first =
      resolver->CreateRequest(HostPortPair("www.pool.test", 443), nak_a_);
  ASSERT_EQ(StartAndWait(first.get()), OK);
  dnsmasq_.Stop();

  auto second =
      resolver->CreateRequest(HostPortPair("www.pool.test", 8443), nak_a_);
  // Synchronous: no lookup, no callback.
  EXPECT_EQ(second->Start([](int) { ADD_FAILURE() << "callback ran"; }), OK);
  EXPECT_TRUE(second->from_cache());
  EXPECT_EQ(EndpointStrings(*second),
            std::vector<std::string>{"127.0.0.1:8443"});
  EXPECT_EQ(resolver->dns_lookups_started(), 1u);
}

TEST_F(HostResolverTest, CacheEntryExpiresWithTheDnsTtl) {
  auto resolver = CreateResolver();
  auto first =
      resolver->CreateRequest(HostPortPair("www.pool.test", 443), nak_a_);
  ASSERT_EQ(StartAndWait(first.get()), OK);
  ResolveHostParameters local_only;
  local_only.local_only = true;

  loop_.FastForwardBy(absl::Seconds(29));
  auto before = resolver->CreateRequest(HostPortPair("www.pool.test", 443),
                                        nak_a_, NetLogWithSource(), local_only);
  EXPECT_EQ(StartAndWait(before.get()), OK);

  loop_.FastForwardBy(absl::Seconds(1));
  auto after = resolver->CreateRequest(HostPortPair("www.pool.test", 443),
                                       nak_a_, NetLogWithSource(), local_only);
  EXPECT_EQ(StartAndWait(after.get()), ERR_DNS_CACHE_MISS);
  EXPECT_EQ(after->resolve_error_info().error, ERR_DNS_CACHE_MISS);
}

TEST_F(HostResolverTest, PartitionsDoNotShareCacheEntries) {
  auto resolver = CreateResolver();
  auto in_a =
      resolver->CreateRequest(HostPortPair("www.pool.test", 443), nak_a_);
  ASSERT_EQ(StartAndWait(in_a.get()), OK);

  ResolveHostParameters local_only;
  local_only.local_only = true;
  auto probe_b =
      resolver->CreateRequest(HostPortPair("www.pool.test", 443), nak_b_,
                              NetLogWithSource(), local_only);
  EXPECT_EQ(StartAndWait(probe_b.get()), ERR_DNS_CACHE_MISS);
  auto probe_unpartitioned = resolver->CreateRequest(
      HostPortPair("www.pool.test", 443), NetworkAnonymizationKey(),
      NetLogWithSource(), local_only);
  EXPECT_EQ(StartAndWait(probe_unpartitioned.get()), ERR_DNS_CACHE_MISS);

  // Resolving in B goes to the network again.
  auto in_b =
      resolver->CreateRequest(HostPortPair("www.pool.test", 443), nak_b_);
  ASSERT_EQ(StartAndWait(in_b.get()), OK);
  EXPECT_FALSE(in_b->from_cache());
  EXPECT_EQ(dnsmasq_.CountQueries("www.pool.test", "A"), 2);
}

TEST_F(HostResolverTest, IdenticalInFlightLookupsShareOneQuery) {
  auto resolver = CreateResolver();
  std::vector<std::unique_ptr<ResolveHostRequest>> requests;
  std::vector<int> results(3, ERR_IO_PENDING);
  RunLoop run_loop;
  int completed = 0;
  for (int i = 0; i < 3; ++i) {
    requests.push_back(resolver->CreateRequest(
        HostPortPair("same.pool.test", static_cast<uint16_t>(1000 + i)),
        nak_a_));
    ASSERT_EQ(requests.back()->Start([&, i](int r) {
      results[i] = r;
      if (++completed == 3)
        run_loop.Quit();
    }),
              ERR_IO_PENDING);
  }
  EXPECT_EQ(resolver->in_flight_lookups(), 1u);
  ASSERT_TRUE(run_loop.RunWithTimeout(absl::Seconds(20)));
  EXPECT_EQ(results, (std::vector<int>{OK, OK, OK}));
  // Each request keeps its own port.
  EXPECT_EQ(EndpointStrings(*requests[2]),
            std::vector<std::string>{"127.0.0.1:1002"});
  EXPECT_EQ(resolver->dns_lookups_started(), 1u);
  EXPECT_EQ(dnsmasq_.CountQueries("same.pool.test", "A"), 1);
}

TEST_F(HostResolverTest, InFlightLookupsInDifferentPartitionsAreNotShared) {
  auto resolver = CreateResolver();
  auto in_a =
      resolver->CreateRequest(HostPortPair("www.pool.test", 443), nak_a_);
  auto in_b =
      resolver->CreateRequest(HostPortPair("www.pool.test", 443), nak_b_);
  RunLoop run_loop;
  int completed = 0;
  auto done = [&](int) {
    if (++completed == 2)
      run_loop.Quit();
  };
  ASSERT_EQ(in_a->Start(done), ERR_IO_PENDING);
  ASSERT_EQ(in_b->Start(done), ERR_IO_PENDING);
  EXPECT_EQ(resolver->in_flight_lookups(), 2u);
  ASSERT_TRUE(run_loop.RunWithTimeout(absl::Seconds(20)));
  EXPECT_EQ(resolver->dns_lookups_started(), 2u);
}

TEST_F(HostResolverTest, CancellingOneRequestDoesNotCancelTheOthers) {
  auto resolver = CreateResolver();
  auto cancelled =
      resolver->CreateRequest(HostPortPair("www.pool.test", 443), nak_a_);
  auto kept =
      resolver->CreateRequest(HostPortPair("www.pool.test", 443), nak_a_);
  ASSERT_EQ(cancelled->Start([](int) { ADD_FAILURE() << "cancelled ran"; }),
            ERR_IO_PENDING);
  cancelled.reset();
  EXPECT_EQ(StartAndWait(kept.get()), OK);
  EXPECT_EQ(EndpointStrings(*kept), std::vector<std::string>{"127.0.0.1:443"});
  EXPECT_EQ(resolver->dns_lookups_started(), 1u);
}

TEST_F(HostResolverTest, LookupWhoseRequestsAllCancelledStillFillsTheCache) {
  auto resolver = CreateResolver();
  auto cancelled =
      resolver->CreateRequest(HostPortPair("www.pool.test", 443), nak_a_);
  ASSERT_EQ(cancelled->Start([](int) { ADD_FAILURE() << "cancelled ran"; }),
            ERR_IO_PENDING);
  cancelled.reset();
  RunLoop run_loop;
  // The completion of the orphaned lookup is observable only through the cache.
  for (int i = 0; i < 2000 && resolver->in_flight_lookups() > 0; ++i)
    run_loop.RunWithTimeout(absl::Milliseconds(10));
  EXPECT_EQ(resolver->in_flight_lookups(), 0u);
  ResolveHostParameters local_only;
  local_only.local_only = true;
  auto cached = resolver->CreateRequest(HostPortPair("www.pool.test", 443),
                                        nak_a_, NetLogWithSource(), local_only);
  EXPECT_EQ(StartAndWait(cached.get()), OK);
}

TEST_F(HostResolverTest, CallbackMayDestroyAnotherRequestOfTheSameLookup) {
  auto resolver = CreateResolver();
  auto first =
      resolver->CreateRequest(HostPortPair("www.pool.test", 1), nak_a_);
  auto second =
      resolver->CreateRequest(HostPortPair("www.pool.test", 2), nak_a_);
  RunLoop run_loop;
  ASSERT_EQ(first->Start([&](int) {
    second.reset();
    run_loop.Quit();
  }),
            ERR_IO_PENDING);
  ASSERT_EQ(
      second->Start([](int) { ADD_FAILURE() << "destroyed request ran"; }),
      ERR_IO_PENDING);
  ASSERT_TRUE(run_loop.RunWithTimeout(absl::Seconds(20)));
  EXPECT_EQ(second, nullptr);
}

TEST_F(HostResolverTest, IpLiteralsResolveSynchronouslyWithoutDns) {
  auto resolver = CreateResolver();
  for (const char* literal : {"127.0.0.1", "::1", "[::1]"}) {
    auto request = resolver->CreateRequest(HostPortPair(literal, 443), nak_a_);
    EXPECT_EQ(request->Start([](int) { ADD_FAILURE(); }), OK) << literal;
    ASSERT_EQ(request->addresses().size(), 1u);
    EXPECT_EQ(request->addresses()[0].port(), 443);
  }
  EXPECT_EQ(resolver->dns_lookups_started(), 0u);
}

TEST_F(HostResolverTest, InvalidHostnamesFailSynchronouslyWithAReason) {
  auto resolver = CreateResolver();
  for (const std::string& bad :
       {std::string(""), std::string("bad host.test"), std::string("a..test"),
        std::string(300, 'a'), std::string(64, 'b') + ".test",
        std::string("nul\0byte.test", 13)}) {
    auto request = resolver->CreateRequest(HostPortPair(bad, 443), nak_a_);
    EXPECT_EQ(request->Start([](int) { ADD_FAILURE(); }),
              ERR_NAME_NOT_RESOLVED);
    EXPECT_NE(request->resolve_error_info().message.find("invalid hostname"),
              std::string::npos)
        << request->resolve_error_info().message;
  }
  EXPECT_EQ(resolver->dns_lookups_started(), 0u);
}

TEST_F(HostResolverTest, RulesMapAHostToALocalAddressWithoutDns) {
  HostResolver::Options options;
  std::string error;
  ASSERT_EQ(HostResolverRules::Parse(
                "MAP *.scenario.example 127.0.0.1:41234, MAP gone.example "
                "~NOTFOUND",
                &options.rules, &error),
            OK)
      << error;
  auto resolver = CreateResolver(options);
  auto mapped = resolver->CreateRequest(
      HostPortPair("news.scenario.example", 443), nak_a_);
  EXPECT_EQ(mapped->Start([](int) { ADD_FAILURE(); }), OK);
  EXPECT_EQ(EndpointStrings(*mapped),
            std::vector<std::string>{"127.0.0.1:41234"});

  auto gone =
      resolver->CreateRequest(HostPortPair("gone.example", 443), nak_a_);
  EXPECT_EQ(gone->Start([](int) { ADD_FAILURE(); }), ERR_NAME_NOT_RESOLVED);
  EXPECT_NE(gone->resolve_error_info().message.find("~NOTFOUND"),
            std::string::npos);
  EXPECT_EQ(resolver->dns_lookups_started(), 0u);
}

TEST_F(HostResolverTest, RulesMayMapToANameThatIsThenResolved) {
  HostResolver::Options options;
  std::string error;
  ASSERT_EQ(HostResolverRules::Parse("MAP news.example www.pool.test",
                                     &options.rules, &error),
            OK);
  auto resolver = CreateResolver(options);
  auto request =
      resolver->CreateRequest(HostPortPair("news.example", 443), nak_a_);
  EXPECT_EQ(StartAndWait(request.get()), OK);
  EXPECT_EQ(EndpointStrings(*request),
            std::vector<std::string>{"127.0.0.1:443"});
}

TEST_F(HostResolverTest, ConnectToOverrideServesALogicalOriginFromALocalPort) {
  HostResolver::Options options;
  std::string error;
  ASSERT_EQ(ConnectToOverrides::Parse(
                "news.example:443:127.0.0.1:41234,cdn.example:443:www.pool."
                "test:41235",
                &options.connect_to, &error),
            OK)
      << error;
  auto resolver = CreateResolver(options);

  auto news =
      resolver->CreateRequest(HostPortPair("news.example", 443), nak_a_);
  EXPECT_EQ(StartAndWait(news.get()), OK);
  EXPECT_EQ(EndpointStrings(*news),
            std::vector<std::string>{"127.0.0.1:41234"});
  // The logical origin (pool key, TLS name) is untouched.
  EXPECT_EQ(news->host(), HostPortPair("news.example", 443));

  auto cdn = resolver->CreateRequest(HostPortPair("cdn.example", 443), nak_a_);
  EXPECT_EQ(StartAndWait(cdn.get()), OK);
  EXPECT_EQ(EndpointStrings(*cdn), std::vector<std::string>{"127.0.0.1:41235"});

  // Another port of the same host is not overridden (and .example has no DNS
  // here).
  auto other_port =
      resolver->CreateRequest(HostPortPair("news.example", 80), nak_a_);
  EXPECT_EQ(StartAndWait(other_port.get()), ERR_NAME_NOT_RESOLVED);
}

TEST_F(HostResolverTest, HostsFileIsConsultedBeforeDnsAndCanBeTurnedOff) {
  const std::string hosts_path = std::filesystem::temp_directory_path() /
                                 ("prewarm-hosts-" + std::to_string(getpid()));
  {
    std::ofstream hosts(hosts_path);
    hosts << "10.9.8.7 fromhosts.test\n";
  }
  // c-ares reads the hosts file named by CARES_HOSTS instead of /etc/hosts.
  ASSERT_EQ(setenv("CARES_HOSTS", hosts_path.c_str(), 1), 0);

  auto with_hosts = CreateResolver();
  auto from_file =
      with_hosts->CreateRequest(HostPortPair("fromhosts.test", 80), nak_a_);
  EXPECT_EQ(StartAndWait(from_file.get()), OK);
  EXPECT_EQ(EndpointStrings(*from_file),
            std::vector<std::string>{"10.9.8.7:80"});
  EXPECT_EQ(dnsmasq_.CountQueries("fromhosts.test", "A"), 0);
  // Hosts-file answers carry no TTL: they are read afresh, never cached.
  ResolveHostParameters local_only;
  local_only.local_only = true;
  auto probe =
      with_hosts->CreateRequest(HostPortPair("fromhosts.test", 80), nak_a_,
                                NetLogWithSource(), local_only);
  EXPECT_EQ(StartAndWait(probe.get()), ERR_DNS_CACHE_MISS);

  HostResolver::Options no_hosts;
  no_hosts.use_hosts_file = false;
  auto without_hosts = CreateResolver(no_hosts);
  auto from_dns =
      without_hosts->CreateRequest(HostPortPair("fromhosts.test", 80), nak_a_);
  EXPECT_EQ(StartAndWait(from_dns.get()), OK);
  EXPECT_EQ(EndpointStrings(*from_dns),
            std::vector<std::string>{"10.1.1.1:80"});

  unsetenv("CARES_HOSTS");
  std::filesystem::remove(hosts_path);
}

TEST_F(HostResolverTest, ResolverDestroyedMidLookupCompletesWithShutDown) {
  auto resolver = CreateResolver();
  auto request =
      resolver->CreateRequest(HostPortPair("www.pool.test", 443), nak_a_);
  RunLoop run_loop;
  int result = ERR_IO_PENDING;
  ASSERT_EQ(request->Start([&](int r) {
    result = r;
    run_loop.Quit();
  }),
            ERR_IO_PENDING);
  resolver.reset();
  EXPECT_EQ(result, ERR_IO_PENDING) << "must not run from the destructor";
  ASSERT_TRUE(run_loop.RunWithTimeout(absl::Seconds(10)));
  EXPECT_EQ(result, ERR_CONTEXT_SHUT_DOWN);
  EXPECT_EQ(request->resolve_error_info().error, ERR_CONTEXT_SHUT_DOWN);
}

TEST_F(HostResolverTest, RequestStartedAfterTheResolverDiedFailsCleanly) {
  auto resolver = CreateResolver();
  auto request =
      resolver->CreateRequest(HostPortPair("www.pool.test", 443), nak_a_);
  resolver.reset();
  EXPECT_EQ(request->Start([](int) { ADD_FAILURE(); }), ERR_CONTEXT_SHUT_DOWN);
}

TEST_F(HostResolverTest, LogsRequestCacheAndSharedJobEvents) {
  NetLog net_log;
  RecordingNetLogObserver observer(&net_log);
  auto resolver = CreateResolver();
  const NetLogWithSource first_log =
      NetLogWithSource::Make(&net_log, NetLogSourceType::URL_REQUEST);
  const NetLogWithSource second_log =
      NetLogWithSource::Make(&net_log, NetLogSourceType::URL_REQUEST);
  auto first = resolver->CreateRequest(HostPortPair("www.pool.test", 443),
                                       nak_a_, first_log);
  auto second = resolver->CreateRequest(HostPortPair("www.pool.test", 443),
                                        nak_a_, second_log);
  RunLoop run_loop;
  int completed = 0;
  auto done = [&](int) {
    if (++completed == 2)
      run_loop.Quit();
  };
  ASSERT_EQ(first->Start(done), ERR_IO_PENDING);
  ASSERT_EQ(second->Start(done), ERR_IO_PENDING);
  ASSERT_TRUE(run_loop.RunWithTimeout(absl::Seconds(20)));

  std::vector<NetLogEntry> jobs =
      observer.GetEntriesWithType(NetLogEventType::HOST_RESOLVER_MANAGER_JOB);
  ASSERT_EQ(jobs.size(), 2u);  // BEGIN and END of the one shared job
  EXPECT_EQ(jobs[0].phase, NetLogEventPhase::BEGIN);
  EXPECT_EQ(jobs[0].params.fields().at("host").string_value(), "www.pool.test");
  EXPECT_EQ(jobs[1].phase, NetLogEventPhase::END);
  EXPECT_EQ(jobs[1].source.id, jobs[0].source.id);

  for (const NetLogWithSource* log : {&first_log, &second_log}) {
    std::vector<NetLogEntry> entries =
        observer.GetEntriesForSource(log->source());
    ASSERT_EQ(entries.size(), 4u);
    EXPECT_EQ(entries[0].type, NetLogEventType::HOST_RESOLVER_MANAGER_REQUEST);
    EXPECT_EQ(entries[0].phase, NetLogEventPhase::BEGIN);
    EXPECT_EQ(entries[0].params.fields().at("host").string_value(),
              "www.pool.test:443");
    EXPECT_EQ(entries[1].type, NetLogEventType::HOST_RESOLVER_CACHE_MISS);
    EXPECT_EQ(entries[2].type, NetLogEventType::HOST_RESOLVER_MANAGER_JOB_ATTACH);
    EXPECT_EQ(entries[2]
                  .params.fields()
                  .at("source_dependency")
                  .struct_value()
                  .fields()
                  .at("id")
                  .number_value(),
              jobs[0].source.id);
    EXPECT_EQ(entries[3].type, NetLogEventType::HOST_RESOLVER_MANAGER_REQUEST);
    EXPECT_EQ(entries[3].phase, NetLogEventPhase::END);
    EXPECT_EQ(entries[3]
                  .params.fields()
                  .at("addresses")
                  .list_value()
                  .values(0)
                  .string_value(),
              "127.0.0.1:443");
  }

  observer.Clear();
  auto cached = resolver->CreateRequest(HostPortPair("www.pool.test", 443),
                                        nak_a_, first_log);
  EXPECT_EQ(cached->Start([](int) { ADD_FAILURE(); }), OK);
  EXPECT_EQ(
      observer.GetEntriesWithType(NetLogEventType::HOST_RESOLVER_MANAGER_CACHE_HIT)
          .size(),
      1u);
}

TEST_F(HostResolverTest, LogsRuleApplicationAndCancellation) {
  NetLog net_log;
  RecordingNetLogObserver observer(&net_log);
  HostResolver::Options options;
  std::string error;
  ASSERT_EQ(ConnectToOverrides::Parse("news.example:443:www.pool.test:41234",
                                      &options.connect_to, &error),
            OK);
  auto resolver = CreateResolver(options);
  const NetLogWithSource log =
      NetLogWithSource::Make(&net_log, NetLogSourceType::URL_REQUEST);
  auto request =
      resolver->CreateRequest(HostPortPair("news.example", 443), nak_a_, log);
  ASSERT_EQ(request->Start([](int) { ADD_FAILURE(); }), ERR_IO_PENDING);
  request.reset();

  std::vector<NetLogEntry> rules =
      observer.GetEntriesWithType(NetLogEventType::HOST_RESOLVER_RULE_APPLIED);
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].params.fields().at("from").string_value(),
            "news.example:443");
  EXPECT_EQ(rules[0].params.fields().at("to").string_value(),
            "www.pool.test:41234");
  EXPECT_EQ(observer.GetEntriesWithType(NetLogEventType::CANCELLED).size(), 1u);
  std::vector<NetLogEntry> request_events =
      observer.GetEntriesWithType(NetLogEventType::HOST_RESOLVER_MANAGER_REQUEST);
  ASSERT_EQ(request_events.size(), 2u);
  EXPECT_EQ(request_events[1].phase, NetLogEventPhase::END);
}

// A UDP "DNS server" on 127.0.0.1 that misbehaves in one of several ways,
// served by the test's own EventLoop.
class MisbehavingDnsServer {
 public:
  enum class Behavior {
    kSilent,         // never answers
    kJunk,           // random bytes: not even a DNS header matching the query
    kMalformed,      // header and question echoed, answer section truncated
    kServerFailure,  // RCODE=SERVFAIL
  };

  explicit MisbehavingDnsServer(Behavior behavior) : behavior_(behavior) {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in address = {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)),
              0);
    EXPECT_EQ(getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length),
              0);
    port_ = ntohs(address.sin_port);
    watcher_ = std::make_unique<FdWatcher>(fd_);
    if (behavior_ != Behavior::kSilent)
      Watch();
  }
  ~MisbehavingDnsServer() {
    watcher_.reset();
    close(fd_);
  }

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int queries_seen() const { return queries_seen_; }

 private:
  void Watch() {
    watcher_->WatchReadable([this] {
      OnReadable();
      Watch();
    });
  }

  void OnReadable() {
    unsigned char query[1500];
    sockaddr_in from = {};
    socklen_t from_length = sizeof(from);
    ssize_t length = recvfrom(fd_, query, sizeof(query), 0,
                              reinterpret_cast<sockaddr*>(&from), &from_length);
    if (length < 12)
      return;
    ++queries_seen_;
    std::vector<unsigned char> reply;
    switch (behavior_) {
      case Behavior::kSilent:
        return;
      case Behavior::kJunk:
        for (int i = 0; i < 40; ++i)
          reply.push_back(static_cast<unsigned char>(0xA5 ^ (i * 7)));
        break;
      case Behavior::kMalformed:
      case Behavior::kServerFailure: {
        // Header + the one question (QNAME labels, then QTYPE and QCLASS).
        size_t end = 12;
        while (end < static_cast<size_t>(length) && query[end] != 0)
          end += query[end] + 1;
        end += 1 + 4;
        if (end > static_cast<size_t>(length))
          return;
        reply.assign(query, query + end);
        reply[2] |= 0x80;           // QR: a response
        reply[10] = reply[11] = 0;  // ARCOUNT = 0
        if (behavior_ == Behavior::kServerFailure) {
          reply[3] = (reply[3] & 0xF0) | 2;  // RCODE = SERVFAIL
        } else {
          reply[7] = 1;           // ANCOUNT = 1 ...
          reply.push_back(0xC0);  // ... but the record stops after
          reply.push_back(0x0C);  // its name and two bytes of type
          reply.push_back(0x00);
        }
        break;
      }
    }
    sendto(fd_, reply.data(), reply.size(), 0,
           reinterpret_cast<sockaddr*>(&from), from_length);
  }

  const Behavior behavior_;
  int fd_ = -1;
  uint16_t port_ = 0;
  int queries_seen_ = 0;
  std::unique_ptr<FdWatcher> watcher_;
};

// Failures need c-ares' retransmission timer, which runs on real time.
class HostResolverFailureTest : public testing::Test {
 protected:
  std::unique_ptr<ResolveHostRequest> ResolveVia(
      const MisbehavingDnsServer& server,
      int* result) {
    HostResolver::Options options;
    options.dns_servers = server.address();
    options.attempt_timeout = absl::Milliseconds(200);
    options.attempts = 1;
    options.use_hosts_file = false;
    int error = ERR_FAILED;
    std::string message;
    resolver_ = HostResolver::Create(options, &error, &message);
    EXPECT_EQ(error, OK) << message;
    auto request = resolver_->CreateRequest(
        HostPortPair("www.broken.test", 443), NetworkAnonymizationKey());
    *result = StartAndWait(request.get());
    return request;
  }

  void ExpectNotCached() {
    ResolveHostParameters local_only;
    local_only.local_only = true;
    auto probe = resolver_->CreateRequest(HostPortPair("www.broken.test", 443),
                                          NetworkAnonymizationKey(),
                                          NetLogWithSource(), local_only);
    EXPECT_EQ(probe->Start([](int) { ADD_FAILURE(); }), ERR_DNS_CACHE_MISS);
  }

  EventLoop loop_;
  std::unique_ptr<HostResolver> resolver_;
};

TEST_F(HostResolverFailureTest, ServerThatNeverAnswersTimesOut) {
  MisbehavingDnsServer server(MisbehavingDnsServer::Behavior::kSilent);
  int result = OK;
  auto request = ResolveVia(server, &result);
  EXPECT_EQ(result, ERR_NAME_NOT_RESOLVED);
  EXPECT_EQ(request->resolve_error_info().error, ERR_DNS_TIMED_OUT)
      << request->resolve_error_info().message;
  ExpectNotCached();
}

// c-ares drops a datagram that does not match an outstanding query (id and
// question), so pure junk is indistinguishable from silence: the lookup times
// out.
TEST_F(HostResolverFailureTest, JunkRepliesAreIgnoredAndTheLookupTimesOut) {
  MisbehavingDnsServer server(MisbehavingDnsServer::Behavior::kJunk);
  int result = OK;
  auto request = ResolveVia(server, &result);
  EXPECT_EQ(result, ERR_NAME_NOT_RESOLVED);
  EXPECT_EQ(request->resolve_error_info().error, ERR_DNS_TIMED_OUT)
      << request->resolve_error_info().message;
  EXPECT_GE(server.queries_seen(), 1);
  ExpectNotCached();
}

TEST_F(HostResolverFailureTest, MalformedAnswerIsNameNotResolvedWithDetail) {
  MisbehavingDnsServer server(MisbehavingDnsServer::Behavior::kMalformed);
  int result = OK;
  auto request = ResolveVia(server, &result);
  EXPECT_EQ(result, ERR_NAME_NOT_RESOLVED);
  EXPECT_EQ(request->resolve_error_info().error, ERR_DNS_MALFORMED_RESPONSE)
      << request->resolve_error_info().message;
  ExpectNotCached();
}

TEST_F(HostResolverFailureTest, ServerFailureIsNameNotResolvedWithDetail) {
  MisbehavingDnsServer server(MisbehavingDnsServer::Behavior::kServerFailure);
  int result = OK;
  auto request = ResolveVia(server, &result);
  EXPECT_EQ(result, ERR_NAME_NOT_RESOLVED);
  EXPECT_EQ(request->resolve_error_info().error, ERR_DNS_SERVER_FAILED)
      << request->resolve_error_info().message;
  ExpectNotCached();
}

TEST(HostResolverCreateTest, BadConfigurationIsRejectedWithAMessage) {
  EventLoop loop;
  struct Case {
    HostResolver::Options options;
    const char* message_part;
  };
  std::vector<Case> cases(3);
  cases[0].options.dns_servers = "not an address";
  cases[0].message_part = "invalid DNS server list";
  cases[1].options.attempts = 0;
  cases[1].message_part = "attempts";
  cases[2].options.attempt_timeout = absl::ZeroDuration();
  cases[2].message_part = "timeout";
  for (Case& c : cases) {
    int error = OK;
    std::string message;
    EXPECT_EQ(HostResolver::Create(c.options, &error, &message), nullptr);
    EXPECT_EQ(error, ERR_INVALID_ARGUMENT);
    EXPECT_NE(message.find(c.message_part), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace net
