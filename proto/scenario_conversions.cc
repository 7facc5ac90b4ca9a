#include "proto/scenario_conversions.h"

#include "net/base/schemeful_site.h"

namespace prewarm {

namespace {

CookieSettings::ExceptionKind ExceptionKindFromScenario(
    scenario::CookieException::Kind kind) {
  switch (kind) {
    case scenario::CookieException::BLOCK:
      return CookieSettings::ExceptionKind::kBlock;
    case scenario::CookieException::ALLOW_THIRD_PARTY_ON_TOP_LEVEL_SITE:
      return CookieSettings::ExceptionKind::kAllowThirdPartyOnTopLevelSite;
    default:
      return CookieSettings::ExceptionKind::kAllow;
  }
}

}  // namespace

CookieSettings CookieSettingsFromScenario(
    const scenario::CookieSettings& settings) {
  CookieSettings result;
  result.set_block_third_party_cookies(settings.block_third_party_cookies());
  result.set_block_all_cookies(settings.block_all_cookies());
  if (settings.has_allow_partitioned_cookies())
    result.set_allow_partitioned_cookies(settings.allow_partitioned_cookies());
  for (const scenario::CookieException& exception : settings.exceptions()) {
    result.AddException(net::SchemefulSite(net::Url::Parse(exception.site())),
                        ExceptionKindFromScenario(exception.kind()));
  }
  return result;
}

PreconnectRequest PreconnectRequestFromScenario(
    const scenario::Preconnect& preconnect) {
  PreconnectRequest request;
  request.document_id = preconnect.document();
  request.url = preconnect.url();
  request.crossorigin = CrossOriginFromScenario(preconnect.crossorigin());
  request.purpose = PurposeFromScenario(preconnect.purpose());
  request.num_sockets = preconnect.num_sockets();
  return request;
}

PreloadRequest PreloadRequestFromScenario(const scenario::Preload& preload) {
  PreloadRequest request;
  request.document_id = preload.document();
  request.url = preload.url();
  request.as = preload.as();
  request.crossorigin = CrossOriginFromScenario(preload.crossorigin());
  request.integrity = preload.integrity();
  return request;
}

AuthorHeaders AuthorHeadersFromScenario(
    const google::protobuf::RepeatedPtrField<scenario::Header>& headers) {
  AuthorHeaders result;
  for (const scenario::Header& header : headers)
    result.emplace_back(header.name(), header.value());
  return result;
}

CrossOriginAttribute CrossOriginFromScenario(
    scenario::CrossOrigin crossorigin) {
  switch (crossorigin) {
    case scenario::ANONYMOUS:
      return CrossOriginAttribute::kAnonymous;
    case scenario::USE_CREDENTIALS:
      return CrossOriginAttribute::kUseCredentials;
    default:
      return CrossOriginAttribute::kAbsent;
  }
}

scenario::CrossOrigin CrossOriginToScenario(CrossOriginAttribute crossorigin) {
  switch (crossorigin) {
    case CrossOriginAttribute::kAnonymous:
      return scenario::ANONYMOUS;
    case CrossOriginAttribute::kUseCredentials:
      return scenario::USE_CREDENTIALS;
    case CrossOriginAttribute::kAbsent:
      break;
  }
  return scenario::CROSSORIGIN_ABSENT;
}

PreconnectPurpose PurposeFromScenario(scenario::Purpose purpose) {
  switch (purpose) {
    case scenario::SUBRESOURCE:
      return PreconnectPurpose::kSubresource;
    case scenario::NAVIGATION:
      return PreconnectPurpose::kNavigation;
    case scenario::SUBFRAME_NAVIGATION:
      return PreconnectPurpose::kSubframeNavigation;
    default:
      return PreconnectPurpose::kUnknown;
  }
}

scenario::Purpose PurposeToScenario(PreconnectPurpose purpose) {
  switch (purpose) {
    case PreconnectPurpose::kSubresource:
      return scenario::SUBRESOURCE;
    case PreconnectPurpose::kNavigation:
      return scenario::NAVIGATION;
    case PreconnectPurpose::kSubframeNavigation:
      return scenario::SUBFRAME_NAVIGATION;
    case PreconnectPurpose::kUnknown:
      break;
  }
  return scenario::PURPOSE_UNKNOWN;
}

CredentialsMode CredentialsModeFromScenario(scenario::CredentialsMode mode) {
  switch (mode) {
    case scenario::INCLUDE:
      return CredentialsMode::kInclude;
    case scenario::OMIT:
      return CredentialsMode::kOmit;
    default:
      return CredentialsMode::kSameOrigin;
  }
}

scenario::CredentialsMode CredentialsModeToScenario(CredentialsMode mode) {
  switch (mode) {
    case CredentialsMode::kInclude:
      return scenario::INCLUDE;
    case CredentialsMode::kOmit:
      return scenario::OMIT;
    case CredentialsMode::kSameOrigin:
      break;
  }
  return scenario::CREDENTIALS_SAME_ORIGIN;
}

report::Group::PrivacyMode PrivacyModeToReport(net::PrivacyMode mode) {
  switch (mode) {
    case net::PrivacyMode::kDisabled:
      return report::Group::DISABLED;
    case net::PrivacyMode::kEnabled:
      return report::Group::ENABLED;
    case net::PrivacyMode::kEnabledWithoutClientCerts:
      return report::Group::ENABLED_WITHOUT_CLIENT_CERTS;
    case net::PrivacyMode::kEnabledPartitionedStateAllowed:
      return report::Group::ENABLED_PARTITIONED_STATE_ALLOWED;
  }
  return report::Group::DISABLED;
}

report::Group ReportGroupFor(const net::Url& url,
                             const RequestPartition& partition) {
  report::Group group;
  group.set_scheme(url.scheme());
  group.set_host(url.host());
  group.set_port(url.port());
  group.set_privacy_mode(PrivacyModeToReport(partition.privacy_mode));
  const net::NetworkAnonymizationKey& nak = partition.network_anonymization_key;
  if (!nak.IsEmpty()) {
    group.set_top_frame_site(nak.top_frame_site().Serialize());
    group.set_is_cross_site(nak.is_cross_site());
  }
  return group;
}

report::Group ReportGroupForGroupId(const net::GroupId& group_id) {
  report::Group group;
  group.set_scheme(group_id.scheme());
  group.set_host(group_id.destination().host());
  group.set_port(group_id.destination().port());
  group.set_privacy_mode(PrivacyModeToReport(group_id.privacy_mode()));
  const net::NetworkAnonymizationKey& nak =
      group_id.network_anonymization_key();
  if (!nak.IsEmpty()) {
    group.set_top_frame_site(nak.top_frame_site().Serialize());
    group.set_is_cross_site(nak.is_cross_site());
  }
  return group;
}

}  // namespace prewarm
