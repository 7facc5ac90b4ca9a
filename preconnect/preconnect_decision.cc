#include "preconnect/preconnect_decision.h"

#include <utility>

#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/base/origin.h"
#include "preconnect/preconnect_diagnostics.h"
#include "privacy/request_context.h"

namespace prewarm {

namespace {

PreconnectTarget Ignored(const PreconnectRequest& request,
                         int error,
                         std::string_view detail) {
  PreconnectTarget target;
  target.error = error;
  target.diagnostic = DescribeIgnoredHint("preconnect", error, request.url,
                                          request.document_id, detail);
  return target;
}

// HTML's rule: anonymous (including empty and invalid values) drops
// credentials only for a cross-origin URL.
bool SpecCredentialsAllowed(const PreconnectRequest& request,
                            const net::Url& url,
                            const Document& document) {
  return request.crossorigin != CrossOriginAttribute::kAnonymous ||
         document.origin().IsSameOriginWith(net::Origin::Create(url));
}

PreconnectPurpose LoadPhasePurpose(const Document& document) {
  return document.load_phase() == LoadPhase::kLoading
             ? PreconnectPurpose::kSubresource
             : PreconnectPurpose::kNavigation;
}

RequestContext ContextFor(PreconnectPurpose purpose,
                          const net::Url& url,
                          const Document& document,
                          bool credentials_allowed) {
  if (purpose == PreconnectPurpose::kNavigation)
    return RequestContext::MainFrameNavigation(url);
  if (purpose == PreconnectPurpose::kSubframeNavigation)
    return RequestContext::SubframeNavigation(document, url);
  return RequestContext::Subresource(document, url, credentials_allowed);
}

void DecideChromium(const PreconnectRequest& request,
                    const Document& document,
                    const PrivacyDecider& privacy,
                    PreconnectTarget* target) {
  bool credentials = request.crossorigin != CrossOriginAttribute::kAnonymous;
  if (request.purpose == PreconnectPurpose::kNavigation) {
    target->purpose = PreconnectPurpose::kNavigation;
    target->purpose_source = PurposeSource::kExplicit;
  } else {
    target->purpose = PreconnectPurpose::kSubresource;
    target->purpose_source = request.purpose == PreconnectPurpose::kSubresource
                                 ? PurposeSource::kExplicit
                                 : PurposeSource::kPolicy;
  }
  RequestContext context =
      ContextFor(target->purpose, target->url, document, credentials);
  // Cookie settings never reach Chromium's preconnect path; the decision is
  // kept only for diagnostics.
  target->partition.network_anonymization_key =
      privacy.NetworkAnonymizationKeyFor(context);
  target->partition.cookie_decision = privacy.CookieDecisionFor(context);
  target->partition.credentials_allowed = credentials;
  target->partition.privacy_mode =
      credentials ? net::PrivacyMode::kDisabled : net::PrivacyMode::kEnabled;
}

void DecideSinglePool(const Document& document,
                      const PrivacyDecider& privacy,
                      PreconnectTarget* target) {
  target->purpose = PreconnectPurpose::kSubresource;
  target->purpose_source = PurposeSource::kPolicy;
  RequestContext context =
      RequestContext::Subresource(document, target->url, true);
  target->partition.network_anonymization_key =
      privacy.NetworkAnonymizationKeyFor(context);
  target->partition.cookie_decision = privacy.CookieDecisionFor(context);
  target->partition.credentials_allowed = true;
  target->partition.privacy_mode = net::PrivacyMode::kDisabled;
}

}  // namespace

PreconnectTarget DecidePreconnectGroup(
    PreconnectPolicy policy,
    const PreconnectRequest& request,
    const Document* document,
    const PrivacyDecider& privacy,
    const LearnedPreconnectCorrections* learned,
    absl::Time now) {
  DCHECK(privacy.options().uncredentialed_privacy_mode ==
         PrivacyOptionsFor(policy, privacy.options().partition_connections)
             .uncredentialed_privacy_mode);
  if (!document)
    return Ignored(request, net::ERR_UNKNOWN_DOCUMENT, "");
  if (request.url.empty())
    return Ignored(request, net::ERR_INVALID_URL, "");
  net::Url url = net::Url::Parse(request.url);
  if (!url.is_valid()) {
    // Any scheme the parser does not know (data:, ftp:, javascript:...) is
    // reported as a scheme problem, which is what the author needs to hear.
    int error = url.error() == net::ERR_UNKNOWN_URL_SCHEME
                    ? net::ERR_DISALLOWED_URL_SCHEME
                    : net::ERR_INVALID_URL;
    return Ignored(request, error, url.error_message());
  }
  if (!url.SchemeIsHttpOrHttps())
    return Ignored(request, net::ERR_DISALLOWED_URL_SCHEME, "");

  PreconnectTarget target;
  target.url = std::move(url);
  target.num_sockets = request.effective_num_sockets();

  switch (policy) {
    case PreconnectPolicy::kChromium:
      DecideChromium(request, *document, privacy, &target);
      return target;
    case PreconnectPolicy::kSinglePool:
      DecideSinglePool(*document, privacy, &target);
      return target;
    case PreconnectPolicy::kSeed:
      target.purpose = LoadPhasePurpose(*document);
      target.purpose_source = PurposeSource::kLoadPhase;
      break;
    case PreconnectPolicy::kPrewarm:
      if (request.purpose != PreconnectPurpose::kUnknown) {
        target.purpose = request.purpose;
        target.purpose_source = PurposeSource::kExplicit;
      } else if (request.crossorigin != CrossOriginAttribute::kAbsent) {
        target.purpose = PreconnectPurpose::kSubresource;
        target.purpose_source = PurposeSource::kCrossOriginAttribute;
      } else {
        target.purpose = LoadPhasePurpose(*document);
        target.purpose_source = PurposeSource::kLoadPhase;
      }
      break;
  }

  bool credentials = SpecCredentialsAllowed(request, target.url, *document);
  target.partition = privacy.PrivacyModeFor(
      ContextFor(target.purpose, target.url, *document, credentials));

  if (policy == PreconnectPolicy::kPrewarm && learned &&
      target.purpose_source != PurposeSource::kExplicit) {
    std::optional<LearnedPreconnectCorrections::Correction> correction =
        learned->CorrectionFor(document->top_frame_site(),
                               net::Origin::Create(target.url),
                               target.partition, now);
    if (correction) {
      target.purpose = correction->purpose;
      target.purpose_source = PurposeSource::kLearned;
      target.partition = correction->partition;
    }
  }
  return target;
}

}  // namespace prewarm
