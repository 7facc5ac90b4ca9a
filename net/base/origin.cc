#include "net/base/origin.h"

#include <atomic>
#include <utility>

#include "absl/strings/str_cat.h"
#include "net/base/url.h"

namespace net {

namespace {

// Opaque origins only need to differ from each other within this process.
// Origins are plain values that an embedder may create on any thread, so the
// counter is atomic.
uint64_t NextOpaqueNonce() {
  static std::atomic<uint64_t> next_nonce{0};
  return next_nonce.fetch_add(1, std::memory_order_relaxed) + 1;
}

}  // namespace

Origin::Origin() : nonce_(NextOpaqueNonce()) {}

Origin::Origin(std::string scheme, std::string host, uint16_t port)
    : scheme_(std::move(scheme)), host_(std::move(host)), port_(port) {}

// static
Origin Origin::Create(const Url& url) {
  if (!url.is_valid())
    return Origin();
  return Origin(url.scheme(), url.host(), url.port());
}

bool Origin::IsSameOriginWith(const Url& url) const {
  if (opaque() || !url.is_valid())
    return false;
  return scheme_ == url.scheme() && host_ == url.host() && port_ == url.port();
}

std::string Origin::Serialize() const {
  if (opaque())
    return "null";
  const bool is_ipv6 = host_.find(':') != std::string::npos;
  std::string result = absl::StrCat(scheme_, "://", is_ipv6 ? "[" : "", host_,
                                    is_ipv6 ? "]" : "");
  if (port_ != Url::DefaultPortForScheme(scheme_))
    absl::StrAppend(&result, ":", port_);
  return result;
}

}  // namespace net
