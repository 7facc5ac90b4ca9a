#include "net/http/http_request_info.h"

namespace net {

HttpRequestInfo::HttpRequestInfo() = default;
HttpRequestInfo::HttpRequestInfo(const HttpRequestInfo&) = default;
HttpRequestInfo& HttpRequestInfo::operator=(const HttpRequestInfo&) = default;
HttpRequestInfo::HttpRequestInfo(HttpRequestInfo&&) = default;
HttpRequestInfo& HttpRequestInfo::operator=(HttpRequestInfo&&) = default;
HttpRequestInfo::~HttpRequestInfo() = default;

}  // namespace net
