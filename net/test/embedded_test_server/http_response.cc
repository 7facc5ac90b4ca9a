#include "net/test/embedded_test_server/http_response.h"

#include "absl/strings/str_cat.h"

namespace net::test_server {

namespace {

const char* ReasonPhrase(int code) {
  switch (code) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 500:
      return "Internal Server Error";
    default:
      return "Status";
  }
}

}  // namespace

HttpResponse::HttpResponse() = default;
HttpResponse::HttpResponse(const HttpResponse&) = default;
HttpResponse& HttpResponse::operator=(const HttpResponse&) = default;
HttpResponse::~HttpResponse() = default;

void HttpResponse::AddCustomHeader(std::string name, std::string value) {
  custom_headers_.emplace_back(std::move(name), std::move(value));
}

std::string HttpResponse::HeadersToString() const {
  std::string headers =
      absl::StrCat("HTTP/1.1 ", code_, " ", ReasonPhrase(code_), "\r\n");
  if (!content_type_.empty())
    absl::StrAppend(&headers, "Content-Type: ", content_type_, "\r\n");
  absl::StrAppend(&headers, "Content-Length: ", content_.size(), "\r\n");
  absl::StrAppend(&headers,
                  "Connection: ", close_connection_ ? "close" : "keep-alive",
                  "\r\n");
  for (const auto& [name, value] : custom_headers_)
    absl::StrAppend(&headers, name, ": ", value, "\r\n");
  headers += "\r\n";
  return headers;
}

std::string HttpResponse::ToString() const {
  return HeadersToString() + content_;
}

}  // namespace net::test_server
