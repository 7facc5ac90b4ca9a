#ifndef NET_SPDY_HTTP2_SESSION_H_
#define NET_SPDY_HTTP2_SESSION_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/time/time.h"
#include "net/event/timer.h"
#include "net/event/weak_ptr.h"
#include "net/log/net_log_with_source.h"

struct nghttp2_session;

namespace net {

class EventLoop;
class Http2Stream;
class StreamSocket;

// The client side's knobs; the defaults are Chromium's where it has one.
struct Http2SessionOptions {
  // Our receive windows (SETTINGS_INITIAL_WINDOW_SIZE and the connection
  // window). A stream buffers at most its window of unread body: the server
  // may send more only after the reader took bytes out.
  int32_t stream_window = 1 << 20;
  int32_t session_window = 8 << 20;
  // A session that carries no stream for this long says GOAWAY and closes.
  absl::Duration idle_timeout = absl::Seconds(300);
  // A session that heard nothing from the server for this long sends a PING
  // before it starts a new stream; without an ACK within `ping_timeout` it
  // closes with ERR_HTTP2_PING_FAILED (Chromium's "connection at risk").
  absl::Duration ping_after_silence = absl::Seconds(10);
  absl::Duration ping_timeout = absl::Seconds(10);
  // Response header bytes a stream accepts (names + values) before it resets
  // the stream with ERR_RESPONSE_HEADERS_TOO_BIG.
  size_t max_response_header_bytes = 256 * 1024;
};

// One client HTTP/2 connection (RFC 9113) on nghttp2, like Chromium's
// SpdySession: it borrows a connected StreamSocket that negotiated "h2" and
// multiplexes Http2Streams over it. nghttp2 does the framing, HPACK, stream
// states and flow-control accounting; the session moves bytes between it and
// the socket (non-blocking, on the current EventLoop), keeps the window
// updates tied to what readers really consumed, queues streams beyond the
// server's SETTINGS_MAX_CONCURRENT_STREAMS (nghttp2 holds their HEADERS back),
// answers GOAWAY (streams the server did not process fail with
// ERR_HTTP2_SERVER_REFUSED_STREAM, so the caller may retry them on a new
// connection), PINGs a session that was silent before using it, and closes
// itself after `idle_timeout` without streams.
//
// A peer that breaks the protocol ends the session with a net error
// (ERR_HTTP2_PROTOCOL_ERROR, _FLOW_CONTROL_ERROR, _FRAME_SIZE_ERROR,
// _COMPRESSION_ERROR, or the socket's error) that every open stream gets too;
// error_message() says what nghttp2 saw.
//
// Ownership: the socket must outlive the session; whoever owns it (the
// session pool, through a ClientSocketHandle) closes it after the session
// ended. Streams are owned by their callers and register with the session;
// either may go first. The closed callback runs once, posted, after the
// session ended; the session must not be destroyed from inside its own
// calls. Network thread only.
class Http2Session {
 public:
  Http2Session(StreamSocket* socket,
               const Http2SessionOptions& options,
               const NetLogWithSource& socket_net_log);
  Http2Session(const Http2Session&) = delete;
  Http2Session& operator=(const Http2Session&) = delete;
  ~Http2Session();

  // Sends the connection preface and SETTINGS and starts reading. OK, or a
  // net error (the session is then closed).
  int Start();

  // Runs once, posted, when the session has ended.
  void set_closed_callback(absl::AnyInvocable<void()> callback) {
    closed_callback_ = std::move(callback);
  }

  // True while new streams may be started: open and no GOAWAY either way.
  bool IsAvailable() const { return !closed_ && !going_away_; }
  bool is_closed() const { return closed_; }
  bool is_going_away() const { return going_away_; }
  // The error the session ended with (OK after a clean close).
  int close_error() const { return close_error_; }
  const std::string& error_message() const { return error_message_; }

  // Streams registered now (sent, queued, or waiting for their response).
  size_t active_stream_count() const { return streams_.size(); }
  // Streams ever started on the session; 0 means it never carried a request.
  uint64_t streams_started() const { return streams_started_; }
  // The server's SETTINGS_MAX_CONCURRENT_STREAMS (unlimited until it says).
  uint32_t peer_max_concurrent_streams() const;
  StreamSocket* socket() const { return socket_; }
  const NetLogWithSource& net_log() const { return net_log_; }

  // Says GOAWAY (NO_ERROR) and closes once the open streams are done; no new
  // streams meanwhile.
  void CloseWhenIdle();
  // Ends the session now: streams fail with `error`.
  void CloseWithError(int error, std::string message);

 private:
  friend class Http2Stream;
  // nghttp2's callbacks, defined with the session (nghttp2_frame is an
  // anonymous union that a header cannot forward-declare).
  friend struct Http2SessionCallbacks;

  // Http2Stream's side. Submits HEADERS (and DATA from `body`, which must
  // stay alive until the stream closes); OK or a net error.
  int SubmitRequest(
      Http2Stream* stream,
      const std::vector<std::pair<std::string, std::string>>& headers,
      const std::string* body);
  // The stream goes away: reset it (CANCEL) if still open and give back the
  // flow-control credit of body bytes it never read.
  void RemoveStream(Http2Stream* stream, size_t unread_bytes);
  // The reader took `bytes` out of the stream: the window may reopen.
  void ConsumeBody(int32_t stream_id, size_t bytes);

  Http2Stream* FindStream(int32_t stream_id) const;
  void DoReadLoop();
  void OnReadComplete(int result);
  // Feeds one read result to nghttp2.
  void HandleReadResult(int result);
  void MaybeWrite();
  void OnWriteComplete(int result);
  // Closes the session once nghttp2 wants neither to read nor to write.
  void CheckDone();
  void StartIdleTimerIfIdle();
  void OnPingTimeout();
  absl::Time Now() const;

  StreamSocket* const socket_;
  const Http2SessionOptions options_;
  EventLoop* const loop_;
  NetLogWithSource net_log_;
  nghttp2_session* session_ = nullptr;

  absl::flat_hash_map<int32_t, Http2Stream*> streams_;
  uint64_t streams_started_ = 0;

  bool started_ = false;
  bool closed_ = false;
  bool going_away_ = false;
  int close_error_ = 0;
  std::string error_message_;
  // The error code of the GOAWAY we sent, if any (our verdict on the peer).
  uint32_t sent_goaway_error_ = 0;
  bool sent_goaway_ = false;

  // Shared with the socket's pending callbacks, so a socket that outlives the
  // session never touches freed memory.
  std::shared_ptr<std::vector<char>> read_buffer_;
  std::shared_ptr<std::string> write_buffer_;
  size_t write_offset_ = 0;
  bool read_pending_ = false;
  bool write_pending_ = false;
  bool in_write_ = false;

  absl::Time last_received_ = absl::InfinitePast();
  bool ping_in_flight_ = false;
  OneShotTimer ping_timer_;
  OneShotTimer idle_timer_;

  absl::AnyInvocable<void()> closed_callback_;
  WeakPtrFactory<Http2Session> weak_factory_{this};
};

}  // namespace net

#endif  // NET_SPDY_HTTP2_SESSION_H_
