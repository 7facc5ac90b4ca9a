#ifndef NET_HTTP_HTTP_STREAM_H_
#define NET_HTTP_HTTP_STREAM_H_

#include <string>
#include <utility>
#include <vector>

#include "net/base/completion_once_callback.h"
#include "net/base/load_timing_info.h"
#include "net/http/http_request_info.h"
#include "net/http/http_response_headers.h"

namespace net {

// One request and its response, whatever the protocol underneath: HTTP/1.1
// over a socket (HttpBasicStream) or one stream of an HTTP/2 session
// (Http2Stream), like Chromium's HttpStream. Callers drive both the same way:
// SendRequest, then ReadResponseHeaders, then ReadResponseBody until it
// returns 0. Each returns a result or ERR_IO_PENDING and then runs its
// callback once; only one operation may be outstanding. Errors are net error
// codes and error_message() says what went wrong. Destroying a stream cancels
// its callbacks. Network thread only.
class HttpStream {
 public:
  virtual ~HttpStream() = default;

  // Validates `request` (CheckHttpRequest) and sends it; bad input fails at
  // once, before any byte is sent.
  virtual int SendRequest(const HttpRequestInfo& request,
                          CompletionOnceCallback callback) = 0;
  // Waits for the final response's headers. OK or a net error.
  virtual int ReadResponseHeaders(CompletionOnceCallback callback) = 0;
  // Valid after ReadResponseHeaders succeeded.
  virtual const HttpResponseHeaders& response_headers() const = 0;
  // Reads body bytes into `buf` (kept alive by the caller until the callback
  // runs). Returns a byte count, 0 once the body is complete, or a net error.
  virtual int ReadResponseBody(char* buf,
                               int buf_len,
                               CompletionOnceCallback callback) = 0;
  // Appends the rest of the body to `body`; OK when it is complete.
  virtual int ReadResponseBodyToEnd(std::string* body,
                                    CompletionOnceCallback callback) = 0;

  virtual bool IsResponseBodyComplete() const = 0;
  // Whether the connection under the stream may carry another request once
  // this one is done (HTTP/1.1: keep-alive and a clean end; HTTP/2: the
  // session is still open and not going away).
  virtual bool CanReuseConnection() const = 0;
  // Fills send_start, send_end, receive_headers_end and response_end (those
  // that happened); leaves the other fields alone.
  virtual void GetLoadTimingInfo(LoadTimingInfo* load_timing_info) const = 0;
  // The header lines the last SendRequest() sent, in order, the stream's own
  // (HTTP/1.1: Host, Connection, Content-Length; HTTP/2: the pseudo-headers)
  // included; empty if it failed validation.
  virtual const std::vector<std::pair<std::string, std::string>>&
  request_headers() const = 0;
  // "http/1.1" or "h2".
  virtual const char* protocol() const = 0;
  virtual const std::string& error_message() const = 0;
};

}  // namespace net

#endif  // NET_HTTP_HTTP_STREAM_H_
