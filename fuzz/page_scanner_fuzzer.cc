// PageScanner (gumbo) on arbitrary HTML. Any byte string is some document:
// the scan must finish, and every URL it reports that parses is a canonical
// URL with a host.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "host/page_scanner.h"
#include "net/base/url.h"

namespace {

void CheckUrl(const std::string& text) {
  const net::Url url = net::Url::Parse(text);
  if (url.is_valid()) {
    FUZZ_CHECK(!url.host().empty(), "reported URL '%s' has no host",
               text.c_str());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const net::Url document_url =
      net::Url::Parse("https://news.example/articles/today.html");
  const prewarm::PageScan scan = prewarm::PageScanner::Scan(
      std::string_view(reinterpret_cast<const char*>(data), size),
      document_url);
  for (const prewarm::PageHint& hint : scan.hints)
    CheckUrl(hint.url);
  for (const prewarm::Subresource& subresource : scan.subresources)
    CheckUrl(subresource.url);
  return 0;
}
