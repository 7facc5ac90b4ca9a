#include "net/base/schemeful_site.h"

#include <libpsl.h>

#include <string_view>

#include "net/base/ip_address.h"
#include "net/base/origin.h"
#include "net/base/url.h"

namespace net {

namespace {

constexpr char kDistroPslPath[] =
    "/usr/share/publicsuffix/public_suffix_list.dafsa";

// The PSL is loaded once per process and never freed (a function-local static
// that stays reachable). The system list from Debian's publicsuffix package is
// preferred: it is updated with the OS, independently of this binary. If it is
// missing (a minimal container), psl_latest() takes the newer of libpsl's
// distro file and its compiled-in list, and psl_builtin() is the last resort;
// both carry the private section too.
const psl_ctx_t* GetPsl() {
  static const psl_ctx_t* const psl = [] {
    if (psl_ctx_t* loaded = psl_load_file(kDistroPslPath))
      return static_cast<const psl_ctx_t*>(loaded);
    if (psl_ctx_t* latest = psl_latest(nullptr))
      return static_cast<const psl_ctx_t*>(latest);
    return psl_builtin();
  }();
  return psl;
}

std::string_view SiteSchemeFor(std::string_view scheme) {
  if (scheme == "ws")
    return "http";
  if (scheme == "wss")
    return "https";
  return scheme;
}

// The registrable domain of a canonical host, or the host itself when it has
// none: an IP literal, localhost, or a host that is itself a public suffix.
std::string RegistrableDomainOrHost(const std::string& host) {
  if (host.find(':') != std::string::npos || IPAddress::FromString(host))
    return host;
  const psl_ctx_t* psl = GetPsl();
  if (psl == nullptr)
    return host;
  const char* domain = psl_registrable_domain(psl, host.c_str());
  return domain ? std::string(domain) : host;
}

}  // namespace

SchemefulSite::SchemefulSite(const Origin& origin) {
  if (origin.opaque()) {
    // The site of an opaque origin is that origin: equal to itself only.
    nonce_ = origin.nonce_;
    return;
  }
  scheme_ = std::string(SiteSchemeFor(origin.scheme()));
  registrable_domain_ = RegistrableDomainOrHost(origin.host());
}

SchemefulSite::SchemefulSite(const Url& url)
    : SchemefulSite(Origin::Create(url)) {}

std::string SchemefulSite::Serialize() const {
  if (opaque())
    return "null";
  if (is_empty())
    return std::string();
  const bool is_ipv6 = registrable_domain_.find(':') != std::string::npos;
  if (is_ipv6)
    return scheme_ + "://[" + registrable_domain_ + "]";
  return scheme_ + "://" + registrable_domain_;
}

}  // namespace net
