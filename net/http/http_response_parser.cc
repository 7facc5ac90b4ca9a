#include "net/http/http_response_parser.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "llhttp.h"
#include "net/base/check.h"
#include "net/base/net_errors.h"

namespace net {

// llhttp's C state plus the trampolines from its callbacks to the parser. Kept
// out of the header so llhttp.h stays an implementation detail.
struct HttpResponseParser::Llhttp {
  explicit Llhttp(HttpResponseParser* owner) {
    llhttp_settings_init(&settings);
    settings.on_status = &OnStatus;
    settings.on_header_field = &OnHeaderField;
    settings.on_header_value = &OnHeaderValue;
    settings.on_header_value_complete = &OnHeaderValueComplete;
    settings.on_headers_complete = &OnHeadersComplete;
    settings.on_body = &OnBody;
    settings.on_message_complete = &OnMessageComplete;
    llhttp_init(&parser, HTTP_RESPONSE, &settings);
    parser.data = owner;
  }

  static HttpResponseParser* Owner(llhttp_t* parser) {
    return static_cast<HttpResponseParser*>(parser->data);
  }

  static int OnStatus(llhttp_t* parser, const char* at, size_t length) {
    Owner(parser)->status_text_.append(at, length);
    return 0;
  }

  static int OnHeaderField(llhttp_t* parser, const char* at, size_t length) {
    Owner(parser)->current_field_.append(at, length);
    return 0;
  }

  static int OnHeaderValue(llhttp_t* parser, const char* at, size_t length) {
    Owner(parser)->current_value_.append(at, length);
    return 0;
  }

  static int OnHeaderValueComplete(llhttp_t* parser) {
    HttpResponseParser* self = Owner(parser);
    self->headers_.AddHeader(std::move(self->current_field_),
                             std::move(self->current_value_));
    self->current_field_.clear();
    self->current_value_.clear();
    return 0;
  }

  static int OnHeadersComplete(llhttp_t* parser) {
    HttpResponseParser* self = Owner(parser);
    int status = llhttp_get_status_code(parser);
    if (status >= 100 && status < 200 && status != 101) {
      // An interim response: its headers are dropped and the final one
      // follows. RFC 9112 section 6.3: a 1xx ends at the empty line after its
      // header fields whatever they say, so 1 tells llhttp to ignore any
      // Content-Length or Transfer-Encoding; bytes a server sends as its
      // "body" then fail as the next status line instead of reaching the final
      // response's body.
      self->in_interim_response_ = true;
      return 1;
    }
    self->headers_.SetStatus(status, std::move(self->status_text_),
                             llhttp_get_http_major(parser),
                             llhttp_get_http_minor(parser));
    self->headers_complete_ = true;
    self->is_chunked_ = (parser->flags & F_CHUNKED) != 0;
    if (!self->is_chunked_ && (parser->flags & F_CONTENT_LENGTH))
      self->content_length_ = parser->content_length;
    // 1 tells llhttp the message has no body. llhttp already knows that for 204
    // and 304 without a Content-Length; RFC 9110 says they never have one, even
    // with it.
    bool no_body = self->is_head_request_ || status == 204 || status == 304;
    return no_body ? 1 : 0;
  }

  static int OnBody(llhttp_t* parser, const char* at, size_t length) {
    HttpResponseParser* self = Owner(parser);
    self->pending_body_.append(at, length);
    self->body_bytes_received_ += length;
    return 0;
  }

  static int OnMessageComplete(llhttp_t* parser) {
    HttpResponseParser* self = Owner(parser);
    if (self->in_interim_response_) {
      self->in_interim_response_ = false;
      self->headers_ = HttpResponseHeaders();
      self->status_text_.clear();
      return 0;
    }
    self->response_complete_ = true;
    self->keep_alive_ = llhttp_should_keep_alive(parser) != 0 &&
                        llhttp_get_upgrade(parser) == 0;
    // Stop here: whatever follows is not part of this response.
    return HPE_PAUSED;
  }

