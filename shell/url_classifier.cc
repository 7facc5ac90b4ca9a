#include "shell/url_classifier.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "net/base/net_errors.h"
#include "net/base/origin.h"
#include "net/base/schemeful_site.h"
#include "privacy/request_context.h"

namespace prewarm {

namespace {

constexpr char kTopDocumentId[] = "top";

}  // namespace

UrlClassifier::UrlClassifier() = default;
UrlClassifier::~UrlClassifier() = default;

// static
std::unique_ptr<UrlClassifier> UrlClassifier::CreateForTopLevelPage(
    std::string_view top_url,
    std::string* error_message) {
  auto classifier = std::make_unique<UrlClassifier>();
  const net::Url url = net::Url::Parse(top_url);
  if (!url.is_valid()) {
    *error_message = absl::StrCat(net::ErrorToShortString(url.error()), ": ",
                                  url.error_message());
    return nullptr;
  }
  DocumentRegistry::Result commit =
      classifier->documents_.CommitMainFrame(kTopDocumentId, url);
  if (!commit.ok()) {
    *error_message = absl::StrCat(net::ErrorToShortString(commit.error), ": ",
                                  commit.message);
    return nullptr;
  }
  return classifier;
}

UrlClassifier::Result UrlClassifier::Classify(std::string_view input) const {
  Result result;
  result.input = std::string(input);
  const net::Url url = net::Url::Parse(input);
  if (!url.is_valid()) {
    result.error = url.error();
    result.error_message = url.error_message();
    return result;
  }
  const net::Origin origin = net::Origin::Create(url);
  const net::SchemefulSite site(url);
  result.spec = url.spec();
  result.origin = origin.Serialize();
  result.site = site.Serialize();

  const Document* top = documents_.main_frame();
  if (top == nullptr) {
    const RequestPartition partition =
        decider_.PrivacyModeFor(RequestContext::MainFrameNavigation(url));
    result.network_anonymization_key =
        partition.network_anonymization_key.ToDebugString();
    result.privacy_mode =
        std::string(net::PrivacyModeToString(partition.privacy_mode));
    return result;
  }

  const RequestPartition subresource = decider_.PrivacyModeFor(
      RequestContext::Subresource(*top, url, /*credentials_allowed=*/true));
  result.network_anonymization_key =
      subresource.network_anonymization_key.ToDebugString();
  result.privacy_mode =
      std::string(net::PrivacyModeToString(subresource.privacy_mode));
  result.subframe_network_anonymization_key =
      decider_
          .NetworkAnonymizationKeyFor(
              RequestContext::SubframeNavigation(*top, url))
          .ToDebugString();
  if (top->origin().IsSameOriginWith(origin))
    result.relation_to_top = "same-origin";
  else if (top->site() == site)
    result.relation_to_top = "same-site";
  else
    result.relation_to_top = "cross-site";
  return result;
}

std::string UrlClassifier::top_spec() const {
  const Document* top = documents_.main_frame();
  return top ? top->url().spec() : std::string();
}

// static
std::string UrlClassifier::Format(const Result& result) {
  std::string text = absl::StrCat(result.input, "\n");
  if (result.error != net::OK) {
    absl::StrAppend(&text,
                    "  error:       ", net::ErrorToShortString(result.error),
                    ": ", result.error_message, "\n");
    return text;
  }
  absl::StrAppend(&text, "  spec:        ", result.spec, "\n",
                  "  origin:      ", result.origin, "\n",
                  "  site:        ", result.site, "\n");
  if (result.relation_to_top.empty()) {
    absl::StrAppend(&text, "  navigation:  NAK ",
                    result.network_anonymization_key, ", privacy mode ",
                    result.privacy_mode, "\n");
    return text;
  }
  absl::StrAppend(&text, "  to top:      ", result.relation_to_top, "\n",
                  "  subresource: NAK ", result.network_anonymization_key,
                  ", privacy mode ", result.privacy_mode,
                  " (credentialed, default cookie settings)\n",
                  "  subframe:    NAK ",
                  result.subframe_network_anonymization_key, "\n");
  return text;
}

}  // namespace prewarm
