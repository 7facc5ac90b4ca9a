#include "net/base/host_port_pair.h"

#include <boost/url/parse.hpp>
#include <utility>

#include "absl/strings/str_cat.h"
#include "net/base/url.h"

namespace net {

HostPortPair::HostPortPair(std::string host, uint16_t port)
    : host_(std::move(host)), port_(port) {}

// static
HostPortPair HostPortPair::FromUrl(const Url& url) {
  return HostPortPair(url.host(), url.port());
}

// static
std::optional<HostPortPair> HostPortPair::FromString(std::string_view text) {
  // RFC 3986 authority grammar via Boost.URL; userinfo has no place in a
  // host:port.
  auto authority = boost::urls::parse_authority(
      boost::urls::string_view(text.data(), text.size()));
  if (!authority || authority->has_userinfo() || !authority->has_port())
    return std::nullopt;
  const auto port_text = authority->port();
  if (port_text.empty() || port_text.size() > 5)
    return std::nullopt;
  uint32_t port = 0;
  for (char c : port_text)
    port = port * 10 + static_cast<uint32_t>(c - '0');
  if (port > 65535)
    return std::nullopt;
  std::string host;
  switch (authority->host_type()) {
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::ipv6:
      host = std::string(authority->encoded_host_address());
      break;
    case boost::urls::host_type::name:
      // Percent-escapes have no meaning in a bare host:port.
      if (authority->encoded_host().find('%') != boost::urls::string_view::npos)
        return std::nullopt;
      host = std::string(authority->encoded_host());
      break;
    case boost::urls::host_type::ipvfuture:
    case boost::urls::host_type::none:
      return std::nullopt;
  }
  if (host.empty())
    return std::nullopt;
  return HostPortPair(std::move(host), static_cast<uint16_t>(port));
}

std::string HostPortPair::ToString() const {
  return absl::StrCat(HostForUrl(), ":", port_);
}

std::string HostPortPair::HostForUrl() const {
  if (host_.find(':') != std::string::npos)
    return absl::StrCat("[", host_, "]");
  return host_;
}

}  // namespace net
