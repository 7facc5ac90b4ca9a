#ifndef NET_HTTP_HTTP_RESPONSE_HEADERS_H_
#define NET_HTTP_HTTP_RESPONSE_HEADERS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace net {

// The status line and header fields of one HTTP/1.x response, as received:
// names keep their case and order, repeated fields stay separate entries.
// Lookups compare names case-insensitively (RFC 9110 field names are
// case-insensitive). A value type, filled by HttpResponseParser.
class HttpResponseHeaders {
 public:
  HttpResponseHeaders();
  HttpResponseHeaders(const HttpResponseHeaders&);
  HttpResponseHeaders& operator=(const HttpResponseHeaders&);
  HttpResponseHeaders(HttpResponseHeaders&&);
  HttpResponseHeaders& operator=(HttpResponseHeaders&&);
  ~HttpResponseHeaders();

  int response_code() const { return response_code_; }
  const std::string& status_text() const { return status_text_; }
  int http_major() const { return http_major_; }
  int http_minor() const { return http_minor_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const {
    return headers_;
  }

  // The value of the first field called `name`, or nullopt.
  std::optional<std::string> GetHeader(std::string_view name) const;
  // True if any field `name` has `value` as one of its comma-separated tokens
  // (case-insensitive), e.g. HasHeaderValue("connection", "close").
  bool HasHeaderValue(std::string_view name, std::string_view value) const;

  void SetStatus(int response_code,
                 std::string status_text,
                 int http_major,
                 int http_minor);
  void AddHeader(std::string name, std::string value);

 private:
  int response_code_ = 0;
  std::string status_text_;
  int http_major_ = 1;
  int http_minor_ = 1;
  std::vector<std::pair<std::string, std::string>> headers_;
};

}  // namespace net

#endif  // NET_HTTP_HTTP_RESPONSE_HEADERS_H_
