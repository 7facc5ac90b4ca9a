#ifndef NET_TEST_DNSMASQ_SERVER_H_
#define NET_TEST_DNSMASQ_SERVER_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "net/test/child_process.h"
#include "net/test/scoped_temp_dir.h"

namespace net {

// A real dnsmasq (Debian's /usr/sbin/dnsmasq) as an authoritative-only DNS
// server on 127.0.0.1 (or Options::listen_address) for interop tests. Start()
// writes an explicit config file into a fresh temporary directory (free port,
// --no-resolv, --no-hosts, query log in the directory), runs dnsmasq in the
// foreground and waits until it answers a query. It never forwards: names under
// `local_domains` that it has no record for get NXDOMAIN. The destructor stops
// it (SIGTERM, SIGKILL if it lingers), reaps it and removes the directory.
class DnsmasqServer {
 public:
  static constexpr char kDnsmasqPath[] = "/usr/sbin/dnsmasq";

  struct Options {
    Options();
    Options(const Options&);
    Options& operator=(const Options&);
    ~Options();

    // Domains answered only from the records below (NXDOMAIN otherwise).
    std::vector<std::string> local_domains = {"test"};
    // address=/domain/ip: the domain and every name under it.
    std::vector<std::pair<std::string, std::string>> addresses = {
        {"pool.test", "127.0.0.1"}};
    // host-record=name,ip: exactly that name (repeat a name for several
    // addresses).
    std::vector<std::pair<std::string, std::string>> host_records;
    // TTL of every local answer.
    int ttl_seconds = 300;
    // The IPv4 loopback address it listens on (another one than 127.0.0.1
    // puts it behind its own delay in a LatencyLab).
    std::string listen_address = "127.0.0.1";
  };

  explicit DnsmasqServer(Options options = Options());
  DnsmasqServer(const DnsmasqServer&) = delete;
  DnsmasqServer& operator=(const DnsmasqServer&) = delete;
  ~DnsmasqServer();

  // Returns false and fills `error` (with dnsmasq's own output) if dnsmasq is
  // missing, rejects the config, or does not answer within 10 s.
  bool Start(std::string* error);
  void Stop();

  uint16_t port() const { return port_; }
  // "<listen address>:<port>", the form HostResolver::Options::dns_servers
  // takes.
  std::string server_address() const;
  pid_t pid() const { return process_.pid(); }

  // How many queries of `type` ("A", "AAAA") for `name` dnsmasq has logged.
  int CountQueries(const std::string& name, const std::string& type) const;
  std::string ReadLog() const;

 private:
  bool StartOnce(std::string* error);

  const Options options_;
  ScopedTempDir directory_;
  ChildProcess process_;
  uint16_t port_ = 0;
};

}  // namespace net

#endif  // NET_TEST_DNSMASQ_SERVER_H_
