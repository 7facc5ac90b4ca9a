#ifndef HOST_FONT_FACE_SCANNER_H_
#define HOST_FONT_FACE_SCANNER_H_

#include <string>
#include <string_view>
#include <vector>

namespace prewarm {

// The font URLs a stylesheet asks for: every url(...) inside the `src`
// descriptor of an @font-face rule, in order, as written (relative URLs are
// the caller's to resolve against the stylesheet's URL). data: URLs are left
// out (they need no request). There is no CSS parser in the stack, so this is
// a deliberately small scan: comments are skipped, quotes in url() are
// honoured, nothing else about CSS is interpreted. Malformed CSS yields the
// URLs it can find, never an error. A pure function.
std::vector<std::string> FindFontFaceUrls(std::string_view css);

}  // namespace prewarm

#endif  // HOST_FONT_FACE_SCANNER_H_
