#ifndef NET_HTTP_HTTP_RESPONSE_PARSER_H_
#define NET_HTTP_HTTP_RESPONSE_PARSER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/http/http_response_headers.h"

namespace net {

// Parses one HTTP/1.x response incrementally with llhttp: feed bytes in
// whatever pieces the socket delivers, then take the decoded body (chunked
// framing removed). Interim 1xx responses (100 Continue, 103 Early Hints) are
// skipped; the final response is the one reported. A 1xx has no content (RFC
// 9110 section 15.2): its Content-Length and Transfer-Encoding are ignored, so
// bytes sent as its body are parsed as the next status line and fail there.
// The header limit counts the bytes of every status line and header section
// up to the end of the final response's headers, however they are split into
// reads. It stops at the end of that
// response, so bytes after it are left unconsumed: on HTTP/1.1 without
// pipelining such bytes mean the connection is not safe to reuse.
//
// Errors are net error codes with a message that says what was wrong (llhttp's
// reason for malformed input). After an error every call returns that error.
// Pure: no I/O, no clock, so it can be tested with byte strings split at every
// offset.
class HttpResponseParser {
 public:
  // Chromium's limit on the size of the status line plus header fields.
  static constexpr size_t kDefaultMaxHeaderBytes = 256 * 1024;

  // `is_head_request`: the response to a HEAD has no body whatever its headers
  // say.
  explicit HttpResponseParser(bool is_head_request,
                              size_t max_header_bytes = kDefaultMaxHeaderBytes);
  HttpResponseParser(const HttpResponseParser&) = delete;
  HttpResponseParser& operator=(const HttpResponseParser&) = delete;
  ~HttpResponseParser();

  // Feeds the next bytes read from the connection. Returns how many of them
  // belong to the response (all, unless the response ended inside `data`; the
  // rest came after it), or a net error: ERR_INVALID_HTTP_RESPONSE,
  // ERR_INVALID_CHUNKED_ENCODING or ERR_RESPONSE_HEADERS_TOO_BIG. `data` must
  // be shorter than 2 GiB.
  int Parse(std::string_view data);

  // The peer closed the connection (read returned 0). Returns OK if the
  // response is complete (a body delimited by the close ends here), else
  // ERR_EMPTY_RESPONSE (no byte ever arrived), ERR_INVALID_HTTP_RESPONSE
  // (closed inside the headers), ERR_CONTENT_LENGTH_MISMATCH or
  // ERR_INCOMPLETE_CHUNKED_ENCODING.
  int OnConnectionClosed();

  bool headers_complete() const { return headers_complete_; }
  bool response_complete() const { return response_complete_; }
  // Valid once headers_complete().
  const HttpResponseHeaders& headers() const { return headers_; }
  // The declared Content-Length, if the response had one (and was not chunked).
  std::optional<uint64_t> content_length() const { return content_length_; }
  bool is_chunked() const { return is_chunked_; }
  // Once response_complete(): whether the connection may carry another request
  // as far as the response says (HTTP/1.1 without "Connection: close", or
  // HTTP/1.0 with keep-alive; and a body that was not delimited by closing the
  // connection).
  bool keep_alive() const { return keep_alive_; }

  // Body bytes decoded and not yet taken.
  size_t body_bytes_available() const {
    return pending_body_.size() - pending_body_offset_;
  }
  // Moves up to `len` decoded body bytes into `buf`; returns how many.
  int ReadBody(char* buf, int len);
  // Total decoded body bytes seen so far (taken or not).
  uint64_t body_bytes_received() const { return body_bytes_received_; }

  int error() const { return error_; }
  const std::string& error_message() const { return error_message_; }

 private:
  struct Llhttp;
  friend struct Llhttp;

  int Fail(int error, std::string message);
  // Runs llhttp over `data`; *taken is how much belonged to the response. OK
  // or the error (Fail() called).
  int Execute(std::string_view data, size_t* taken);

  const bool is_head_request_;
  const size_t max_header_bytes_;
  std::unique_ptr<Llhttp> llhttp_;

  bool any_bytes_received_ = false;
  // Bytes fed while the final response's headers were incomplete.
  size_t header_bytes_ = 0;
  bool in_interim_response_ = false;
  bool headers_complete_ = false;
  bool response_complete_ = false;
  bool keep_alive_ = false;
  bool is_chunked_ = false;
  std::optional<uint64_t> content_length_;

  HttpResponseHeaders headers_;
  std::string status_text_;
  std::string current_field_;
  std::string current_value_;

  std::string pending_body_;
  size_t pending_body_offset_ = 0;
  uint64_t body_bytes_received_ = 0;

  int error_ = 0;
  std::string error_message_;
};

}  // namespace net

#endif  // NET_HTTP_HTTP_RESPONSE_PARSER_H_
