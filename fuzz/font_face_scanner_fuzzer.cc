// FindFontFaceUrls on arbitrary CSS: it must finish on any input and report
// only non-empty URLs that are not data: URLs. (A reported URL need not be a
// substring of the input: the scanner drops comments before it looks for
// url(), as its contract says.)

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/strings/match.h"
#include "fuzz/fuzz_check.h"
#include "host/font_face_scanner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view css(reinterpret_cast<const char*>(data), size);
  for (const std::string& url : prewarm::FindFontFaceUrls(css)) {
    FUZZ_CHECK(!url.empty(), "empty font URL");
    FUZZ_CHECK(!absl::StartsWithIgnoreCase(url, "data:"),
               "data: URL reported: %s", url.c_str());
  }
  return 0;
}
