#include "net/spdy/http2_session.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/log/net_log_values.h"
#include "net/socket/stream_socket.h"
#include "net/spdy/http2_stream.h"

namespace net {

namespace {

// One socket read; an idle session keeps it, so it is kept small.
constexpr size_t kReadBufferSize = 8 * 1024;
// Frames gathered into one socket write.
constexpr size_t kWriteChunkSize = 16 * 1024;

// A GOAWAY or RST_STREAM error code as a net error (Chromium's mapping).
int ErrorForHttp2ErrorCode(uint32_t code) {
  switch (code) {
    case NGHTTP2_NO_ERROR:
      return OK;
    case NGHTTP2_FLOW_CONTROL_ERROR:
      return ERR_HTTP2_FLOW_CONTROL_ERROR;
    case NGHTTP2_FRAME_SIZE_ERROR:
      return ERR_HTTP2_FRAME_SIZE_ERROR;
    case NGHTTP2_COMPRESSION_ERROR:
      return ERR_HTTP2_COMPRESSION_ERROR;
    case NGHTTP2_REFUSED_STREAM:
      return ERR_HTTP2_SERVER_REFUSED_STREAM;
    default:
      return ERR_HTTP2_PROTOCOL_ERROR;
  }
}

void LogFrame(const NetLogWithSource& net_log,
              NetLogEventType type,
              const nghttp2_frame* frame) {
  const char* name = nullptr;
  switch (frame->hd.type) {
    case NGHTTP2_GOAWAY:
      name = "GOAWAY";
      break;
    case NGHTTP2_RST_STREAM:
      name = "RST_STREAM";
      break;
    case NGHTTP2_SETTINGS:
      name = "SETTINGS";
      break;
    case NGHTTP2_PING:
      name = "PING";
      break;
    default:
      return;  // HEADERS and DATA are logged by their stream.
  }
  net_log.AddEvent(type, [&] {
    google::protobuf::Struct params;
    SetNetLogString(&params, "frame", name);
    SetNetLogInt(&params, "stream_id", frame->hd.stream_id);
    if (frame->hd.type == NGHTTP2_GOAWAY) {
      SetNetLogInt(&params, "last_stream_id", frame->goaway.last_stream_id);
      SetNetLogString(&params, "error_code",
                      nghttp2_http2_strerror(frame->goaway.error_code));
    } else if (frame->hd.type == NGHTTP2_RST_STREAM) {
      SetNetLogString(&params, "error_code",
                      nghttp2_http2_strerror(frame->rst_stream.error_code));
    }
    return params;
  });
}

}  // namespace

// nghttp2 calls these from inside mem_recv / mem_send. They only update state:
// the session decides what to do once nghttp2 has returned.
struct Http2SessionCallbacks {
  static Http2Session* Self(void* user_data) {
    return static_cast<Http2Session*>(user_data);
  }

  static int OnHeader(nghttp2_session*,
                      const nghttp2_frame* frame,
                      const uint8_t* name,
                      size_t name_length,
                      const uint8_t* value,
                      size_t value_length,
                      uint8_t,
                      void* user_data) {
    Http2Session* self = Self(user_data);
    Http2Stream* stream = self->FindStream(frame->hd.stream_id);
    if (!stream || frame->hd.type != NGHTTP2_HEADERS)
      return 0;
    stream->header_bytes_ += name_length + value_length;
    if (stream->header_bytes_ > self->options_.max_response_header_bytes) {
      stream->Fail(
          ERR_RESPONSE_HEADERS_TOO_BIG,
          absl::StrCat("response headers exceed ",
                       self->options_.max_response_header_bytes, " bytes"));
      // Resets the stream; the connection stays usable.
      return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    }
    if (!stream->OnHeader(
            std::string(reinterpret_cast<const char*>(name), name_length),
            std::string(reinterpret_cast<const char*>(value), value_length))) {
      // A malformed response (RFC 9113 section 8.1.1) resets its stream only.
      return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    }
    return 0;
  }

