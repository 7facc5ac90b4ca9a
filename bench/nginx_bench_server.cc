// Starts one nginx for a whole `./prewarm bench` run, so the prewarm and
// libcurl benchmarks hit the same server with the same configuration. Prints
// one JSON line
// {"nginx_url": ..., "ca_file": ..., "pid": ...} and keeps nginx running until
// its stdin closes (tools/run_benchmarks.py closes it when every benchmark is
// done).

#include <cstdio>
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "net/test/nginx_server.h"
#include "net/test/test_certificate_authority.h"

int main() {
  net::TestCertificateAuthority authority("prewarm benchmark root");
  net::NginxServer::Options options;
  // h2 in ALPN for the multiplexing benchmarks; the keep-alive ones offer
  // only http/1.1.
  options.http2 = true;
  // Long enough that no benchmark loses its connection to a server-side limit.
  options.keepalive_timeout = absl::Seconds(300);
  options.keepalive_requests = 100000000;
  // The idle-socket memory benchmark holds 1,000 connections at once.
  options.worker_connections = 4096;
  net::NginxServer nginx(options, &authority);
  std::string error;
  if (!nginx.Start(&error)) {
    std::fprintf(stderr, "nginx did not start: %s\n", error.c_str());
    return 1;
  }
  std::string ca_file = nginx.directory() + "/ca.pem";
  if (!authority.WriteRootCertificatePem(ca_file, &error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  std::printf("%s\n", absl::StrCat("{\"nginx_url\": \"https://127.0.0.1:",
                                   nginx.https_port(), "/\", \"ca_file\": \"",
                                   ca_file, "\", \"pid\": ", nginx.pid(), "}")
                          .c_str());
  std::fflush(stdout);
  // Wait for the runner to close stdin.
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  nginx.Stop();
  return 0;
}
