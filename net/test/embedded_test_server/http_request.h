#ifndef NET_TEST_EMBEDDED_TEST_SERVER_HTTP_REQUEST_H_
#define NET_TEST_EMBEDDED_TEST_SERVER_HTTP_REQUEST_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace net::test_server {

// One request as the EmbeddedTestServer parsed it (with llhttp). Header names
// compare case-insensitively; a repeated header keeps its last value. A value
// type.
struct HttpRequest {
  struct CaseInsensitiveLess {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const;
  };

  HttpRequest();
  HttpRequest(const HttpRequest&);
  HttpRequest& operator=(const HttpRequest&);
  ~HttpRequest();

  // The value of header `name`, or "" if absent.
  std::string GetHeader(std::string_view name) const;

  std::string method;        // "GET"
  std::string relative_url;  // "/path?query", as sent
  std::map<std::string, std::string, CaseInsensitiveLess> headers;
  std::string content;
  // Which accepted connection carried it (1 for the first); tests use it to
  // prove reuse.
  int connection_id = 0;
  // The TLS server name the client sent, "" for HTTP or no SNI.
  std::string sni_host;
  // "http/1.1" or "h2".
  std::string protocol = "http/1.1";
  // HTTP/2: the streams open on the connection when this request arrived
  // (itself included); tests use it to check SETTINGS_MAX_CONCURRENT_STREAMS.
  size_t open_streams = 1;
};

}  // namespace net::test_server

#endif  // NET_TEST_EMBEDDED_TEST_SERVER_HTTP_REQUEST_H_