  static int OnFrameRecv(nghttp2_session*,
                         const nghttp2_frame* frame,
                         void* user_data) {
    Http2Session* self = Self(user_data);
    LogFrame(self->net_log_, NetLogEventType::HTTP2_SESSION_RECV_FRAME, frame);
    switch (frame->hd.type) {
      case NGHTTP2_HEADERS:
        if (Http2Stream* stream = self->FindStream(frame->hd.stream_id)) {
          stream->OnHeadersFrame(frame->hd.flags & NGHTTP2_FLAG_END_STREAM);
        }
        break;
      case NGHTTP2_DATA:
        if (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) {
          if (Http2Stream* stream = self->FindStream(frame->hd.stream_id))
            stream->OnEndStream();
        }
        break;
      case NGHTTP2_GOAWAY:
        // Streams above last_stream_id are closed by nghttp2 with
        // REFUSED_STREAM; the ones below finish.
        self->going_away_ = true;
        if (frame->goaway.error_code != NGHTTP2_NO_ERROR) {
          self->error_message_ = absl::StrCat(
              "the server sent GOAWAY (",
              nghttp2_http2_strerror(frame->goaway.error_code), ")");
        }
        break;
      case NGHTTP2_PING:
        if (frame->hd.flags & NGHTTP2_FLAG_ACK) {
          self->ping_in_flight_ = false;
          self->ping_timer_.Stop();
        }
        break;
      default:
        break;
    }
    return 0;
  }

  static int OnFrameSend(nghttp2_session*,
                         const nghttp2_frame* frame,
                         void* user_data) {
    Http2Session* self = Self(user_data);
    LogFrame(self->net_log_, NetLogEventType::HTTP2_SESSION_SEND_FRAME, frame);
    if (frame->hd.type == NGHTTP2_GOAWAY) {
      self->sent_goaway_ = true;
      self->sent_goaway_error_ = frame->goaway.error_code;
      self->going_away_ = true;
    }
    if ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
        (frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
      if (Http2Stream* stream = self->FindStream(frame->hd.stream_id))
        stream->OnRequestSent();
    }
    return 0;
  }

  static int OnFrameNotSend(nghttp2_session*,
                            const nghttp2_frame* frame,
                            int lib_error,
                            void* user_data) {
    Http2Session* self = Self(user_data);
    if (frame->hd.type != NGHTTP2_HEADERS)
      return 0;
    // A queued request that can no longer start (GOAWAY arrived first): the
    // server never saw it.
    if (Http2Stream* stream = self->FindStream(frame->hd.stream_id)) {
      stream->OnClose(ERR_HTTP2_SERVER_REFUSED_STREAM,
                      absl::StrCat("the request was not sent: ",
                                   nghttp2_strerror(lib_error)));
      self->streams_.erase(frame->hd.stream_id);
    }
    return 0;
  }

  static int OnDataChunkRecv(nghttp2_session* session,
                             uint8_t,
                             int32_t stream_id,
                             const uint8_t* data,
                             size_t length,
                             void* user_data) {
    Http2Session* self = Self(user_data);
    Http2Stream* stream = self->FindStream(stream_id);
    if (!stream || stream->error_ != OK) {
      // Nobody will read it: give the credit back at once.
      nghttp2_session_consume(session, stream_id, length);
      return 0;
    }
    stream->OnData(data, length);
    return 0;
  }

  static int OnStreamClose(nghttp2_session*,
                           int32_t stream_id,
                           uint32_t error_code,
                           void* user_data) {
    Http2Session* self = Self(user_data);
    auto it = self->streams_.find(stream_id);
    if (it == self->streams_.end())
      return 0;
    Http2Stream* stream = it->second;
    self->streams_.erase(it);
    if (error_code == NGHTTP2_NO_ERROR) {
      if (stream->end_stream_received_) {
        stream->OnClose(OK, std::string());
      } else {
        stream->OnClose(ERR_HTTP2_RST_STREAM_NO_ERROR_RECEIVED,
                        absl::StrCat("the server ended stream ", stream_id,
                                     " before the response was complete"));
      }
    } else if (error_code == NGHTTP2_REFUSED_STREAM) {
      stream->OnClose(ERR_HTTP2_SERVER_REFUSED_STREAM,
                      absl::StrCat("stream ", stream_id,
                                   " was refused (REFUSED_STREAM or GOAWAY "
                                   "below it); the server did not process it"));
    } else {
      stream->OnClose(ErrorForHttp2ErrorCode(error_code),
                      absl::StrCat("stream ", stream_id, " was reset (",
                                   nghttp2_http2_strerror(error_code), ")"));
    }
    self->StartIdleTimerIfIdle();
    return 0;
  }

  static int OnError(nghttp2_session*,
                     int,
                     const char* message,
                     size_t length,
                     void* user_data) {
    Http2Session* self = Self(user_data);
    self->error_message_.assign(message, length);
    return 0;
  }

