#include "host/font_face_scanner.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace prewarm {

namespace {

absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         absl::EqualsIgnoreCase(ToAbsl(text.substr(0, prefix.size())),
                                ToAbsl(prefix));
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && absl::ascii_isspace(static_cast<unsigned char>(s[0])))
    s.remove_prefix(1);
  while (!s.empty() &&
         absl::ascii_isspace(static_cast<unsigned char>(s.back()))) {
    s.remove_suffix(1);
  }
  return s;
}

// `css` without /* comments */ (an unterminated one runs to the end).
std::string StripComments(std::string_view css) {
  std::string out;
  out.reserve(css.size());
  size_t i = 0;
  while (i < css.size()) {
    if (css.compare(i, 2, "/*") == 0) {
      size_t end = css.find("*/", i + 2);
      if (end == std::string_view::npos)
        break;
      i = end + 2;
      out.push_back(' ');
      continue;
    }
    out.push_back(css[i++]);
  }
  return out;
}

// The url(...) arguments in a descriptor value.
void AppendUrls(std::string_view value, std::vector<std::string>* urls) {
  size_t i = 0;
  while (i + 4 <= value.size()) {
    if (!StartsWithIgnoreCase(value.substr(i), "url(")) {
      ++i;
      continue;
    }
    i += 4;
    while (i < value.size() &&
           absl::ascii_isspace(static_cast<unsigned char>(value[i]))) {
      ++i;
    }
    std::string_view url;
    if (i < value.size() && (value[i] == '"' || value[i] == '\'')) {
      const char quote = value[i++];
      size_t end = value.find(quote, i);
      if (end == std::string_view::npos)
        return;
      url = value.substr(i, end - i);
      i = end + 1;
    } else {
      size_t end = value.find(')', i);
      if (end == std::string_view::npos)
        return;
      url = Trim(value.substr(i, end - i));
      i = end + 1;
    }
    if (!url.empty() && !StartsWithIgnoreCase(url, "data:"))
      urls->emplace_back(url);
  }
}

// The `src` descriptors of one @font-face block body.
void ScanFontFaceBlock(std::string_view block, std::vector<std::string>* urls) {
  size_t start = 0;
  while (start < block.size()) {
    // Declarations end at ';' outside quotes and parentheses.
    size_t end = start;
    char quote = 0;
    int depth = 0;
    for (; end < block.size(); ++end) {
      char c = block[end];
      if (quote) {
        if (c == quote)
          quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && depth > 0) {
        --depth;
      } else if (c == ';' && depth == 0) {
        break;
      }
    }
    std::string_view declaration = block.substr(start, end - start);
    size_t colon = declaration.find(':');
    if (colon != std::string_view::npos &&
        absl::EqualsIgnoreCase(ToAbsl(Trim(declaration.substr(0, colon))),
                               "src")) {
      AppendUrls(declaration.substr(colon + 1), urls);
    }
    start = end + 1;
  }
}

}  // namespace

std::vector<std::string> FindFontFaceUrls(std::string_view css) {
  const std::string text = StripComments(css);
  const std::string_view view = text;
  std::vector<std::string> urls;
  size_t i = 0;
  while ((i = view.find('@', i)) != std::string_view::npos) {
    if (!StartsWithIgnoreCase(view.substr(i), "@font-face")) {
      ++i;
      continue;
    }
    size_t open = view.find('{', i);
    if (open == std::string_view::npos)
      break;
    size_t close = view.find('}', open + 1);
    ScanFontFaceBlock(view.substr(open + 1, close == std::string_view::npos
                                                ? std::string_view::npos
                                                : close - open - 1),
                      &urls);
    if (close == std::string_view::npos)
      break;
    i = close + 1;
  }
  return urls;
}

}  // namespace prewarm
