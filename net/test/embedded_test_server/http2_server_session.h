#ifndef NET_TEST_EMBEDDED_TEST_SERVER_HTTP2_SERVER_SESSION_H_
#define NET_TEST_EMBEDDED_TEST_SERVER_HTTP2_SERVER_SESSION_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "net/event/timer.h"
#include "net/test/embedded_test_server/http_request.h"
#include "net/test/embedded_test_server/http_response.h"

struct nghttp2_session;

namespace net::test_server {

// How the EmbeddedTestServer's HTTP/2 side behaves on every connection, for
// tests that need a server at its limits or misbehaving. A value type.
struct Http2ServerConfig {
  // SETTINGS_MAX_CONCURRENT_STREAMS; 0 leaves nghttp2's default (no limit).
  uint32_t max_concurrent_streams = 0;
  // SETTINGS_INITIAL_WINDOW_SIZE the server grants; 0 leaves 65535.
  uint32_t initial_window_size = 0;
  // After this many requests on a connection, say GOAWAY with the last of
  // them as last-stream-id: later streams are refused. 0: never.
  int goaway_after_requests = 0;
  // Answer the client's PINGs (false: a server that has gone silent).
  bool ack_pings = true;
};

// The server side of one HTTP/2 connection of the EmbeddedTestServer, on
// nghttp2: the connection hands it the decrypted bytes it read and sends what
// it produces. Each request goes to the delegate as an HttpRequest (the
// :authority as a "Host" header); the response is sent as HEADERS + DATA,
// honouring its delay and its misbehaviour: kStall never answers, kReset and
// kGarbage act on the whole connection, kCloseAfterHeaders sends HEADERS and
// closes, and the HTTP/2 ones reset the stream, refuse it, say GOAWAY below
// it, or send a frame that breaks the protocol. Owned by its connection;
// single-threaded.
class Http2ServerSession {
 public:
  class Delegate {
   public:
    virtual ~Delegate() = default;
    virtual HttpResponse HandleHttp2Request(const HttpRequest& request) = 0;
    // Bytes are ready: call TakeOutput() (or send `raw` as given, for the
    // misbehaviours that write garbage) and send them.
    virtual void OnHttp2OutputReady() = 0;
    virtual void SendRawAndClose(std::string raw) = 0;
    virtual void ResetConnection() = 0;
  };

  Http2ServerSession(const Http2ServerConfig& config,
                     HttpRequest request_template,
                     Delegate* delegate);
  Http2ServerSession(const Http2ServerSession&) = delete;
  Http2ServerSession& operator=(const Http2ServerSession&) = delete;
  ~Http2ServerSession();

  // Feeds bytes from the client. False when the client broke the protocol or
  // the session is over: the connection should close after its output.
  bool Feed(const char* data, size_t length);
  // Everything nghttp2 wants to send now.
  std::string TakeOutput();
  // nghttp2 wants neither to read nor to write: close after the output.
  bool IsDone() const;
  // Says GOAWAY (NO_ERROR), as a server reaping an idle connection does.
  void Shutdown();
  size_t open_stream_count() const { return streams_.size(); }
  // The most streams that were open at once on this connection.
  size_t max_open_streams() const { return max_open_streams_; }

 private:
  friend struct Http2ServerCallbacks;
  struct Stream {
    HttpRequest request;
    std::string body;
    size_t body_offset = 0;
    std::unique_ptr<OneShotTimer> delay_timer;
  };

  void OnRequestComplete(int32_t stream_id);
  void SendResponse(int32_t stream_id, const HttpResponse& response);

  const Http2ServerConfig config_;
  const HttpRequest request_template_;
  Delegate* const delegate_;
  nghttp2_session* session_ = nullptr;
  std::map<int32_t, Stream> streams_;
  size_t max_open_streams_ = 0;
  int requests_ = 0;
  bool failed_ = false;
};

}  // namespace net::test_server

#endif  // NET_TEST_EMBEDDED_TEST_SERVER_HTTP2_SERVER_SESSION_H_