  static ssize_t ReadUploadBody(nghttp2_session*,
                                int32_t,
                                uint8_t* buf,
                                size_t length,
                                uint32_t* data_flags,
                                nghttp2_data_source* source,
                                void*) {
    auto* stream = static_cast<Http2Stream*>(source->ptr);
    const std::string& body = stream->upload_body_;
    size_t& offset = stream->upload_offset_;
    size_t n = std::min(length, body.size() - offset);
    std::copy_n(body.data() + offset, n, buf);
    offset += n;
    if (offset == body.size())
      *data_flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }
};

Http2Session::Http2Session(StreamSocket* socket,
                           const Http2SessionOptions& options,
                           const NetLogWithSource& socket_net_log)
    : socket_(socket),
      options_(options),
      loop_(EventLoop::Current()),
      net_log_(socket_net_log.net_log()
                   ? NetLogWithSource::Make(socket_net_log.net_log(),
                                            NetLogSourceType::HTTP2_SESSION)
                   : NetLogWithSource::Make(NetLogSourceType::HTTP2_SESSION)) {
  CHECK(socket_);
  CHECK(loop_);
  net_log_.BeginEvent(NetLogEventType::HTTP2_SESSION, [&] {
    google::protobuf::Struct params;
    SetNetLogInt(&params, "source_dependency",
                 static_cast<int64_t>(socket_net_log.source().id));
    return params;
  });
}

Http2Session::~Http2Session() {
  for (auto& [id, stream] : streams_)
    stream->OnSessionGone();
  streams_.clear();
  if (!closed_)
    net_log_.EndEvent(NetLogEventType::HTTP2_SESSION);
  nghttp2_session_del(session_);
}

absl::Time Http2Session::Now() const {
  return loop_->NowTicks();
}

int Http2Session::Start() {
  CHECK(!started_);
  started_ = true;
  nghttp2_session_callbacks* callbacks = nullptr;
  if (nghttp2_session_callbacks_new(&callbacks) != 0) {
    CloseWithError(ERR_OUT_OF_MEMORY, "nghttp2 could not allocate");
    return ERR_OUT_OF_MEMORY;
  }
  nghttp2_session_callbacks_set_on_header_callback(
      callbacks, &Http2SessionCallbacks::OnHeader);
  nghttp2_session_callbacks_set_on_frame_recv_callback(
      callbacks, &Http2SessionCallbacks::OnFrameRecv);
  nghttp2_session_callbacks_set_on_frame_send_callback(
      callbacks, &Http2SessionCallbacks::OnFrameSend);
  nghttp2_session_callbacks_set_on_frame_not_send_callback(
      callbacks, &Http2SessionCallbacks::OnFrameNotSend);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(
      callbacks, &Http2SessionCallbacks::OnDataChunkRecv);
  nghttp2_session_callbacks_set_on_stream_close_callback(
      callbacks, &Http2SessionCallbacks::OnStreamClose);
  nghttp2_session_callbacks_set_error_callback2(
      callbacks, &Http2SessionCallbacks::OnError);
  nghttp2_option* option = nullptr;
  nghttp2_option_new(&option);
  // Window updates follow what readers consumed, not what arrived: that is
  // what bounds a stream's buffer.
  nghttp2_option_set_no_auto_window_update(option, 1);
  int rv = nghttp2_session_client_new2(&session_, callbacks, this, option);
  nghttp2_option_del(option);
  nghttp2_session_callbacks_del(callbacks);
  if (rv != 0) {
    CloseWithError(ERR_OUT_OF_MEMORY, nghttp2_strerror(rv));
    return ERR_OUT_OF_MEMORY;
  }
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE,
       static_cast<uint32_t>(options_.stream_window)},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE,
       static_cast<uint32_t>(options_.max_response_header_bytes)},
  };
  nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings,
                          std::size(settings));
  nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0,
                                        options_.session_window);
  read_buffer_ = std::make_shared<std::vector<char>>(kReadBufferSize);
  write_buffer_ = std::make_shared<std::string>();
  last_received_ = Now();
  MaybeWrite();
  DoReadLoop();
  StartIdleTimerIfIdle();
  return closed_ ? close_error_ : OK;
}

uint32_t Http2Session::peer_max_concurrent_streams() const {
  if (!session_)
    return 0;
  return nghttp2_session_get_remote_settings(
      session_, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS);
}

Http2Stream* Http2Session::FindStream(int32_t stream_id) const {
  auto it = streams_.find(stream_id);
  return it == streams_.end() ? nullptr : it->second;
}

