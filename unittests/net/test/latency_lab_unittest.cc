#include "net/test/latency_lab.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "net/base/host_port_pair.h"
#include "net/base/ip_endpoint.h"
#include "net/base/net_errors.h"
#include "net/dns/connect_to_overrides.h"
#include "net/dns/host_resolver.h"
#include "net/dns/resolve_host_request.h"
#include "net/event/event_loop.h"
#include "net/socket/stream_socket.h"
#include "net/socket/transport_connect_job.h"
#include "net/ssl/ssl_client_session_cache.h"
#include "net/test/dnsmasq_server.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "net/test/test_completion_callback.h"

namespace net {
namespace {

// Long enough that a round trip cannot hide in scheduling noise, and that
// "one round trip, not two" has a whole round trip of slack.
constexpr absl::Duration kRoundTrip = absl::Milliseconds(150);
// For the tests that hold packets until a stop releases them: so long that
// only the stop can have released them within the test's lifetime.
constexpr absl::Duration kForever = absl::Seconds(600);

// A guard against hanging, never a timing expectation.
constexpr int kReceiveTimeoutSeconds = 20;

// This process's lab namespaces.
std::vector<std::string> OurNamespaces() {
  std::vector<std::string> names;
  const std::string prefix = absl::StrCat("prewarm-lab-", getpid(), "-");
  std::error_code ignored;
  for (const auto& entry :
       std::filesystem::directory_iterator("/run/netns", ignored)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0)
      names.push_back(name);
  }
  return names;
}

bool NamespaceExists(const std::string& name) {
  return access(absl::StrCat("/run/netns/", name).c_str(), F_OK) == 0;
}

ino_t ThreadNamespace() {
  struct stat info = {};
  stat("/proc/thread-self/ns/net", &info);
  return info.st_ino;
}

// A socket of `type` bound to `address`:0 (and listening, for TCP); its port
// in *port. -1 on failure.
int BoundSocket(const IPAddress& address, int type, uint16_t* port) {
  int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  std::memcpy(&addr.sin_addr, address.bytes().data(), 4);
  socklen_t length = sizeof(addr);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), length) != 0 ||
      (type == SOCK_STREAM && listen(fd, 16) != 0) ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
    if (fd >= 0)
      close(fd);
    return -1;
  }
  timeval timeout = {kReceiveTimeoutSeconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  *port = ntohs(addr.sin_port);
  return fd;
}

sockaddr_in SocketAddress(const IPAddress& address, uint16_t port) {
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  std::memcpy(&addr.sin_addr, address.bytes().data(), 4);
  return addr;
}

