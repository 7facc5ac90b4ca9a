#ifndef HOST_MARKUP_BUDGET_H_
#define HOST_MARKUP_BUDGET_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace prewarm {

// Decides how much of a page PageScanner hands to gumbo. A page is the
// server's (or an attacker's) choice, and gumbo 0.10 has no limits of its
// own: its tree construction looks through the stack of open elements for
// every tag, so a page of nested elements costs time quadratic in its depth
// (80,000 nested <div>s: 18 s). So the scan stops before the first start tag
// that would nest elements more than kMaxNestingDepth deep, and after
// kMaxPageBytes bytes; the part before the cut is scanned as usual.
//
// The depth is a quick estimate from the tags alone, counted as a tree
// builder would for markup that closes what it opens: comments and the text
// of raw-text elements (<script>, <style>, ...) are skipped, and void
// elements, self-closing tags and elements whose end tag HTML lets one omit
// (<p>, <li>, <td>, ...) do not nest. Stateless.
class MarkupBudget {
 public:
  // Blink's parser caps the DOM depth at 512 (kMaximumHTMLParserDOMTreeDepth).
  static constexpr size_t kMaxNestingDepth = 512;
  static constexpr size_t kMaxPageBytes = 2 * 1024 * 1024;

  // How many leading bytes of `html` to scan: all of it, or fewer with
  // *cut_off saying which bound cut it and where (left alone otherwise).
  static size_t ScannableLength(std::string_view html,
                                std::string* cut_off,
                                size_t max_depth = kMaxNestingDepth,
                                size_t max_bytes = kMaxPageBytes);
};

}  // namespace prewarm

#endif  // HOST_MARKUP_BUDGET_H_
