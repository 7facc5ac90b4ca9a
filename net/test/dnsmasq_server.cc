#include "net/test/dnsmasq_server.h"

#include <ares.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"

namespace net {

namespace {

constexpr int kStartAttempts = 5;
constexpr absl::Duration kStartTimeout = absl::Seconds(10);

sockaddr_in SocketAddress(const std::string& ip, uint16_t port) {
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  if (inet_pton(AF_INET, ip.c_str(), &address.sin_addr) != 1)
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// A port free for both UDP and TCP on `ip` (dnsmasq listens on both). The
// kernel may hand it to someone else before dnsmasq binds it: Start() retries.
uint16_t PickFreeLoopbackPort(const std::string& ip) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    int udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in address = SocketAddress(ip, 0);
    socklen_t length = sizeof(address);
    if (udp < 0 ||
        bind(udp, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
            0 ||
        getsockname(udp, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      if (udp >= 0)
        close(udp);
      continue;
    }
    int tcp = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool tcp_free = tcp >= 0 && bind(tcp, reinterpret_cast<sockaddr*>(&address),
                                     sizeof(address)) == 0;
    if (tcp >= 0)
      close(tcp);
    close(udp);
    if (tcp_free)
      return ntohs(address.sin_port);
  }
  return 0;
}

// True if something on ip:port answers a DNS query within `wait`. The query
// is built by c-ares, so what we send is a well-formed DNS message.
bool AnswersDnsQuery(const std::string& ip,
                     uint16_t port,
                     absl::Duration wait) {
  unsigned char* query = nullptr;
  int query_length = 0;
  if (ares_create_query("ready.invalid", 1 /* C_IN */, 1 /* T_A */, 0x1234, 1,
                        &query, &query_length, 0) != ARES_SUCCESS) {
    return false;
  }
  // Connected, so that a port nobody listens on yet fails at once (ICMP
  // port unreachable) instead of waiting out `wait`.
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = SocketAddress(ip, port);
  bool answered = false;
  if (fd >= 0 &&
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) ==
          0 &&
      send(fd, query, static_cast<size_t>(query_length), 0) == query_length) {
    pollfd poll_fd = {fd, POLLIN, 0};
    if (poll(&poll_fd, 1, static_cast<int>(absl::ToInt64Milliseconds(wait))) ==
        1) {
      unsigned char reply[512];
      answered = recv(fd, reply, sizeof(reply), 0) > 0;
    }
  }
  if (fd >= 0)
    close(fd);
  ares_free_string(query);
  return answered;
}

}  // namespace

DnsmasqServer::Options::Options() = default;
DnsmasqServer::Options::Options(const Options&) = default;
DnsmasqServer::Options& DnsmasqServer::Options::operator=(const Options&) =
    default;
DnsmasqServer::Options::~Options() = default;

DnsmasqServer::DnsmasqServer(Options options) : options_(std::move(options)) {}

DnsmasqServer::~DnsmasqServer() {
  Stop();
}

std::string DnsmasqServer::server_address() const {
  return absl::StrCat(options_.listen_address, ":", port_);
}

bool DnsmasqServer::Start(std::string* error) {
  if (process_.is_running()) {
    *error = "dnsmasq is already running";
    return false;
  }
  if (access(kDnsmasqPath, X_OK) != 0) {
    *error = absl::StrCat(kDnsmasqPath, " is not installed");
    return false;
  }
  // Config lines are "key=value": a newline in a value would inject options.
  auto has_newline = [](const std::string& text) {
    return text.find_first_of("\r\n") != std::string::npos;
  };
  for (const std::string& domain : options_.local_domains) {
    if (has_newline(domain)) {
      *error = "a local domain contains a newline";
      return false;
    }
  }
  for (const auto& records : {options_.addresses, options_.host_records}) {
    for (const auto& [name, ip] : records) {
      if (has_newline(name) || has_newline(ip)) {
        *error = "a record contains a newline";
        return false;
      }
    }
  }
  if (!directory_.Create("prewarm-dnsmasq-", error))
    return false;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    if (StartOnce(error))
      return true;
    // Only a lost race for the port is worth another try.
    if (!absl::StrContains(*error, "Address already in use"))
      break;
  }
  Stop();
  return false;
}

bool DnsmasqServer::StartOnce(std::string* error) {
  port_ = PickFreeLoopbackPort(options_.listen_address);
  if (!port_) {
    *error = "no free loopback port";
    return false;
  }
  const std::string config_path = directory_.Append("dnsmasq.conf");
  const std::string log_path = directory_.Append("dnsmasq.log");
  std::string config =
      absl::StrCat("port=", port_,
                   "\n"
                   "listen-address=",
                   options_.listen_address,
                   "\n"
                   "bind-interfaces\n"
                   "no-resolv\n"
                   "no-hosts\n"
                   "no-poll\n"
                   "user=root\n"
                   "pid-file=",
                   directory_.Append("dnsmasq.pid"), "\n", "log-queries\n",
                   "log-facility=", log_path, "\n",
                   "local-ttl=", options_.ttl_seconds, "\n");
  for (const std::string& domain : options_.local_domains)
    absl::StrAppend(&config, "local=/", domain, "/\n");
  for (const auto& [domain, ip] : options_.addresses)
    absl::StrAppend(&config, "address=/", domain, "/", ip, "\n");
  for (const auto& [name, ip] : options_.host_records)
    absl::StrAppend(&config, "host-record=", name, ",", ip, "\n");
  if (!directory_.WriteFile("dnsmasq.conf", config, error))
    return false;
  std::remove(log_path.c_str());

  if (!process_.Start(kDnsmasqPath,
                      {"dnsmasq", "--keep-in-foreground", "-C", config_path},
                      directory_.Append("stderr.log"), error)) {
    return false;
  }
  int status = 0;
  // The probe waits for an answer itself: no extra sleep between probes.
  switch (process_.WaitUntilReady(
      [this] {
        // Long enough for an answer from behind a LatencyLab's delay.
        return AnswersDnsQuery(options_.listen_address, port_,
                               absl::Seconds(2));
      },
      // A refused probe returns at once: a pause between probes.
      kStartTimeout, absl::Milliseconds(5), &status)) {
    case ChildProcess::WaitResult::kReady:
      return true;
    case ChildProcess::WaitResult::kExited:
      *error = absl::StrCat("dnsmasq exited during start-up (status ", status,
                            "): ", directory_.ReadFile("stderr.log"));
      return false;
    case ChildProcess::WaitResult::kTimedOut:
      *error = absl::StrCat("dnsmasq did not answer within ",
                            absl::FormatDuration(kStartTimeout), ": ",
                            directory_.ReadFile("stderr.log"));
      return false;
  }
  return false;
}

void DnsmasqServer::Stop() {
  process_.Stop();
  directory_.Delete();
}

std::string DnsmasqServer::ReadLog() const {
  return directory_.ReadFile("dnsmasq.log");
}

int DnsmasqServer::CountQueries(const std::string& name,
                                const std::string& type) const {
  // dnsmasq logs "query[A] pool.test from 127.0.0.1" per query received.
  const std::string needle = absl::StrCat("query[", type, "] ", name, " from ");
  int count = 0;
  for (absl::string_view line : absl::StrSplit(ReadLog(), '\n')) {
    if (absl::StrContains(line, needle))
      ++count;
  }
  return count;
}

}  // namespace net
