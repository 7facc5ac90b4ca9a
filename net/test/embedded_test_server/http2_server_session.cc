#include "net/test/embedded_test_server/http2_server_session.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "net/base/check.h"

namespace net::test_server {

namespace {

// A WINDOW_UPDATE on the connection with increment 0: RFC 9113 6.9 makes it
// a connection error (PROTOCOL_ERROR).
constexpr char kBadWindowUpdate[] = {0, 0, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0};

}  // namespace

struct Http2ServerCallbacks {
  static Http2ServerSession* Self(void* user_data) {
    return static_cast<Http2ServerSession*>(user_data);
  }

  static int OnBeginHeaders(nghttp2_session*,
                            const nghttp2_frame* frame,
                            void* user_data) {
    Http2ServerSession* self = Self(user_data);
    if (frame->hd.type != NGHTTP2_HEADERS ||
        frame->headers.cat != NGHTTP2_HCAT_REQUEST) {
      return 0;
    }
    Http2ServerSession::Stream& stream = self->streams_[frame->hd.stream_id];
    stream.request = self->request_template_;
    self->max_open_streams_ =
        std::max(self->max_open_streams_, self->streams_.size());
    return 0;
  }

  static int OnHeader(nghttp2_session*,
                      const nghttp2_frame* frame,
                      const uint8_t* name,
                      size_t name_length,
                      const uint8_t* value,
                      size_t value_length,
                      uint8_t,
                      void* user_data) {
    Http2ServerSession* self = Self(user_data);
    auto it = self->streams_.find(frame->hd.stream_id);
    if (it == self->streams_.end())
      return 0;
    std::string n(reinterpret_cast<const char*>(name), name_length);
    std::string v(reinterpret_cast<const char*>(value), value_length);
    HttpRequest& request = it->second.request;
    if (n == ":method")
      request.method = v;
    else if (n == ":path")
      request.relative_url = v;
    else if (n == ":authority")
      request.headers["Host"] = v;
    else if (!n.empty() && n[0] != ':')
      request.headers[n] = v;
    return 0;
  }

  static int OnDataChunkRecv(nghttp2_session*,
                             uint8_t,
                             int32_t stream_id,
                             const uint8_t* data,
                             size_t length,
                             void* user_data) {
    Http2ServerSession* self = Self(user_data);
    auto it = self->streams_.find(stream_id);
    if (it != self->streams_.end())
      it->second.request.content.append(reinterpret_cast<const char*>(data),
                                        length);
    return 0;
  }

  static int OnFrameRecv(nghttp2_session*,
                         const nghttp2_frame* frame,
                         void* user_data) {
    if ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
        (frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
      Self(user_data)->OnRequestComplete(frame->hd.stream_id);
    }
    return 0;
  }

  static int OnStreamClose(nghttp2_session*,
                           int32_t stream_id,
                           uint32_t,
                           void* user_data) {
    Self(user_data)->streams_.erase(stream_id);
    return 0;
  }

  static ssize_t ReadBody(nghttp2_session*,
                          int32_t stream_id,
                          uint8_t* buf,
                          size_t length,
                          uint32_t* data_flags,
                          nghttp2_data_source*,
                          void* user_data) {
    Http2ServerSession* self = Self(user_data);
    auto it = self->streams_.find(stream_id);
    if (it == self->streams_.end())
      return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    Http2ServerSession::Stream& stream = it->second;
    size_t n = std::min(length, stream.body.size() - stream.body_offset);
    std::copy_n(stream.body.data() + stream.body_offset, n, buf);
    stream.body_offset += n;
    if (stream.body_offset == stream.body.size())
      *data_flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }
};

Http2ServerSession::Http2ServerSession(const Http2ServerConfig& config,
                                       HttpRequest request_template,
                                       Delegate* delegate)
    : config_(config),
      request_template_(std::move(request_template)),
      delegate_(delegate) {
  CHECK(delegate_);
  nghttp2_session_callbacks* callbacks = nullptr;
  CHECK(nghttp2_session_callbacks_new(&callbacks) == 0);
  nghttp2_session_callbacks_set_on_begin_headers_callback(
      callbacks, &Http2ServerCallbacks::OnBeginHeaders);
  nghttp2_session_callbacks_set_on_header_callback(
      callbacks, &Http2ServerCallbacks::OnHeader);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(
      callbacks, &Http2ServerCallbacks::OnDataChunkRecv);
  nghttp2_session_callbacks_set_on_frame_recv_callback(
      callbacks, &Http2ServerCallbacks::OnFrameRecv);
  nghttp2_session_callbacks_set_on_stream_close_callback(
      callbacks, &Http2ServerCallbacks::OnStreamClose);
  nghttp2_option* option = nullptr;
  CHECK(nghttp2_option_new(&option) == 0);
  if (!config_.ack_pings)
    nghttp2_option_set_no_auto_ping_ack(option, 1);
  CHECK(nghttp2_session_server_new2(&session_, callbacks, this, option) == 0);
  nghttp2_option_del(option);
  nghttp2_session_callbacks_del(callbacks);

  std::vector<nghttp2_settings_entry> settings;
  if (config_.max_concurrent_streams > 0) {
    settings.push_back({NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS,
                        config_.max_concurrent_streams});
  }
  if (config_.initial_window_size > 0) {
    settings.push_back(
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, config_.initial_window_size});
  }
  nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings.data(),
                          settings.size());
}

