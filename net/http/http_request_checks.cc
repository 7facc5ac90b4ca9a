#include "net/http/http_request_checks.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "net/base/net_errors.h"

namespace net {

namespace {

bool IsTokenChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsValidHeaderName(std::string_view name) {
  if (name.empty())
    return false;
  for (char c : name) {
    if (!IsTokenChar(c))
      return false;
  }
  return true;
}

bool IsValidHeaderValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) ==
         std::string_view::npos;
}

}  // namespace

bool HeaderNameIs(std::string_view name, std::string_view expected) {
  return absl::EqualsIgnoreCase(
      absl::string_view(name.data(), name.size()),
      absl::string_view(expected.data(), expected.size()));
}

int CheckHttpRequest(const HttpRequestInfo& request, std::string* message) {
  const std::string& method = request.method;
  if (method != "GET" && method != "HEAD" && method != "POST") {
    *message = absl::StrCat("method '", method,
                            "' is not supported (GET, HEAD, POST)");
    return ERR_METHOD_NOT_SUPPORTED;
  }
  const Url& url = request.url;
  if (!url.is_valid()) {
    *message = absl::StrCat("invalid URL: ", url.error_message());
    return ERR_INVALID_URL;
  }
  if (!url.SchemeIsHttpOrHttps()) {
    *message =
        absl::StrCat("scheme '", url.scheme(), "' cannot be fetched over HTTP");
    return ERR_DISALLOWED_URL_SCHEME;
  }
  if (!request.upload_body.empty() && method != "POST") {
    *message = absl::StrCat(method, " request cannot carry a body");
    return ERR_INVALID_ARGUMENT;
  }
  for (const auto& [name, value] : request.extra_headers) {
    if (!IsValidHeaderName(name)) {
      *message =
          absl::StrCat("invalid header name '", absl::CHexEscape(name), "'");
      return ERR_INVALID_ARGUMENT;
    }
    if (!IsValidHeaderValue(value)) {
      *message =
          absl::StrCat("header '", name, "' has a value with CR, LF or NUL");
      return ERR_INVALID_ARGUMENT;
    }
    if (HeaderNameIs(name, "Content-Length") ||
        HeaderNameIs(name, "Transfer-Encoding")) {
      *message = absl::StrCat("header '", name,
                              "' is set by the stream (message framing)");
      return ERR_INVALID_ARGUMENT;
    }
  }
  return OK;
}

}  // namespace net