  llhttp_settings_t settings;
  llhttp_t parser;
};

HttpResponseParser::HttpResponseParser(bool is_head_request,
                                       size_t max_header_bytes)
    : is_head_request_(is_head_request),
      max_header_bytes_(max_header_bytes),
      llhttp_(std::make_unique<Llhttp>(this)) {}

HttpResponseParser::~HttpResponseParser() = default;

int HttpResponseParser::Fail(int error, std::string message) {
  error_ = error;
  error_message_ = std::move(message);
  return error_;
}

int HttpResponseParser::Parse(std::string_view data) {
  if (error_ != OK)
    return error_;
  CHECK(data.size() <= static_cast<size_t>(INT_MAX));
  if (response_complete_ || data.empty())
    return 0;
  any_bytes_received_ = true;

  size_t consumed = 0;
  // Until the final response's headers are complete (interim responses
  // included), llhttp gets no more bytes than the limit has room for, so the
  // limit counts bytes however they are split into reads.
  while (!headers_complete_ && consumed < data.size()) {
    if (header_bytes_ >= max_header_bytes_) {
      return Fail(ERR_RESPONSE_HEADERS_TOO_BIG,
                  absl::StrCat("response headers exceed ", max_header_bytes_,
                               " bytes"));
    }
    const size_t piece =
        std::min(data.size() - consumed, max_header_bytes_ - header_bytes_);
    size_t taken = 0;
    int rv = Execute(data.substr(consumed, piece), &taken);
    if (rv != OK)
      return rv;
    if (!headers_complete_)
      header_bytes_ += piece;
    consumed += taken;
    if (response_complete_)
      return static_cast<int>(consumed);
  }
  if (consumed < data.size()) {
    size_t taken = 0;
    int rv = Execute(data.substr(consumed), &taken);
    if (rv != OK)
      return rv;
    consumed += taken;
  }
  return static_cast<int>(consumed);
}

int HttpResponseParser::Execute(std::string_view data, size_t* taken) {
  llhttp_errno_t result =
      llhttp_execute(&llhttp_->parser, data.data(), data.size());
  if (result == HPE_OK) {
    *taken = data.size();
    return OK;
  }
  if (result == HPE_PAUSED || result == HPE_PAUSED_UPGRADE) {
    DCHECK(response_complete_);
    *taken = static_cast<size_t>(llhttp_get_error_pos(&llhttp_->parser) -
                                 data.data());
    return OK;
  }
  const char* reason = llhttp_get_error_reason(&llhttp_->parser);
  std::string message =
      absl::StrCat(llhttp_errno_name(result), ": ", reason ? reason : "");
  if (result == HPE_INVALID_CHUNK_SIZE) {
    return Fail(ERR_INVALID_CHUNKED_ENCODING,
                absl::StrCat("invalid chunked encoding (", message, ")"));
  }
  return Fail(ERR_INVALID_HTTP_RESPONSE,
              absl::StrCat("malformed HTTP response (", message, ")"));
}

int HttpResponseParser::OnConnectionClosed() {
  if (error_ != OK)
    return error_;
  if (response_complete_)
    return OK;
  if (!any_bytes_received_) {
    return Fail(ERR_EMPTY_RESPONSE,
                "connection closed before any response bytes arrived");
  }
  if (!headers_complete_) {
    return Fail(ERR_INVALID_HTTP_RESPONSE,
                absl::StrCat("connection closed inside the response headers "
                             "after ",
                             header_bytes_, " header bytes"));
  }
  // Ends a body delimited by the close (runs OnMessageComplete); refuses any
  // other.
  llhttp_finish(&llhttp_->parser);
  if (response_complete_)
    return OK;
  if (is_chunked_) {
    return Fail(ERR_INCOMPLETE_CHUNKED_ENCODING,
                absl::StrCat("connection closed before the last chunk, after ",
                             body_bytes_received_, " body bytes"));
  }
  return Fail(ERR_CONTENT_LENGTH_MISMATCH,
              absl::StrCat("connection closed after ", body_bytes_received_,
                           " of ", content_length_.value_or(0), " body bytes"));
}

int HttpResponseParser::ReadBody(char* buf, int len) {
  DCHECK(len >= 0);
  size_t count = std::min(body_bytes_available(), static_cast<size_t>(len));
  if (count > 0)
    std::memcpy(buf, pending_body_.data() + pending_body_offset_, count);
  pending_body_offset_ += count;
  if (pending_body_offset_ == pending_body_.size()) {
    pending_body_.clear();
    pending_body_offset_ = 0;
  }
  return static_cast<int>(count);
}

}  // namespace net