int Http2Session::SubmitRequest(
    Http2Stream* stream,
    const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string* body) {
  if (!IsAvailable()) {
    stream->Fail(
        closed_ ? ERR_CONNECTION_CLOSED : ERR_HTTP2_SERVER_REFUSED_STREAM,
        "the HTTP/2 session is closing and takes no new streams");
    return stream->error_;
  }
  std::vector<nghttp2_nv> nva;
  nva.reserve(headers.size());
  for (const auto& [name, value] : headers) {
    nva.push_back({reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                   reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())),
                   name.size(), value.size(), NGHTTP2_NV_FLAG_NONE});
  }
  nghttp2_data_provider provider;
  provider.source.ptr = stream;
  provider.read_callback = &Http2SessionCallbacks::ReadUploadBody;
  // A session that heard nothing for a while may be dead (NAT timeout, sleep):
  // ask before trusting it with a request.
  if (!ping_in_flight_ &&
      Now() - last_received_ >= options_.ping_after_silence) {
    nghttp2_submit_ping(session_, NGHTTP2_FLAG_NONE, nullptr);
    ping_in_flight_ = true;
    ping_timer_.Start(options_.ping_timeout, [this] { OnPingTimeout(); });
  }
  int32_t id = nghttp2_submit_request(session_, nullptr, nva.data(), nva.size(),
                                      body ? &provider : nullptr, stream);
  if (id < 0) {
    stream->Fail(
        ERR_HTTP2_PROTOCOL_ERROR,
        absl::StrCat("nghttp2 refused the request: ", nghttp2_strerror(id)));
    return stream->error_;
  }
  stream->stream_id_ = id;
  streams_[id] = stream;
  ++streams_started_;
  idle_timer_.Stop();
  MaybeWrite();
  return OK;
}

void Http2Session::RemoveStream(Http2Stream* stream, size_t unread_bytes) {
  auto it = streams_.find(stream->stream_id());
  const bool open = it != streams_.end() && it->second == stream;
  if (open)
    streams_.erase(it);
  if (closed_ || !session_)
    return;
  if (open) {
    nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream->stream_id(),
                              NGHTTP2_CANCEL);
  }
  if (unread_bytes > 0)
    nghttp2_session_consume_connection(session_, unread_bytes);
  StartIdleTimerIfIdle();
  MaybeWrite();
}

void Http2Session::ConsumeBody(int32_t stream_id, size_t bytes) {
  if (closed_ || !session_ || bytes == 0)
    return;
  if (nghttp2_session_consume(session_, stream_id, bytes) != 0)
    nghttp2_session_consume_connection(session_, bytes);
  MaybeWrite();
}

void Http2Session::DoReadLoop() {
  while (!closed_ && !read_pending_) {
    int rv = socket_->Read(
        read_buffer_->data(), static_cast<int>(read_buffer_->size()),
        [weak = weak_factory_.GetWeakPtr(), buffer = read_buffer_](int result) {
          if (Http2Session* self = weak.get())
            self->OnReadComplete(result);
        });
    if (rv == ERR_IO_PENDING) {
      read_pending_ = true;
      return;
    }
    HandleReadResult(rv);
  }
}

void Http2Session::OnReadComplete(int result) {
  read_pending_ = false;
  HandleReadResult(result);
  DoReadLoop();
}

void Http2Session::HandleReadResult(int result) {
  if (closed_)
    return;
  if (result == 0) {
    CloseWithError(ERR_CONNECTION_CLOSED, "the server closed the connection");
    return;
  }
  if (result < 0) {
    CloseWithError(result, absl::StrCat("reading from the connection: ",
                                        ErrorToShortString(result)));
    return;
  }
  last_received_ = Now();
  ssize_t consumed = nghttp2_session_mem_recv(
      session_, reinterpret_cast<const uint8_t*>(read_buffer_->data()),
      static_cast<size_t>(result));
  if (consumed < 0) {
    CloseWithError(ERR_HTTP2_PROTOCOL_ERROR,
                   absl::StrCat("HTTP/2 framing: ",
                                nghttp2_strerror(static_cast<int>(consumed))));
    return;
  }
  MaybeWrite();
  CheckDone();
}

