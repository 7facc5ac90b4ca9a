#ifndef NET_HTTP_HTTP_REQUEST_INFO_H_
#define NET_HTTP_HTTP_REQUEST_INFO_H_

#include <string>
#include <utility>
#include <vector>

#include "net/base/url.h"

namespace net {

// What to send: method, URL and extra header fields, plus a body for POST. A
// value type. HttpBasicStream validates it when sending (method, URL scheme,
// header syntax) and adds Host, Connection and Content-Length itself, because
// message framing is the stream's job.
struct HttpRequestInfo {
  HttpRequestInfo();
  HttpRequestInfo(const HttpRequestInfo&);
  HttpRequestInfo& operator=(const HttpRequestInfo&);
  HttpRequestInfo(HttpRequestInfo&&);
  HttpRequestInfo& operator=(HttpRequestInfo&&);
  ~HttpRequestInfo();

  // "GET", "HEAD" or "POST".
  std::string method = "GET";
  Url url;
  // Sent in this order after the stream's own fields. A "Host" here replaces
  // the URL-derived one; "Connection: close" makes the connection not reusable.
  std::vector<std::pair<std::string, std::string>> extra_headers;
  // Sent with a Content-Length; only POST may carry one.
  std::string upload_body;
};

}  // namespace net

#endif  // NET_HTTP_HTTP_REQUEST_INFO_H_
