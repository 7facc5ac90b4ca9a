#ifndef NET_TEST_NGINX_SERVER_H_
#define NET_TEST_NGINX_SERVER_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "net/test/child_process.h"
#include "net/test/scoped_temp_dir.h"

namespace net {

class TestCertificateAuthority;

// A real nginx (Debian's /usr/sbin/nginx) for interop tests and benchmarks.
// Start() writes an explicit configuration into a fresh temporary directory -
// pid file, logs, temp paths and document root all inside it, nothing under
// /etc or /var - and runs nginx in the foreground as a single process ("daemon
// off; master_process off;") listening on free loopback ports. It waits until
// the ports accept connections. The destructor stops nginx (SIGTERM, then
// SIGKILL if it lingers), reaps it and removes the directory.
//
// The HTTPS listener uses a leaf certificate for 127.0.0.1 and
// `certificate_names` issued by the caller's TestCertificateAuthority (not
// owned; only used in Start()). TLS 1.2 and 1.3 only. "/" returns `fixed_body`
// with 200; "/static/<name>" serves the `static_files`. The access log records,
// per request, nginx's connection serial number and the request's index on that
// connection, so tests can count the connections the server saw and whether TLS
// sessions were resumed.
class NginxServer {
 public:
  static constexpr char kNginxPath[] = "/usr/sbin/nginx";

  struct Options {
    Options();
    Options(const Options&);
    Options& operator=(const Options&);
    ~Options();

    bool enable_https = true;
    bool enable_http = false;
    // The HTTPS listener speaks HTTP/2 too (ALPN h2; nginx 1.22 spells it
    // "listen ... ssl http2", the standalone "http2 on" came in 1.25.1).
    bool http2 = false;
    // Subject alternative names of the server certificate, besides 127.0.0.1.
    std::vector<std::string> certificate_names = {"localhost"};
    absl::Duration keepalive_timeout = absl::Seconds(75);
    int keepalive_requests = 1000;
    int worker_connections = 1024;
    // Printable ASCII and newlines only; no '"', '\' or '$' (nginx config
    // syntax).
    std::string fixed_body = "hello from nginx\n";
    // (file name, contents) served under /static/.
    std::vector<std::pair<std::string, std::string>> static_files;
  };

  // One access-log line.
  struct AccessLogEntry {
    uint64_t connection = 0;           // nginx's $connection
    uint64_t connection_requests = 0;  // $connection_requests (1 = first)
    int status = 0;
    std::string request_line;  // "GET / HTTP/1.1"
    std::string ssl_protocol;  // "TLSv1.3", "" for plain HTTP
    bool ssl_session_reused = false;
  };

  NginxServer(Options options, const TestCertificateAuthority* authority);
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;
  ~NginxServer();

  // Returns false and fills `error` (with nginx's error log, if it got that
  // far) when the options are invalid, nginx is missing, or it does not start
  // within 10 s.
  bool Start(std::string* error);
  void Stop();

  uint16_t https_port() const { return https_port_; }
  uint16_t http_port() const { return http_port_; }
  const std::string& directory() const { return directory_.path(); }
  pid_t pid() const { return process_.pid(); }

  // Parses the access log written so far. nginx writes each line when a request
  // ends, which can be just after the client has read the response.
  std::vector<AccessLogEntry> ReadAccessLog() const;
  // ReadAccessLog() once it has at least `count` lines, or after 10 s with what
  // is there (so a test that expects too many fails instead of hanging).
  std::vector<AccessLogEntry> WaitForAccessLog(size_t count) const;
  std::string ReadErrorLog() const;

 private:
  bool WriteFiles(std::string* error);
  bool StartOnce(std::string* error);

  const Options options_;
  const TestCertificateAuthority* const authority_;
  ScopedTempDir directory_;
  ChildProcess process_;
  uint16_t https_port_ = 0;
  uint16_t http_port_ = 0;
};

}  // namespace net

#endif  // NET_TEST_NGINX_SERVER_H_
