#include "shell/fetch_command.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "net/base/host_port_pair.h"
#include "net/base/load_timing_info.h"
#include "net/base/net_errors.h"
#include "net/base/url.h"
#include "net/dns/host_resolver.h"
#include "net/event/event_loop.h"
#include "net/http/http_basic_stream.h"
#include "net/socket/stream_socket.h"
#include "net/spdy/http2_session.h"
#include "net/spdy/http2_stream.h"
#include "net/socket/transport_connect_job.h"
#include "net/ssl/ssl_client_session_cache.h"
#include "net/ssl/ssl_client_socket.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "openssl/x509.h"
#include "shell/network_flags.h"

namespace prewarm {

namespace {

constexpr char kDefaultUrl[] = "https://fetch.test/";

// Runs the current loop until `callback` has a result; the result.
class Waiter {
 public:
  net::CompletionOnceCallback Callback() {
    return [this](int result) {
      result_ = result;
      run_loop_.Quit();
    };
  }
  int Wait(int rv) {
    if (rv != net::ERR_IO_PENDING)
      return rv;
    run_loop_.Run();
    return result_;
  }

 private:
  net::RunLoop run_loop_;
  int result_ = net::ERR_IO_PENDING;
};

class JobDelegate : public net::ConnectJob::Delegate {
 public:
  explicit JobDelegate(net::CompletionOnceCallback callback)
      : callback_(std::move(callback)) {}
  void OnConnectJobComplete(int result, net::ConnectJob*) override {
    std::move(callback_)(result);
  }

