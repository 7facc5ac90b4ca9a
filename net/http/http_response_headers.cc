#include "net/http/http_response_headers.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace net {

namespace {

absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

}  // namespace

HttpResponseHeaders::HttpResponseHeaders() = default;
HttpResponseHeaders::HttpResponseHeaders(const HttpResponseHeaders&) = default;
HttpResponseHeaders& HttpResponseHeaders::operator=(
    const HttpResponseHeaders&) = default;
HttpResponseHeaders::HttpResponseHeaders(HttpResponseHeaders&&) = default;
HttpResponseHeaders& HttpResponseHeaders::operator=(HttpResponseHeaders&&) =
    default;
HttpResponseHeaders::~HttpResponseHeaders() = default;

std::optional<std::string> HttpResponseHeaders::GetHeader(
    std::string_view name) const {
  for (const auto& [field, value] : headers_) {
    if (absl::EqualsIgnoreCase(field, ToAbsl(name)))
      return value;
  }
  return std::nullopt;
}

bool HttpResponseHeaders::HasHeaderValue(std::string_view name,
                                         std::string_view value) const {
  for (const auto& [field, field_value] : headers_) {
    if (!absl::EqualsIgnoreCase(field, ToAbsl(name)))
      continue;
    for (absl::string_view token : absl::StrSplit(field_value, ',')) {
      if (absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(token),
                                 ToAbsl(value))) {
        return true;
      }
    }
  }
  return false;
}

void HttpResponseHeaders::SetStatus(int response_code,
                                    std::string status_text,
                                    int http_major,
                                    int http_minor) {
  response_code_ = response_code;
  status_text_ = std::move(status_text);
  http_major_ = http_major;
  http_minor_ = http_minor;
}

void HttpResponseHeaders::AddHeader(std::string name, std::string value) {
  headers_.emplace_back(std::move(name), std::move(value));
}

}  // namespace net
