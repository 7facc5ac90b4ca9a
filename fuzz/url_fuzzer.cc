// Url::Parse and Url::Resolve on arbitrary bytes. Invariants: a valid URL has
// a host, and its canonical spec parses back to the same URL (same spec, host
// and port), so nothing keyed by a spec (groups, sites, reports) can split.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "net/base/schemeful_site.h"
#include "net/base/url.h"

namespace {

void CheckCanonical(const net::Url& url, std::string_view input) {
  if (!url.is_valid()) {
    FUZZ_CHECK(!url.error_message().empty(), "no message for '%.*s'",
               static_cast<int>(input.size()), input.data());
    return;
  }
  FUZZ_CHECK(!url.host().empty(), "empty host from '%.*s'",
             static_cast<int>(input.size()), input.data());
  const net::Url reparsed = net::Url::Parse(url.spec());
  FUZZ_CHECK(reparsed.is_valid(), "'%s' does not parse back: %s",
             url.spec().c_str(), reparsed.error_message().c_str());
  FUZZ_CHECK(reparsed.spec() == url.spec(), "'%s' parses back as '%s'",
             url.spec().c_str(), reparsed.spec().c_str());
  FUZZ_CHECK(reparsed.host() == url.host() && reparsed.port() == url.port(),
             "'%s' changes host or port when parsed again", url.spec().c_str());
  // A site is never the empty-host site every such URL would share.
  const net::SchemefulSite site(url);
  FUZZ_CHECK(!site.registrable_domain().empty(), "empty site for '%s'",
             url.spec().c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckCanonical(net::Url::Parse(input), input);
  static const net::Url base = net::Url::Parse("https://example.org/a/b?c");
  CheckCanonical(net::Url::Resolve(base, input), input);
  return 0;
}
