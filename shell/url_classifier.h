#ifndef SHELL_URL_CLASSIFIER_H_
#define SHELL_URL_CLASSIFIER_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/base/url.h"
#include "privacy/cookie_settings.h"
#include "privacy/document_registry.h"
#include "privacy/privacy_decider.h"

namespace prewarm {

// Explains how prewarm would see a URL: its canonical form, origin, site, and
// the partition (NAK and privacy mode) a request to it gets, either as a
// main-frame navigation or, given a top-level page, as a subresource of that
// page and as a subframe inside it. The partition comes from the real
// PrivacyDecider with default cookie settings, so this is exactly what the
// pools would use. Owns its documents and settings.
class UrlClassifier {
 public:
  struct Result {
    std::string input;
    // OK, or the parser's error code and message for a malformed URL.
    int error = 0;
    std::string error_message;

    std::string spec;
    std::string origin;
    std::string site;

    // Without a top-level page: the URL as a main-frame navigation.
    // With one: the URL as a credentialed subresource of that page.
    std::string network_anonymization_key;
    std::string privacy_mode;

    // Only with a top-level page: "same-origin", "same-site" or "cross-site",
    // and the NAK the URL would get as a subframe navigation inside the page.
    std::string relation_to_top;
    std::string subframe_network_anonymization_key;
  };

  // Classifies URLs as main-frame navigations.
  UrlClassifier();
  UrlClassifier(const UrlClassifier&) = delete;
  UrlClassifier& operator=(const UrlClassifier&) = delete;
  ~UrlClassifier();

  // Classifies URLs as requests made by the page at `top_url`. nullptr if
  // `top_url` cannot be a top-level page, with the reason in *error_message.
  static std::unique_ptr<UrlClassifier> CreateForTopLevelPage(
      std::string_view top_url,
      std::string* error_message);

  Result Classify(std::string_view url) const;

  // The canonical top-level page URL, or "" without one.
  std::string top_spec() const;

  // A few indented lines per result, for people.
  static std::string Format(const Result& result);

 private:
  CookieSettings cookie_settings_;
  PrivacyDecider decider_{&cookie_settings_};
  DocumentRegistry documents_;
};

}  // namespace prewarm

#endif  // SHELL_URL_CLASSIFIER_H_
