#ifndef NET_TEST_EMBEDDED_TEST_SERVER_HTTP_RESPONSE_H_
#define NET_TEST_EMBEDDED_TEST_SERVER_HTTP_RESPONSE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace net::test_server {

// What the EmbeddedTestServer sends for one request: a status, headers and a
// body, plus how to misbehave while sending it. Content-Length and Connection
// are written by the server from the body and keep-alive flag. A value type.
class HttpResponse {
 public:
  enum class Misbehavior {
    kNone,
    // Never answer; the connection stays open (and silent) until the client
    // gives up.
    kStall,
    // Abort the connection with a TCP RST (SO_LINGER 0) instead of answering.
    kReset,
    // Send bytes that are not HTTP, then close.
    kGarbage,
    // Send the status line and headers (announcing the full body length), then
    // close.
    kCloseAfterHeaders,
    // HTTP/2 only (HTTP/1.1 connections treat them as kReset).
    // RST_STREAM(INTERNAL_ERROR) instead of an answer.
    kHttp2ResetStream,
    // RST_STREAM(REFUSED_STREAM): the server did not process the request.
    kHttp2RefuseStream,
    // GOAWAY with a last-stream-id below this stream, then nothing for it.
    kHttp2GoawayBeforeStream,
    // A frame that breaks the protocol (WINDOW_UPDATE with increment 0 on
    // the connection).
    kHttp2BadFrame,
  };

  HttpResponse();
  HttpResponse(const HttpResponse&);
  HttpResponse& operator=(const HttpResponse&);
  ~HttpResponse();

  void set_code(int code) { code_ = code; }
  int code() const { return code_; }
  void set_content(std::string content) { content_ = std::move(content); }
  const std::string& content() const { return content_; }
  void set_content_type(std::string type) { content_type_ = std::move(type); }
  const std::string& content_type() const { return content_type_; }
  void AddCustomHeader(std::string name, std::string value);
  const std::vector<std::pair<std::string, std::string>>& custom_headers()
      const {
    return custom_headers_;
  }

  // Close the connection after this response (Connection: close).
  void set_close_connection(bool close) { close_connection_ = close; }
  bool close_connection() const { return close_connection_; }
  // Wait this long (on the EventLoop clock) before sending.
  void set_delay(absl::Duration delay) { delay_ = delay; }
  absl::Duration delay() const { return delay_; }
  void set_misbehavior(Misbehavior misbehavior) { misbehavior_ = misbehavior; }
  Misbehavior misbehavior() const { return misbehavior_; }

  // The status line and headers, ending with the blank line.
  std::string HeadersToString() const;
  // The whole response as it goes on the wire.
  std::string ToString() const;

 private:
  int code_ = 200;
  std::string content_;
  std::string content_type_ = "text/plain";
  std::vector<std::pair<std::string, std::string>> custom_headers_;
  bool close_connection_ = false;
  absl::Duration delay_ = absl::ZeroDuration();
  Misbehavior misbehavior_ = Misbehavior::kNone;
};

}  // namespace net::test_server

#endif  // NET_TEST_EMBEDDED_TEST_SERVER_HTTP_RESPONSE_H_
