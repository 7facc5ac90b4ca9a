#include "host/markup_budget.h"

#include <algorithm>
#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace prewarm {

namespace {

// HTML's void elements, and those whose end tag may be omitted (the next
// sibling closes them): neither nests deeper.
constexpr std::array<std::string_view, 37> kFlatElements = {
    "area",   "base",     "br",       "col",    "embed",   "hr",       "img",
    "input",  "link",     "meta",     "param",  "source",  "track",    "wbr",
    "keygen", "basefont", "bgsound",  "frame",  "caption", "colgroup", "dd",
    "dt",     "li",       "optgroup", "option", "p",       "rb",       "rp",
    "rt",     "rtc",      "tbody",    "td",     "tfoot",   "th",       "thead",
    "tr",     "html",
};

// Elements whose content is text up to their end tag, not markup.
constexpr std::array<std::string_view, 8> kRawTextElements = {
    "script", "style",   "textarea", "title",
    "xmp",    "noembed", "noframes", "plaintext",
};

bool IsOneOf(std::string_view name, const auto& names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The index just past the first `needle` (ASCII case-insensitive; its first
// character has no case) at or after `from`, or npos.
size_t FindAfter(std::string_view html, size_t from, std::string_view needle) {
  for (size_t i = html.find(needle[0], from); i != std::string_view::npos;
       i = html.find(needle[0], i + 1)) {
    if (html.size() - i >= needle.size() &&
        absl::EqualsIgnoreCase(
            absl::string_view(html.data() + i, needle.size()),
            absl::string_view(needle.data(), needle.size()))) {
      return i + needle.size();
    }
  }
  return std::string_view::npos;
}

// Where the scan must stop for depth, or npos.
size_t DepthCut(std::string_view html, size_t max_depth) {
  size_t depth = 0;
  size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    const size_t tag_start = i;
    if (html.substr(i, 4) == "<!--") {
      i = FindAfter(html, i + 4, "-->");
      if (i == std::string_view::npos)
        break;
      continue;
    }
    const bool end_tag = i + 1 < html.size() && html[i + 1] == '/';
    size_t name_start = i + (end_tag ? 2 : 1);
    size_t name_end = name_start;
    while (name_end < html.size() &&
           (absl::ascii_isalnum(static_cast<unsigned char>(html[name_end])) ||
            html[name_end] == '-')) {
      ++name_end;
    }
    if (name_end == name_start ||
        !absl::ascii_isalpha(static_cast<unsigned char>(html[name_start]))) {
      i = tag_start + 1;  // A "<" that opens no tag is text.
      continue;
    }
    const std::string name = absl::AsciiStrToLower(
        absl::string_view(html.data() + name_start, name_end - name_start));
    const size_t close = html.find('>', name_end);
    if (close == std::string_view::npos)
      break;
    i = close + 1;
    if (IsOneOf(name, kFlatElements))
      continue;
    if (end_tag) {
      if (depth > 0 && !IsOneOf(name, kRawTextElements))
        --depth;
      continue;
    }
    if (html[close - 1] == '/')
      continue;
    if (IsOneOf(name, kRawTextElements)) {
      // Its end tag, if any, is skipped with the text.
      size_t end = FindAfter(html, i, absl::StrCat("</", name));
      if (end == std::string_view::npos)
        break;
      i = end;
      continue;
    }
    if (++depth > max_depth)
      return tag_start;
  }
  return std::string_view::npos;
}

}  // namespace

// static
size_t MarkupBudget::ScannableLength(std::string_view html,
                                     std::string* cut_off,
                                     size_t max_depth,
                                     size_t max_bytes) {
  size_t length = html.size();
  if (length > max_bytes) {
    length = max_bytes;
    *cut_off =
        absl::StrCat("the page is ", html.size(), " bytes; only the first ",
                     max_bytes, " were scanned for hints and subresources");
  }
  size_t depth_cut = DepthCut(html.substr(0, length), max_depth);
  if (depth_cut != std::string_view::npos) {
    length = depth_cut;
    *cut_off = absl::StrCat(
        "elements nest more than ", max_depth, " deep at byte ", depth_cut,
        "; the page was scanned for hints and subresources up to there");
  }
  return length;
}

}  // namespace prewarm