// A blocking TCP connect(); -1 on failure.
int Connect(const IPAddress& address, uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = SocketAddress(address, port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  timeval timeout = {kReceiveTimeoutSeconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  return fd;
}

class CompletionDelegate : public ConnectJob::Delegate {
 public:
  CompletionOnceCallback callback;
  void OnConnectJobComplete(int result, ConnectJob*) override {
    std::move(callback)(result);
  }
};

class LatencyLabTest : public testing::Test {
 protected:
  void SetUp() override {
    if (std::optional<std::string> reason = LatencyLab::UnsupportedReason())
      GTEST_SKIP() << *reason;
    original_namespace_ = ThreadNamespace();
  }

  // A lab whose origins have the given round trips; the test fails (and the
  // lab is null) if this machine supports labs but this one failed.
  std::unique_ptr<LatencyLab> MakeLab(
      const std::vector<absl::Duration>& round_trips,
      size_t max_held_per_queue = 65536) {
    LatencyLab::Options options;
    for (size_t i = 0; i < round_trips.size(); ++i)
      options.origins.push_back({LatencyLab::OriginAddress(i), round_trips[i]});
    options.max_held_per_queue = max_held_per_queue;
    std::string error;
    std::unique_ptr<LatencyLab> lab = LatencyLab::Create(options, &error);
    EXPECT_TRUE(lab) << error;
    return lab;
  }

  // Waits until the delayer counted `packets` queued packets.
  void WaitForQueuedPackets(LatencyLab* lab, int64_t packets) {
    const absl::Time deadline =
        absl::Now() + absl::Seconds(kReceiveTimeoutSeconds);
    std::string error;
    std::optional<NfqueueDelayerStats> stats;
    do {
      stats = lab->DelayerStats(&error);
      ASSERT_TRUE(stats) << error;
    } while (stats->packets < packets && absl::Now() < deadline);
    ASSERT_EQ(packets, stats->packets);
  }

  EventLoop loop_;
  ino_t original_namespace_ = 0;
};

TEST_F(LatencyLabTest, TcpConnectCostsOneRoundTrip) {
  std::unique_ptr<LatencyLab> lab = MakeLab({kRoundTrip});
  ASSERT_TRUE(lab);
  uint16_t port = 0;
  int listener = BoundSocket(LatencyLab::OriginAddress(0), SOCK_STREAM, &port);
  ASSERT_GE(listener, 0);
  const absl::Time start = absl::Now();
  int client = Connect(LatencyLab::OriginAddress(0), port);
  const absl::Duration took = absl::Now() - start;
  ASSERT_GE(client, 0);
  // SYN and SYN-ACK each waited one way: a round trip, and not a second one.
  EXPECT_GE(took, kRoundTrip);
  EXPECT_LT(took, 2 * kRoundTrip);
  close(client);
  close(listener);
}

TEST_F(LatencyLabTest, EchoCostsTwoOneWayDelays) {
  std::unique_ptr<LatencyLab> lab = MakeLab({kRoundTrip});
  ASSERT_TRUE(lab);
  uint16_t port = 0;
  int listener = BoundSocket(LatencyLab::OriginAddress(0), SOCK_STREAM, &port);
  ASSERT_GE(listener, 0);
  int client = Connect(LatencyLab::OriginAddress(0), port);
  ASSERT_GE(client, 0);
  int server = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  ASSERT_GE(server, 0);
  char byte = 'x';
  const absl::Time start = absl::Now();
  ASSERT_EQ(1, send(client, &byte, 1, MSG_NOSIGNAL));
  ASSERT_EQ(1, recv(server, &byte, 1, 0));
  const absl::Duration there = absl::Now() - start;
  ASSERT_EQ(1, send(server, &byte, 1, MSG_NOSIGNAL));
  ASSERT_EQ(1, recv(client, &byte, 1, 0));
  const absl::Duration round_trip = absl::Now() - start;
  EXPECT_GE(there, kRoundTrip / 2);
  EXPECT_GE(round_trip, kRoundTrip);
  EXPECT_LT(round_trip, 2 * kRoundTrip);
  close(server);
  close(client);
  close(listener);
}

TEST_F(LatencyLabTest, Tls13HandshakeCostsTwoRoundTripsFromConnectStart) {
  std::unique_ptr<LatencyLab> lab = MakeLab({kRoundTrip});
  ASSERT_TRUE(lab);
  test_server::EmbeddedTestServer server(
      test_server::EmbeddedTestServer::Type::kHttps);
  ASSERT_EQ(OK, server.Start(LatencyLab::OriginAddress(0)));
  HostResolver::Options resolver_options;
  std::string message;
  ASSERT_EQ(OK, ConnectToOverrides::Parse(
                    absl::StrCat(
                        "a.test:443:", LatencyLab::OriginAddress(0).ToString(),
                        ":", server.port()),
                    &resolver_options.connect_to, &message))
      << message;
  int rv = OK;
  std::unique_ptr<HostResolver> resolver =
      HostResolver::Create(std::move(resolver_options), &rv, &message);
  ASSERT_TRUE(resolver) << message;
  SslClientSessionCache session_cache(loop_.clock());
  SslConfig ssl_config;
  ssl_config.trusted_root_certificates_pem = server.root_certificate_pem();
  ConnectJobParams params;
  params.scheme = "https";
  params.destination = HostPortPair("a.test", 443);
  CompletionDelegate delegate;
  TestCompletionCallback connected;
  delegate.callback = connected.callback();
  TransportConnectJob job(params, resolver.get(), &session_cache, ssl_config,
                          {}, nullptr, &delegate);
  const absl::Time start = absl::Now();
  ASSERT_EQ(OK, connected.GetResult(job.Connect())) << job.error_message();
  const absl::Duration took = absl::Now() - start;
  // TCP (SYN, SYN-ACK), then TLS 1.3 (ClientHello, the server's flight).
  EXPECT_GE(took, 2 * kRoundTrip);
  EXPECT_LT(took, 3 * kRoundTrip);
  // The server completes its side only when the client's Finished arrives,
  // one way later; all the client's handshake cost is counted above.
  EXPECT_TRUE(job.PassSocket());
}

// A DNS server is an origin like any other: dnsmasq on a lab address answers
// one round trip later (UDP, so no handshake).
TEST_F(LatencyLabTest, ADnsLookupToAFarResolverCostsOneRoundTrip) {
  std::unique_ptr<LatencyLab> lab = MakeLab({kRoundTrip});
  ASSERT_TRUE(lab);
  DnsmasqServer::Options dns_options;
  dns_options.listen_address = LatencyLab::OriginAddress(0).ToString();
  dns_options.addresses = {{"far.test", "127.0.0.1"}};
  DnsmasqServer dns(dns_options);
  std::string error;
  ASSERT_TRUE(dns.Start(&error)) << error;
  HostResolver::Options options;
  options.dns_servers = dns.server_address();
  options.use_hosts_file = false;
  int rv = OK;
  std::unique_ptr<HostResolver> resolver =
      HostResolver::Create(std::move(options), &rv, &error);
  ASSERT_TRUE(resolver) << error;
  std::unique_ptr<ResolveHostRequest> request = resolver->CreateRequest(
      HostPortPair("far.test", 443), NetworkAnonymizationKey());
  const absl::Time start = absl::Now();
  TestCompletionCallback resolved;
  ASSERT_EQ(OK, resolved.GetResult(request->Start(resolved.callback())))
      << request->resolve_error_info().message;
  const absl::Duration took = absl::Now() - start;
  EXPECT_GE(took, kRoundTrip);
  EXPECT_LT(took, 2 * kRoundTrip);
  ASSERT_FALSE(request->addresses().empty());
  EXPECT_EQ("127.0.0.1:443", request->addresses()[0].ToString());
}

TEST_F(LatencyLabTest, EachOriginHasItsOwnRoundTrip) {
  const absl::Duration near = absl::Milliseconds(40);
  const absl::Duration far = absl::Milliseconds(300);
  std::unique_ptr<LatencyLab> lab = MakeLab({near, far});
  ASSERT_TRUE(lab);
  std::vector<absl::Duration> took;
  for (size_t i = 0; i < 2; ++i) {
    uint16_t port = 0;
    int listener =
        BoundSocket(LatencyLab::OriginAddress(i), SOCK_STREAM, &port);
    ASSERT_GE(listener, 0);
    const absl::Time start = absl::Now();
    int client = Connect(LatencyLab::OriginAddress(i), port);
    took.push_back(absl::Now() - start);
    ASSERT_GE(client, 0);
    close(client);
    close(listener);
  }
  EXPECT_GE(took[0], near);
  EXPECT_LT(took[0], far);
  EXPECT_GE(took[1], far);
  // 127.0.0.1 is nobody's origin: its traffic is not delayed at all, so the
  // counters only moved for the two connects (3 packets each way or so).
  std::string error;
  std::optional<NfqueueDelayerStats> stats = lab->DelayerStats(&error);
  ASSERT_TRUE(stats) << error;
  EXPECT_GE(stats->packets, 6);
  EXPECT_EQ(0, stats->dropped);
}

TEST_F(LatencyLabTest, PacketsOfAQueueKeepTheirOrder) {
  std::unique_ptr<LatencyLab> lab = MakeLab({absl::Milliseconds(20)});
  ASSERT_TRUE(lab);
  uint16_t port = 0;
  int receiver = BoundSocket(LatencyLab::OriginAddress(0), SOCK_DGRAM, &port);
  ASSERT_GE(receiver, 0);
  int buffer = 4 * 1024 * 1024;
  setsockopt(receiver, SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof(buffer));
  int sender = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(sender, 0);
  const sockaddr_in to = SocketAddress(LatencyLab::OriginAddress(0), port);
  constexpr int kDatagrams = 2000;
  for (int i = 0; i < kDatagrams; ++i) {
    ASSERT_EQ(static_cast<ssize_t>(sizeof(i)),
              sendto(sender, &i, sizeof(i), 0,
                     reinterpret_cast<const sockaddr*>(&to), sizeof(to)));
  }
  for (int i = 0; i < kDatagrams; ++i) {
    int received = -1;
    ASSERT_EQ(static_cast<ssize_t>(sizeof(received)),
              recv(receiver, &received, sizeof(received), 0))
        << "datagram " << i << " never arrived";
    ASSERT_EQ(i, received);
  }
  std::string error;
  std::optional<NfqueueDelayerStats> stats = lab->DelayerStats(&error);
  ASSERT_TRUE(stats) << error;
  EXPECT_EQ(kDatagrams, stats->packets);
  EXPECT_EQ(0, stats->dropped);
  close(sender);
  close(receiver);
}

TEST_F(LatencyLabTest, StopReleasesEveryHeldPacket) {
  std::unique_ptr<LatencyLab> lab = MakeLab({2 * kForever});
  ASSERT_TRUE(lab);
  uint16_t port = 0;
  int receiver = BoundSocket(LatencyLab::OriginAddress(0), SOCK_DGRAM, &port);
  ASSERT_GE(receiver, 0);
  int sender = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  const sockaddr_in to = SocketAddress(LatencyLab::OriginAddress(0), port);
  constexpr int kDatagrams = 10;
  for (int i = 0; i < kDatagrams; ++i) {
    ASSERT_EQ(static_cast<ssize_t>(sizeof(i)),
              sendto(sender, &i, sizeof(i), 0,
                     reinterpret_cast<const sockaddr*>(&to), sizeof(to)));
  }
  ASSERT_NO_FATAL_FAILURE(WaitForQueuedPackets(lab.get(), kDatagrams));
  // Held: nothing has arrived, and nothing would for ten minutes.
  int received = -1;
  EXPECT_EQ(-1, recv(receiver, &received, sizeof(received), MSG_DONTWAIT));

  std::string error;
  std::optional<NfqueueDelayerStats> stats = lab->Stop(&error);
  ASSERT_TRUE(stats) << error;
  EXPECT_EQ(kDatagrams, stats->released_at_shutdown);
  EXPECT_EQ(0, stats->dropped);
  for (int i = 0; i < kDatagrams; ++i) {
    ASSERT_EQ(static_cast<ssize_t>(sizeof(received)),
              recv(receiver, &received, sizeof(received), 0));
    EXPECT_EQ(i, received);
  }
  close(sender);
  close(receiver);
}

TEST_F(LatencyLabTest, AFullQueueDropsWhatItCannotHold) {
  std::unique_ptr<LatencyLab> lab =
      MakeLab({2 * kForever}, /*max_held_per_queue=*/4);
  ASSERT_TRUE(lab);
  uint16_t port = 0;
  int receiver = BoundSocket(LatencyLab::OriginAddress(0), SOCK_DGRAM, &port);
  ASSERT_GE(receiver, 0);
  int sender = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  const sockaddr_in to = SocketAddress(LatencyLab::OriginAddress(0), port);
  for (int i = 0; i < 10; ++i) {
    sendto(sender, &i, sizeof(i), 0, reinterpret_cast<const sockaddr*>(&to),
           sizeof(to));
  }
  ASSERT_NO_FATAL_FAILURE(WaitForQueuedPackets(lab.get(), 10));
  std::string error;
  std::optional<NfqueueDelayerStats> stats = lab->Stop(&error);
  ASSERT_TRUE(stats) << error;
  EXPECT_EQ(6, stats->dropped);
  EXPECT_EQ(4, stats->released_at_shutdown);
  EXPECT_EQ(4, stats->max_held);
  // The first four were held and released; the rest were tail-dropped.
  for (int i = 0; i < 4; ++i) {
    int received = -1;
    ASSERT_EQ(static_cast<ssize_t>(sizeof(received)),
              recv(receiver, &received, sizeof(received), 0));
    EXPECT_EQ(i, received);
  }
  int extra = -1;
  EXPECT_EQ(-1, recv(receiver, &extra, sizeof(extra), MSG_DONTWAIT));
  close(sender);
  close(receiver);
}

TEST_F(LatencyLabTest, DestructionRemovesTheNamespaceAndLeavesIt) {
  std::unique_ptr<LatencyLab> lab = MakeLab({kRoundTrip});
  ASSERT_TRUE(lab);
  const std::string name = lab->namespace_name();
  EXPECT_TRUE(NamespaceExists(name));
  EXPECT_NE(original_namespace_, ThreadNamespace());
  lab.reset();
  EXPECT_FALSE(NamespaceExists(name));
  EXPECT_EQ(original_namespace_, ThreadNamespace());
}

// The name of the lab FailInsideALab() made, for the test below.
std::string failed_lab_name;

void FailInsideALab() {
  LatencyLab::Options options;
  options.origins.push_back({LatencyLab::OriginAddress(0), kRoundTrip});
  std::string error;
  std::unique_ptr<LatencyLab> lab = LatencyLab::Create(options, &error);
  ASSERT_TRUE(lab) << error;
  failed_lab_name = lab->namespace_name();
  ASSERT_TRUE(NamespaceExists(failed_lab_name));
  FAIL() << "a test failing inside its lab";
}

TEST_F(LatencyLabTest, AFailingTestStillRemovesItsLab) {
  EXPECT_FATAL_FAILURE(FailInsideALab(), "a test failing inside its lab");
  ASSERT_FALSE(failed_lab_name.empty());
  EXPECT_FALSE(NamespaceExists(failed_lab_name));
  EXPECT_EQ(original_namespace_, ThreadNamespace());
}

TEST_F(LatencyLabTest, ACreateThatFailsLeavesNothingBehind) {
  LatencyLab::Options options;
  options.origins.push_back({LatencyLab::OriginAddress(0), kRoundTrip});
  options.delayer_binary = "/nonexistent/nfqueue_delayer";
  std::string error;
  EXPECT_FALSE(LatencyLab::Create(options, &error));
  EXPECT_NE(std::string::npos, error.find("/nonexistent/nfqueue_delayer"))
      << error;
  EXPECT_EQ(original_namespace_, ThreadNamespace());
  EXPECT_TRUE(OurNamespaces().empty());
}

TEST_F(LatencyLabTest, RejectsOriginsOutsideLoopback) {
  for (const IPAddress& address :
       {IPAddress::IPv4Localhost(), IPAddress(10, 0, 0, 1),
        IPAddress::IPv6Localhost()}) {
    LatencyLab::Options options;
    options.origins.push_back({address, kRoundTrip});
    std::string error;
    EXPECT_FALSE(LatencyLab::Create(options, &error)) << address.ToString();
    EXPECT_NE(std::string::npos, error.find(address.ToString())) << error;
  }
}

TEST_F(LatencyLabTest, RemovesNamespacesLeftByADeadProcess) {
  // A pid that certainly ended: a child we reaped.
  pid_t child = fork();
  if (child == 0)
    _exit(0);
  ASSERT_GT(child, 0);
  ASSERT_EQ(child, waitpid(child, nullptr, 0));
  const std::string name = absl::StrCat("prewarm-lab-", child, "-0");
  ASSERT_EQ(
      0, system(absl::StrCat("PATH=$PATH:/usr/sbin:/sbin ip netns add ", name)
                    .c_str()));
  ASSERT_TRUE(NamespaceExists(name));
  EXPECT_GE(LatencyLab::RemoveLeftovers(), 1);
  EXPECT_FALSE(NamespaceExists(name));
}

}  // namespace
}  // namespace net
