#ifndef NET_HTTP_HTTP_REQUEST_CHECKS_H_
#define NET_HTTP_HTTP_REQUEST_CHECKS_H_

#include <string>
#include <string_view>

#include "net/http/http_request_info.h"

namespace net {

// What every HTTP version requires of a request before a byte of it is sent:
// a supported method (GET, HEAD, POST; else ERR_METHOD_NOT_SUPPORTED), a
// valid http(s) URL (ERR_INVALID_URL, ERR_DISALLOWED_URL_SCHEME), no body
// on GET/HEAD, header names that are tokens, values without CR/LF/NUL, and
// no framing header (Content-Length, Transfer-Encoding) from the caller, since
// framing is the stream's job (all ERR_INVALID_ARGUMENT). Returns OK, or the
// error with `message` saying which rule failed. HttpBasicStream and
// Http2Stream share it so that both protocols refuse the same input.
int CheckHttpRequest(const HttpRequestInfo& request, std::string* message);

// Case-insensitive header name comparison (RFC 9110 field names).
bool HeaderNameIs(std::string_view name, std::string_view expected);

}  // namespace net

#endif  // NET_HTTP_HTTP_REQUEST_CHECKS_H_
