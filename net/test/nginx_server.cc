#include "net/test/nginx_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "net/test/test_certificate_authority.h"

namespace net {

namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(10);
constexpr int kStartAttempts = 3;

// A port the kernel just handed out on 127.0.0.1. Another process could take it
// before nginx binds; StartOnce's caller retries when that happens.
uint16_t PickFreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return 0;
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  uint16_t port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

bool AcceptsConnections(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return false;
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  bool ok =
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return ok;
}

// nginx quoted-string syntax for `text`, or false if `text` cannot be expressed
// safely (a '$' would be read as a variable).
bool QuoteForNginx(const std::string& text, std::string* quoted) {
  quoted->assign("\"");
  for (char c : text) {
    if (c == '\n') {
      quoted->append("\\n");
    } else if (c == '"' || c == '\\' || c == '$' || c < 0x20 || c > 0x7e) {
      return false;
    } else {
      quoted->push_back(c);
    }
  }
  quoted->push_back('"');
  return true;
}

bool IsPlainFileName(const std::string& name) {
  if (name.empty() || name == "." || name == "..")
    return false;
  for (char c : name) {
    if (!(isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
          c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace

NginxServer::Options::Options() = default;
NginxServer::Options::Options(const Options&) = default;
NginxServer::Options& NginxServer::Options::operator=(const Options&) = default;
NginxServer::Options::~Options() = default;

NginxServer::NginxServer(Options options,
                         const TestCertificateAuthority* authority)
    : options_(std::move(options)), authority_(authority) {}

NginxServer::~NginxServer() {
  Stop();
}

bool NginxServer::Start(std::string* error) {
  if (process_.is_running()) {
    *error = "nginx is already running";
    return false;
  }
  if (!options_.enable_https && !options_.enable_http) {
    *error = "neither the HTTPS nor the HTTP listener is enabled";
    return false;
  }
  if (options_.enable_https && !authority_) {
    *error = "HTTPS needs a TestCertificateAuthority";
    return false;
  }
  if (access(kNginxPath, X_OK) != 0) {
    *error = absl::StrCat(kNginxPath, " is not installed");
    return false;
  }
  if (!directory_.Create("prewarm-nginx-", error))
    return false;
  for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
    if (!WriteFiles(error))
      break;
    if (StartOnce(error))
      return true;
    // Only a lost race for a port is worth another try.
    if (ReadErrorLog().find("Address already in use") == std::string::npos)
      break;
  }
  Stop();
  return false;
}

bool NginxServer::WriteFiles(std::string* error) {
  std::string body;
  if (!QuoteForNginx(options_.fixed_body, &body)) {
    *error =
        "fixed_body must be printable ASCII or newlines, without '\"', '\\' "
        "or '$'";
    return false;
  }
  std::error_code ec;
  std::filesystem::create_directories(directory_.Append("www/static"), ec);
  if (ec) {
    *error = absl::StrCat("cannot create the document root: ", ec.message());
    return false;
  }
  for (const auto& [name, contents] : options_.static_files) {
    if (!IsPlainFileName(name)) {
      *error = absl::StrCat("static file name '", name,
                            "' must be a plain file name");
      return false;
    }
    if (!directory_.WriteFile("www/static/" + name, contents, error))
      return false;
  }

  https_port_ = options_.enable_https ? PickFreeLoopbackPort() : 0;
  http_port_ = options_.enable_http ? PickFreeLoopbackPort() : 0;
  if ((options_.enable_https && !https_port_) ||
      (options_.enable_http && !http_port_)) {
    *error = "no free loopback port";
    return false;
  }

  const std::string& dir = directory_.path();
  std::string listeners;
  if (options_.enable_https) {
    std::vector<std::string> names = {"127.0.0.1"};
    names.insert(names.end(), options_.certificate_names.begin(),
                 options_.certificate_names.end());
    TestCertificateAuthority::Leaf leaf = authority_->IssueLeaf(names);
    if (!TestCertificateAuthority::WriteLeafPems(leaf, dir + "/server.pem",
                                                 dir + "/server.key", error)) {
      return false;
    }
    absl::StrAppend(&listeners, "    listen 127.0.0.1:", https_port_,
                    options_.http2 ? " ssl http2;\n" : " ssl;\n",
                    "    ssl_certificate ", dir, "/server.pem;\n",
                    "    ssl_certificate_key ", dir, "/server.key;\n",
                    "    ssl_protocols TLSv1.2 TLSv1.3;\n");
  }
  if (options_.enable_http)
    absl::StrAppend(&listeners, "    listen 127.0.0.1:", http_port_, ";\n");

  std::string config = absl::StrCat(
      "daemon off;\n"
      "master_process off;\n",
      geteuid() == 0 ? "user root;\n" : "", "pid ", dir,
      "/nginx.pid;\n"
      "error_log ",
      dir,
      "/error.log notice;\n"
      "worker_rlimit_nofile ",
      options_.worker_connections * 2 + 64,
      ";\n"
      "events {\n"
      "  worker_connections ",
      options_.worker_connections,
      ";\n"
      "}\n"
      "http {\n"
      "  log_format prewarm '$connection $connection_requests $status "
      "$ssl_session_reused \"$ssl_protocol\" \"$request\"';\n"
      "  access_log ",
      dir,
      "/access.log prewarm;\n"
      "  client_body_temp_path ",
      dir,
      "/client_body;\n"
      "  proxy_temp_path ",
      dir,
      "/proxy;\n"
      "  fastcgi_temp_path ",
      dir,
      "/fastcgi;\n"
      "  uwsgi_temp_path ",
      dir,
      "/uwsgi;\n"
      "  scgi_temp_path ",
      dir,
      "/scgi;\n"
      "  keepalive_timeout ",
      absl::ToInt64Milliseconds(options_.keepalive_timeout),
      "ms;\n"
      "  keepalive_requests ",
      options_.keepalive_requests,
      ";\n"
      "  default_type text/plain;\n"
      "  server {\n",
      listeners, "    root ", dir,
      "/www;\n"
      "    location = / {\n"
      "      return 200 ",
      body,
      ";\n"
      "    }\n"
      "    location /static/ {\n"
      "    }\n"
      "  }\n"
      "}\n");
  return directory_.WriteFile("nginx.conf", config, error);
}

bool NginxServer::StartOnce(std::string* error) {
  const std::string error_log_path = directory_.Append("error.log");
  std::remove(error_log_path.c_str());
  if (!process_.Start(kNginxPath,
                      {"nginx", "-p", directory_.path(), "-c",
                       directory_.Append("nginx.conf"), "-e", error_log_path},
                      directory_.Append("stderr.log"), error)) {
    return false;
  }
  int status = 0;
  switch (process_.WaitUntilReady(
      [this] {
        return (!https_port_ || AcceptsConnections(https_port_)) &&
               (!http_port_ || AcceptsConnections(http_port_));
      },
      kStartTimeout, absl::Milliseconds(10), &status)) {
    case ChildProcess::WaitResult::kReady:
      return true;
    case ChildProcess::WaitResult::kExited:
      *error = absl::StrCat("nginx exited during start-up (status ", status,
                            "): ", ReadErrorLog(),
                            directory_.ReadFile("stderr.log"));
      return false;
    case ChildProcess::WaitResult::kTimedOut:
      *error = absl::StrCat("nginx did not accept connections within ",
                            absl::FormatDuration(kStartTimeout), ": ",
                            ReadErrorLog());
      return false;
  }
  return false;
}

void NginxServer::Stop() {
  process_.Stop();
  directory_.Delete();
}

std::vector<NginxServer::AccessLogEntry> NginxServer::ReadAccessLog() const {
  std::vector<AccessLogEntry> entries;
  std::string log = directory_.ReadFile("access.log");
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    // <connection> <requests> <status> <reused> "<protocol>" "<request>"
    std::vector<absl::string_view> head =
        absl::StrSplit(line, absl::MaxSplits(' ', 4));
    if (head.size() != 5)
      continue;
    AccessLogEntry entry;
    if (!absl::SimpleAtoi(head[0], &entry.connection) ||
        !absl::SimpleAtoi(head[1], &entry.connection_requests) ||
        !absl::SimpleAtoi(head[2], &entry.status)) {
      continue;
    }
    entry.ssl_session_reused = head[3] == "r";
    std::vector<absl::string_view> quoted =
        absl::StrSplit(head[4], absl::MaxSplits("\" \"", 1));
    if (quoted.size() != 2)
      continue;
    absl::string_view protocol = absl::StripPrefix(quoted[0], "\"");
    absl::string_view request = absl::StripSuffix(quoted[1], "\"");
    entry.ssl_protocol = protocol == "-" ? "" : std::string(protocol);
    entry.request_line = std::string(request);
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::vector<NginxServer::AccessLogEntry> NginxServer::WaitForAccessLog(
    size_t count) const {
  absl::Time deadline = absl::Now() + kStartTimeout;
  std::vector<AccessLogEntry> entries = ReadAccessLog();
  while (entries.size() < count && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(2));
    entries = ReadAccessLog();
  }
  return entries;
}

std::string NginxServer::ReadErrorLog() const {
  return directory_.ReadFile("error.log");
}

}  // namespace net
