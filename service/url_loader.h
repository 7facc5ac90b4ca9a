#ifndef SERVICE_URL_LOADER_H_
#define SERVICE_URL_LOADER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "net/base/load_timing_info.h"
#include "net/base/request_priority.h"
#include "net/base/url.h"
#include "net/event/weak_ptr.h"
#include "net/log/net_log_with_source.h"
#include "privacy/request_partition.h"
#include "socket_pool/client_socket_handle.h"
#include "socket_pool/group_id.h"

namespace net {
class HostResolver;
class Http2Session;
class HttpStream;
class NetLog;
class ResolveHostRequest;
class SocketPoolManager;
class StreamSocket;
}  // namespace net

namespace prewarm {

// How a request got its socket (the report's RequestRecord.Socket).
enum class SocketReuse {
  // A connection set up for this request.
  kNew,
  // A never-used socket warmed by a preconnect (idle, or adopted while it was
  // still connecting).
  kPreconnected,
  // A socket that served a request before.
  kReused,
};

// "NEW", "PRECONNECTED", "REUSED".
const char* SocketReuseToString(SocketReuse reuse);

// The outcome of one request (a fetch or a navigation's request). A value
// type.
struct FetchResult {
  FetchResult();
  FetchResult(const FetchResult&);
  FetchResult& operator=(const FetchResult&);
  FetchResult(FetchResult&&);
  FetchResult& operator=(FetchResult&&);
  ~FetchResult();

  // OK when a complete HTTP response arrived (any status); a net error
  // otherwise, with `error_message` saying more.
  int error = 0;
  std::string error_message;
  int status_code = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  // The status line's reason phrase and version ("HTTP/1.1").
  std::string status_text;
  std::string http_version;
  // The request's header lines as the stream sent them.
  std::vector<std::pair<std::string, std::string>> request_headers;
  std::string body;
  net::LoadTimingInfo load_timing;
  SocketReuse socket_reuse = SocketReuse::kNew;
  // The preconnected socket the request got, or 0.
  uint64_t preconnect_id = 0;
  // "http/1.1" or "h2" ("" when no connection was reached).
  std::string protocol;
  // The connection that carried the request: the same for every request on
  // one socket or HTTP/2 session (0 when none was reached).
  uint64_t connection_id = 0;
  // Joined an HTTP/2 session of another host by IP pooling.
  bool coalesced = false;
  // The group the socket came from, as the pool keys it.
  net::GroupId group_id;
  // How the privacy mode and NAK were decided.
  RequestPartition partition;
  // The preload whose response this is (the request consumed it and sent
  // nothing), or 0.
  uint64_t from_preload_id = 0;
  // A preload of the URL that the request could not consume, or 0; and why,
  // naming the field and the fix.
  uint64_t skipped_preload_id = 0;
  std::string preload_diagnostic;
  // The server's IP address ("127.0.0.1", "::1") and the socket's NetLog
  // source id, once a socket was connected; "" and 0 otherwise.
  std::string server_ip;
  uint32_t socket_log_id = 0;
};

// One GET over HTTP/1.1 or HTTP/2, like a much smaller Chromium URLLoader +
// HttpNetworkTransaction. In order it uses: an available HTTP/2 session of
// `group_id`; one of another host in the same partition that IP pooling
// allows (after resolving the host, only when such a session exists); the
// connection being set up for a group known to speak h2 (it waits for it);
// else a socket of `group_id` from the pool, which becomes a new session if
// it negotiated h2 and an HttpBasicStream otherwise. An HTTP/1.1 socket goes
// back to the pool when the response is read, kept for reuse only if the
// stream says so. A stream the server refused without processing it
// (GOAWAY, REFUSED_STREAM) is retried on another connection, up to
// kMaxRetries times. Start() runs the callback exactly once, never from
// inside Start(); destroying the loader cancels it and releases the socket
// (closed, since its stream position is unknown). Does not own the pool or
// the resolver (which may be null: no coalescing), which must outlive it.
// Network thread only.
class UrlLoader {
 public:
  using Callback = absl::AnyInvocable<void(FetchResult) &&>;

  static constexpr int kMaxRetries = 3;

  UrlLoader(net::SocketPoolManager* pool,
            net::HostResolver* host_resolver,
            net::Url url,
            net::GroupId group_id,
            RequestPartition partition,
            net::RequestPriority priority,
            net::NetLog* net_log);
  UrlLoader(const UrlLoader&) = delete;
  UrlLoader& operator=(const UrlLoader&) = delete;
  ~UrlLoader();

  // Headers the author set (fetch(url, {headers})), sent after the
  // loader's own. Call before Start().
  void set_extra_headers(
      std::vector<std::pair<std::string, std::string>> headers) {
    extra_headers_ = std::move(headers);
  }
  // Told once, when the response headers have arrived (before the body);
  // may not destroy the loader. Call before Start().
  void set_headers_callback(
      absl::AnyInvocable<void(const FetchResult&)> callback) {
    headers_callback_ = std::move(callback);
  }

  void Start(Callback callback);

 private:
  // One try at getting a stream: session, coalescing, setup, socket.
  void StartAttempt();
  void OnResolvedForCoalescing(int result);
  void RequestSocket();
  void UseSession(net::Http2Session* session, bool coalesced);
  // Records the connection's server address and ids.
  void NoteConnection(net::StreamSocket* socket);
  void FinishSetup();
  void OnSocketReady(int result);
  void SendRequest();
  void OnRequestSent(int result);
  void OnHeadersRead(int result);
  void OnBodyRead(int result);
  // Releases the socket and posts the callback.
  void Finish(int result);

  net::SocketPoolManager* const pool_;
  net::HostResolver* const host_resolver_;
  const net::Url url_;
  const net::RequestPriority priority_;
  net::NetLogWithSource net_log_;
  FetchResult result_;
  std::vector<std::pair<std::string, std::string>> extra_headers_;
  absl::AnyInvocable<void(const FetchResult&)> headers_callback_;
  Callback callback_;
  // Set while the loader holds an HTTP/1.1 socket (or one about to become a
  // session).
  std::unique_ptr<net::ClientSocketHandle> handle_;
  std::unique_ptr<net::HttpStream> stream_;
  std::unique_ptr<net::ResolveHostRequest> resolve_request_;
  bool setup_registered_ = false;
  int retries_ = 0;
  net::WeakPtrFactory<UrlLoader> weak_factory_{this};
};

}  // namespace prewarm

#endif  // SERVICE_URL_LOADER_H_