void Http2Session::MaybeWrite() {
  // nghttp2 callbacks can ask for a write while one is being gathered.
  if (closed_ || write_pending_ || in_write_ || !session_)
    return;
  in_write_ = true;
  while (!closed_) {
    if (write_offset_ == write_buffer_->size()) {
      write_buffer_->clear();
      write_offset_ = 0;
      while (write_buffer_->size() < kWriteChunkSize) {
        const uint8_t* data = nullptr;
        ssize_t n = nghttp2_session_mem_send(session_, &data);
        if (n < 0) {
          in_write_ = false;
          CloseWithError(ERR_HTTP2_PROTOCOL_ERROR,
                         nghttp2_strerror(static_cast<int>(n)));
          return;
        }
        if (n == 0)
          break;
        write_buffer_->append(reinterpret_cast<const char*>(data),
                              static_cast<size_t>(n));
      }
      if (write_buffer_->empty())
        break;
    }
    int rv =
        socket_->Write(write_buffer_->data() + write_offset_,
                       static_cast<int>(write_buffer_->size() - write_offset_),
                       [weak = weak_factory_.GetWeakPtr(),
                        buffer = write_buffer_](int result) {
                         if (Http2Session* self = weak.get())
                           self->OnWriteComplete(result);
                       });
    if (rv == ERR_IO_PENDING) {
      write_pending_ = true;
      break;
    }
    if (rv < 0) {
      in_write_ = false;
      CloseWithError(rv, absl::StrCat("writing to the connection: ",
                                      ErrorToShortString(rv)));
      return;
    }
    write_offset_ += static_cast<size_t>(rv);
  }
  in_write_ = false;
  if (!write_pending_)
    CheckDone();
}

void Http2Session::OnWriteComplete(int result) {
  write_pending_ = false;
  if (result < 0) {
    CloseWithError(result, absl::StrCat("writing to the connection: ",
                                        ErrorToShortString(result)));
    return;
  }
  write_offset_ += static_cast<size_t>(result);
  MaybeWrite();
}

void Http2Session::CheckDone() {
  if (closed_ || !session_ || write_pending_ || in_write_)
    return;
  if (nghttp2_session_want_read(session_) ||
      nghttp2_session_want_write(session_)) {
    return;
  }
  // nghttp2 is finished with the connection: a GOAWAY went one way or the
  // other and no stream is left.
  if (sent_goaway_ && sent_goaway_error_ != NGHTTP2_NO_ERROR) {
    CloseWithError(
        ErrorForHttp2ErrorCode(sent_goaway_error_),
        error_message_.empty()
            ? absl::StrCat("the server broke HTTP/2 (",
                           nghttp2_http2_strerror(sent_goaway_error_), ")")
            : absl::StrCat("the server broke HTTP/2: ", error_message_));
    return;
  }
  CloseWithError(OK, std::string());
}

void Http2Session::StartIdleTimerIfIdle() {
  if (closed_ || !streams_.empty() ||
      options_.idle_timeout <= absl::ZeroDuration()) {
    return;
  }
  idle_timer_.Start(options_.idle_timeout, [this] { CloseWhenIdle(); });
}

void Http2Session::OnPingTimeout() {
  CloseWithError(ERR_HTTP2_PING_FAILED,
                 absl::StrCat("no PING acknowledgement within ",
                              absl::FormatDuration(options_.ping_timeout)));
}

void Http2Session::CloseWhenIdle() {
  if (closed_ || !session_)
    return;
  going_away_ = true;
  nghttp2_session_terminate_session(session_, NGHTTP2_NO_ERROR);
  MaybeWrite();
}

void Http2Session::CloseWithError(int error, std::string message) {
  if (closed_)
    return;
  closed_ = true;
  going_away_ = true;
  close_error_ = error;
  if (!message.empty())
    error_message_ = std::move(message);
  ping_timer_.Stop();
  idle_timer_.Stop();
  // Every stream still open ends with the session.
  absl::flat_hash_map<int32_t, Http2Stream*> streams;
  streams.swap(streams_);
  for (auto& [id, stream] : streams) {
    stream->OnClose(error == OK ? ERR_CONNECTION_CLOSED : error,
                    error_message_.empty()
                        ? std::string("the HTTP/2 session closed")
                        : error_message_);
  }
  net_log_.EndEventWithNetErrorCode(NetLogEventType::HTTP2_SESSION, error);
  if (closed_callback_) {
    loop_->PostTask([weak = weak_factory_.GetWeakPtr()] {
      Http2Session* self = weak.get();
      if (!self || !self->closed_callback_)
        return;
      absl::AnyInvocable<void()> callback = std::move(self->closed_callback_);
      self->closed_callback_ = nullptr;
      callback();  // May destroy the session.
    });
  }
}

}  // namespace net
