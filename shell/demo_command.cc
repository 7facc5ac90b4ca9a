#include "shell/demo_command.h"

#include "shell/classify_command.h"

namespace prewarm {

namespace {

constexpr char kTopLevelPage[] = "https://news.example/article";

// Top-level pages on sibling hosts of a private registry get separate
// partitions.
constexpr const char* kDemoNavigations[] = {
    "https://alice.github.io/",
    "https://bob.github.io/",
    "https://www.example.co.uk/",
};

// Each entry shows one rule of docs/pool-selection.md section 1.
constexpr const char* kDemoSubresources[] = {
    "https://cdn.news.example/app.js",        // same site, other host
    "https://fonts.example.net:443/a.woff2",  // cross-site, :443 dropped
    "https://bücher.example/",                // IDNA -> punycode
    "https://alice.github.io/",               // PSL private section
    "https://bob.github.io/",                 // ... a different site
    "https://www.example.co.uk/",             // multi-label ICANN suffix
    "http://127.0.0.1:8080/",                 // IP literal is its own site
    "https://[2001:db8::1]/",                 // IPv6 literal
    "HTTPS://NEWS.EXAMPLE/a/../b?q#frag",     // canonicalisation
    "ftp://files.example/",                   // unsupported scheme
    "https://exa mple.com/",                  // space
    "https://example.com:65536/",             // port out of range
    "https://xn--zz.example/",                // bad punycode
};

}  // namespace

std::string_view DemoCommand::name() const {
  return "demo";
}

std::string_view DemoCommand::summary() const {
  return "show how prewarm classifies and partitions a set of example URLs";
}

int DemoCommand::Run(const std::vector<std::string>& args,
                     std::ostream& out,
                     std::ostream& err) {
  if (!args.empty()) {
    err << "demo: takes no arguments\n";
    return 2;
  }
  out << "prewarm demo: how URLs map to origins, sites and connection "
         "partitions\n"
         "(the page-load demo will replace this)\n\n";
  const std::vector<std::string> navigations(std::begin(kDemoNavigations),
                                             std::end(kDemoNavigations));
  if (ClassifyCommand().Run(navigations, out, err) != 0)
    return 1;
  out << "\n";
  std::vector<std::string> subresources(std::begin(kDemoSubresources),
                                        std::end(kDemoSubresources));
  subresources.push_back(std::string("--top=") + kTopLevelPage);
  // The malformed entries are part of the show, so their exit status 1 is
  // expected; a usage error (2) would be a bug in this list.
  return ClassifyCommand().Run(subresources, out, err) == 2 ? 2 : 0;
}

}  // namespace prewarm