Http2ServerSession::~Http2ServerSession() {
  nghttp2_session_del(session_);
}

bool Http2ServerSession::Feed(const char* data, size_t length) {
  if (failed_)
    return false;
  ssize_t rv = nghttp2_session_mem_recv(
      session_, reinterpret_cast<const uint8_t*>(data), length);
  if (rv < 0) {
    failed_ = true;
    return false;
  }
  return !IsDone();
}

std::string Http2ServerSession::TakeOutput() {
  std::string out;
  while (true) {
    const uint8_t* data = nullptr;
    ssize_t n = nghttp2_session_mem_send(session_, &data);
    if (n <= 0) {
      if (n < 0)
        failed_ = true;
      break;
    }
    out.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
  }
  return out;
}

bool Http2ServerSession::IsDone() const {
  return failed_ || (!nghttp2_session_want_read(session_) &&
                     !nghttp2_session_want_write(session_));
}

void Http2ServerSession::Shutdown() {
  nghttp2_session_terminate_session(session_, NGHTTP2_NO_ERROR);
}

void Http2ServerSession::OnRequestComplete(int32_t stream_id) {
  auto it = streams_.find(stream_id);
  if (it == streams_.end())
    return;
  ++requests_;
  if (config_.goaway_after_requests > 0 &&
      requests_ == config_.goaway_after_requests) {
    // Streams after this one are refused: nghttp2 rejects new ones, and
    // the ones already open above it get no answer, as RFC 9113 6.8 allows.
    nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE, stream_id,
                          NGHTTP2_NO_ERROR, nullptr, 0);
  } else if (config_.goaway_after_requests > 0 &&
             requests_ > config_.goaway_after_requests) {
    nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream_id,
                              NGHTTP2_REFUSED_STREAM);
    delegate_->OnHttp2OutputReady();
    return;
  }
  it->second.request.protocol = "h2";
  it->second.request.open_streams = streams_.size();
  HttpResponse response = delegate_->HandleHttp2Request(it->second.request);
  if (response.delay() > absl::ZeroDuration()) {
    it->second.delay_timer = std::make_unique<OneShotTimer>();
    it->second.delay_timer->Start(response.delay(),
                                  [this, stream_id, response] {
                                    SendResponse(stream_id, response);
                                    delegate_->OnHttp2OutputReady();
                                  });
    return;
  }
  SendResponse(stream_id, response);
  delegate_->OnHttp2OutputReady();
}

void Http2ServerSession::SendResponse(int32_t stream_id,
                                      const HttpResponse& response) {
  auto it = streams_.find(stream_id);
  if (it == streams_.end())
    return;
  switch (response.misbehavior()) {
    case HttpResponse::Misbehavior::kStall:
      return;
    case HttpResponse::Misbehavior::kReset:
      delegate_->ResetConnection();
      return;
    case HttpResponse::Misbehavior::kGarbage:
      delegate_->SendRawAndClose(
          absl::StrCat(TakeOutput(), "garbage \xff not http/2\r\n\r\n"));
      return;
    case HttpResponse::Misbehavior::kHttp2ResetStream:
      nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream_id,
                                NGHTTP2_INTERNAL_ERROR);
      return;
    case HttpResponse::Misbehavior::kHttp2RefuseStream:
      nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream_id,
                                NGHTTP2_REFUSED_STREAM);
      return;
    case HttpResponse::Misbehavior::kHttp2GoawayBeforeStream:
      nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE,
                            std::max(0, stream_id - 2), NGHTTP2_NO_ERROR,
                            nullptr, 0);
      return;
    case HttpResponse::Misbehavior::kHttp2BadFrame:
      delegate_->SendRawAndClose(absl::StrCat(
          TakeOutput(),
          std::string(kBadWindowUpdate, sizeof(kBadWindowUpdate))));
      return;
    case HttpResponse::Misbehavior::kCloseAfterHeaders:
    case HttpResponse::Misbehavior::kNone:
      break;
  }
  Stream& stream = it->second;
  stream.body = response.content();
  std::vector<std::pair<std::string, std::string>> fields = {
      {":status", absl::StrCat(response.code())},
      {"content-length", absl::StrCat(stream.body.size())},
  };
  if (!response.content_type().empty())
    fields.emplace_back("content-type", response.content_type());
  for (const auto& [name, value] : response.custom_headers())
    fields.emplace_back(absl::AsciiStrToLower(name), value);
  std::vector<nghttp2_nv> nva;
  for (const auto& [name, value] : fields) {
    nva.push_back({reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                   reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())),
                   name.size(), value.size(), NGHTTP2_NV_FLAG_NONE});
  }
  if (response.misbehavior() == HttpResponse::Misbehavior::kCloseAfterHeaders) {
    nghttp2_submit_headers(session_, NGHTTP2_FLAG_NONE, stream_id, nullptr,
                           nva.data(), nva.size(), nullptr);
    delegate_->SendRawAndClose(TakeOutput());
    return;
  }
  nghttp2_data_provider provider;
  provider.read_callback = &Http2ServerCallbacks::ReadBody;
  nghttp2_submit_response(
      session_, stream_id, nva.data(), nva.size(),
      stream.request.method == "HEAD" ? nullptr : &provider);
}

}  // namespace net::test_server
