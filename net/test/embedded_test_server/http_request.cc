#include "net/test/embedded_test_server/http_request.h"

#include <algorithm>
#include <cctype>

namespace net::test_server {

bool HttpRequest::CaseInsensitiveLess::operator()(std::string_view a,
                                                  std::string_view b) const {
  return std::lexicographical_compare(
      a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) <
               std::tolower(static_cast<unsigned char>(y));
      });
}

HttpRequest::HttpRequest() = default;
HttpRequest::HttpRequest(const HttpRequest&) = default;
HttpRequest& HttpRequest::operator=(const HttpRequest&) = default;
HttpRequest::~HttpRequest() = default;

std::string HttpRequest::GetHeader(std::string_view name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

}  // namespace net::test_server