 private:
  net::CompletionOnceCallback callback_;
};

double Ms(absl::Time start, absl::Time end) {
  if (start == absl::InfinitePast() || end == absl::InfinitePast())
    return 0;
  return absl::ToDoubleMilliseconds(end - start);
}

std::string VersionName(uint16_t version) {
  switch (version) {
    case net::SslConfig::kTls13:
      return "TLS 1.3";
    case net::SslConfig::kTls12:
      return "TLS 1.2";
    default:
      return absl::StrFormat("0x%04x", version);
  }
}

int Fail(std::ostream& err, int error, const std::string& message) {
  err << "fetch failed: " << net::ErrorToShortString(error) << ": " << message
      << "\n";
  return 1;
}

}  // namespace

std::string_view FetchCommand::name() const {
  return "fetch";
}

std::string_view FetchCommand::summary() const {
  return "[URL] [--connect-to=H:P:H2:P2] [--host-resolver-rules=RULES] "
         "[--ca-file=PEM] [--ignore-certificate-errors-spki-list=B64,...]  "
         "one GET through "
         "TransportConnectJob + HttpBasicStream, with load timing (no URL: a "
         "local HTTPS test server)";
}

int FetchCommand::Run(const std::vector<std::string>& args,
                      std::ostream& out,
                      std::ostream& err) {
  std::optional<std::string> url_text;
  std::string connect_to;
  NetworkFlags network_flags;
  std::optional<std::string> problem;
  for (const std::string& arg : args) {
    if (network_flags.Parse(arg, &problem)) {
      if (problem) {
        err << "fetch: " << *problem << "\n";
        return 2;
      }
    } else if (arg.rfind("--connect-to=", 0) == 0) {
      connect_to = arg.substr(13);
    } else if (arg.rfind("--", 0) == 0 || url_text) {
      err << "fetch: unexpected argument '" << arg << "'\n";
      return 2;
    } else {
      url_text = arg;
    }
  }
  if ((problem = network_flags.Finish())) {
    err << "fetch: " << *problem << "\n";
    return 2;
  }

  net::EventLoop loop;
  net::SslConfig ssl_config;
  ssl_config.additional_trust_anchors_pem =
      network_flags.additional_trust_anchors_pem();
  ssl_config.ignore_certificate_errors_spki_hashes =
      network_flags.spki_hashes();
  std::unique_ptr<net::test_server::EmbeddedTestServer> server;
  if (!url_text) {
    server = std::make_unique<net::test_server::EmbeddedTestServer>(
        net::test_server::EmbeddedTestServer::Type::kHttps);
    server->EnableHttp2();
    server->RegisterRequestHandler(
        [](const net::test_server::HttpRequest& request)
            -> std::optional<net::test_server::HttpResponse> {
          net::test_server::HttpResponse response;
          response.set_content("hello from prewarm's test server, path " +
                               request.relative_url + "\n");
          return response;
        });
    int rv = server->Start();
    if (rv != net::OK)
      return Fail(err, rv, "the local test server did not start");
    url_text = kDefaultUrl;
    // The user's overrides, if any, come first (the first match wins).
    std::string mapping =
        "fetch.test:443:127.0.0.1:" + std::to_string(server->port());
    connect_to = connect_to.empty() ? mapping : connect_to + "," + mapping;
    ssl_config.trusted_root_certificates_pem = server->root_certificate_pem();
    out << "local HTTPS test server on 127.0.0.1:" << server->port()
        << " (fetch.test mapped to it, trusted test CA)\n";
  }

  net::Url url = net::Url::Parse(*url_text);
  if (!url.is_valid())
    return Fail(err, url.error(), url.error_message());
  if (!url.SchemeIsHttpOrHttps()) {
    return Fail(err, net::ERR_DISALLOWED_URL_SCHEME,
                "only http and https URLs can be fetched");
  }

  net::HostResolver::Options resolver_options;
  std::string message;
  int rv = net::ConnectToOverrides::Parse(
      connect_to, &resolver_options.connect_to, &message);
  if (rv == net::OK) {
    rv = net::HostResolverRules::Parse(network_flags.host_resolver_rules(),
                                       &resolver_options.rules, &message);
  }
  if (rv != net::OK) {
    err << "fetch: " << message << "\n";
    return 2;
  }
  std::unique_ptr<net::HostResolver> resolver =
      net::HostResolver::Create(std::move(resolver_options), &rv, &message);
  if (!resolver)
    return Fail(err, rv, message);
  net::SslClientSessionCache session_cache(loop.clock());

  net::ConnectJobParams params;
  params.scheme = url.scheme();
  params.destination = net::HostPortPair::FromUrl(url);
  Waiter connect_waiter;
  JobDelegate delegate(connect_waiter.Callback());
  net::TransportConnectJob job(params, resolver.get(), &session_cache,
                               ssl_config, {}, nullptr, &delegate);
  rv = connect_waiter.Wait(job.Connect());
  if (rv != net::OK)
    return Fail(err, rv, job.error_message());
  std::unique_ptr<net::StreamSocket> socket = job.PassSocket();

  // HTTP/2 when ALPN chose it, HTTP/1.1 otherwise: one HttpStream either way.
  const std::string protocol = socket->GetNegotiatedProtocol();
  std::unique_ptr<net::Http2Session> session;
  std::unique_ptr<net::HttpStream> stream_holder;
  if (protocol == "h2") {
    session = std::make_unique<net::Http2Session>(
        socket.get(), net::Http2SessionOptions(), socket->NetLog());
    rv = session->Start();
    if (rv != net::OK)
      return Fail(err, rv, session->error_message());
    stream_holder = std::make_unique<net::Http2Stream>(session.get());
  } else {
    stream_holder = std::make_unique<net::HttpBasicStream>(socket.get());
  }
  net::HttpStream& stream = *stream_holder;
  net::HttpRequestInfo request;
  request.url = url;
  std::string body;
  {
    Waiter waiter;
    rv = waiter.Wait(stream.SendRequest(request, waiter.Callback()));
  }
  if (rv == net::OK) {
    Waiter waiter;
    rv = waiter.Wait(stream.ReadResponseHeaders(waiter.Callback()));
  }
  if (rv == net::OK) {
    Waiter waiter;
    rv = waiter.Wait(stream.ReadResponseBodyToEnd(&body, waiter.Callback()));
  }
  if (rv != net::OK)
    return Fail(err, rv, stream.error_message());

  net::LoadTimingInfo timing;
  timing.connect_timing = job.connect_timing();
  stream.GetLoadTimingInfo(&timing);
  const net::LoadTimingInfo::ConnectTiming& connect = timing.connect_timing;
  std::string tls = "none";
  if (url.SchemeIsCryptographic()) {
    auto* ssl_socket = static_cast<net::SslClientSocket*>(socket.get());
    tls = VersionName(ssl_socket->negotiated_version());
    if (ssl_socket->ignored_certificate_error() != 0) {
      tls += absl::StrCat(
          " (certificate error waived by "
          "--ignore-certificate-errors-spki-list: ",
          X509_verify_cert_error_string(
              ssl_socket->ignored_certificate_error()),
          ")");
    }
  }
  out << "url:        " << url.spec() << "\n"
      << "status:     " << stream.response_headers().response_code()
      // HTTP/2 has no reason phrase.
      << (stream.response_headers().status_text().empty() ? "" : " ")
      << stream.response_headers().status_text() << "\n"
      << "body:       " << body.size() << " bytes\n"
      << "protocol:   " << (protocol.empty() ? "http/1.1 (no ALPN)" : protocol)
      << ", TLS: " << tls << "\n"
      << "reusable:   " << (stream.CanReuseConnection() ? "yes" : "no") << "\n"
      << absl::StrFormat(
             "timing:     dns %.3f ms, connect %.3f ms (incl. TLS), ssl %.3f "
             "ms, ttfb %.3f ms, total %.3f ms\n",
             Ms(connect.domain_lookup_start, connect.domain_lookup_end),
             Ms(connect.connect_start, connect.connect_end),
             Ms(connect.ssl_start, connect.ssl_end),
             Ms(timing.send_start, timing.receive_headers_end),
             Ms(connect.domain_lookup_start, timing.response_end));
  return 0;
}

}  // namespace prewarm
