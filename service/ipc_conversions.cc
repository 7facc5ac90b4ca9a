#include "service/ipc_conversions.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "net/base/host_port_pair.h"
#include "net/base/net_errors.h"
#include "net/base/network_anonymization_key.h"
#include "net/base/schemeful_site.h"
#include "net/base/url.h"
#include "proto/scenario_conversions.h"

namespace prewarm {

namespace {

net::PrivacyMode PrivacyModeFromReport(report::Group::PrivacyMode mode) {
  switch (mode) {
    case report::Group::ENABLED:
      return net::PrivacyMode::kEnabled;
    case report::Group::ENABLED_WITHOUT_CLIENT_CERTS:
      return net::PrivacyMode::kEnabledWithoutClientCerts;
    case report::Group::ENABLED_PARTITIONED_STATE_ALLOWED:
      return net::PrivacyMode::kEnabledPartitionedStateAllowed;
    default:
      return net::PrivacyMode::kDisabled;
  }
}

net::NetworkAnonymizationKey NakFromIpc(const std::string& top_frame_site,
                                        bool is_cross_site) {
  if (top_frame_site.empty())
    return net::NetworkAnonymizationKey();
  return net::NetworkAnonymizationKey(
      net::SchemefulSite(net::Url::Parse(top_frame_site)), is_cross_site);
}

// A limit from the wire: absent keeps the default, 0 and values past INT_MAX
// are refused.
int CheckLimit(const char* field,
               bool present,
               uint32_t value,
               int* out,
               std::string* message) {
  if (!present)
    return net::OK;
  if (value == 0 ||
      value > static_cast<uint32_t>(std::numeric_limits<int>::max())) {
    *message = absl::StrCat("pool_config.", field, " must be 1 to ",
                            std::numeric_limits<int>::max(), ", not ", value);
    return net::ERR_INVALID_ARGUMENT;
  }
  *out = static_cast<int>(value);
  return net::OK;
}

void SetTime(bool present, double ms, absl::Time* out) {
  *out = present ? absl::UnixEpoch() + absl::Milliseconds(ms)
                 : absl::InfinitePast();
}

// NaN-free milliseconds on the clock's epoch; nullopt for "did not happen".
std::optional<double> TimeToMs(absl::Time time) {
  if (time == absl::InfinitePast())
    return std::nullopt;
  return absl::ToDoubleMilliseconds(time - absl::UnixEpoch());
}

}  // namespace

int CookieSettingsFromIpc(const scenario::CookieSettings& settings,
                          CookieSettings* out,
                          std::string* message) {
  for (int i = 0; i < settings.exceptions_size(); ++i) {
    const scenario::CookieException& exception = settings.exceptions(i);
    if (!scenario::CookieException::Kind_IsValid(exception.kind())) {
      *message = absl::StrCat("cookie_settings.exceptions[", i, "].kind ",
                              exception.kind(),
                              " is not a CookieException.Kind value");
      return net::ERR_INVALID_ARGUMENT;
    }
    net::Url url = net::Url::Parse(exception.site());
    if (!url.is_valid() || !url.SchemeIsHttpOrHttps()) {
      *message =
          absl::StrCat("cookie_settings.exceptions[", i, "].site \"",
                       exception.site(), "\" is not an http or https URL");
      return net::ERR_INVALID_URL;
    }
  }
  *out = CookieSettingsFromScenario(settings);
  return net::OK;
}

int NetworkContextParamsFromIpc(const ipc::NetworkContextParams& params,
                                NetworkContextParams* out,
                                std::string* message) {
  switch (params.policy()) {
    case ipc::PREWARM:
      out->preconnect_policy = PreconnectPolicy::kPrewarm;
      break;
    case ipc::SEED:
      out->preconnect_policy = PreconnectPolicy::kSeed;
      break;
    case ipc::CHROMIUM:
      out->preconnect_policy = PreconnectPolicy::kChromium;
      break;
    case ipc::SINGLE_POOL:
      out->preconnect_policy = PreconnectPolicy::kSinglePool;
      break;
    default:
      *message = absl::StrCat("policy ", params.policy(),
                              " is not a PreconnectPolicy");
      return net::ERR_INVALID_ARGUMENT;
  }
  const scenario::PoolConfig& pool = params.pool_config();
  net::SocketPoolConfig& config = out->pool_config;
  int rv = CheckLimit("max_sockets_per_group", pool.has_max_sockets_per_group(),
                      pool.max_sockets_per_group(),
                      &config.max_sockets_per_group, message);
  if (rv != net::OK)
    return rv;
  rv = CheckLimit("max_sockets_total", pool.has_max_sockets_total(),
                  pool.max_sockets_total(), &config.max_sockets_total, message);
  if (rv != net::OK)
    return rv;
  if (pool.has_unused_idle_timeout_ms())
    config.unused_idle_timeout =
        absl::Milliseconds(pool.unused_idle_timeout_ms());
  if (pool.has_used_idle_timeout_ms())
    config.used_idle_timeout = absl::Milliseconds(pool.used_idle_timeout_ms());
  if (pool.has_partition_connections())
    config.partition_connections = pool.partition_connections();
  if (pool.has_late_binding())
    config.late_binding = pool.late_binding();
  rv = CookieSettingsFromIpc(params.cookie_settings(), &out->cookie_settings,
                             message);
  if (rv != net::OK)
    return rv;
  out->host_resolver_rules = params.host_resolver_rules();
  out->connect_to = params.connect_to();
  out->dns_servers = params.dns_servers();
  out->trusted_root_certificates_pem = params.trusted_root_certificates_pem();
  switch (params.preload_rules()) {
    case ipc::PRELOAD_RULES_PREWARM:
      out->preload_rules = PreloadRuleSet::kPrewarm;
      break;
    case ipc::PRELOAD_RULES_SPEC:
      out->preload_rules = PreloadRuleSet::kSpec;
      break;
    case ipc::PRELOAD_RULES_CHROME:
      out->preload_rules = PreloadRuleSet::kChrome;
      break;
    case ipc::PRELOAD_RULES_FIREFOX:
      out->preload_rules = PreloadRuleSet::kFirefox;
      break;
    case ipc::PRELOAD_RULES_SAFARI:
      out->preload_rules = PreloadRuleSet::kSafari;
      break;
    default:
      *message = absl::StrCat("preload_rules ", params.preload_rules(),
                              " is not a PreloadRules value");
      return net::ERR_INVALID_ARGUMENT;
  }
  if (params.unused_preload_timeout_ms() != 0) {
    out->unused_preload_timeout =
        absl::Milliseconds(params.unused_preload_timeout_ms());
  }
  out->additional_trust_anchors_pem = params.additional_trust_anchors_pem();
  out->ignore_certificate_errors_spki_list =
      params.ignore_certificate_errors_spki_list();
  return net::OK;
}

ipc::NetworkContextParams NetworkContextParamsToIpc(
    const NetworkContextParams& params,
    const scenario::CookieSettings& cookie_settings) {
  ipc::NetworkContextParams out;
  out.set_policy(PreconnectPolicyToIpc(params.preconnect_policy));
  scenario::PoolConfig* pool = out.mutable_pool_config();
  const net::SocketPoolConfig& config = params.pool_config;
  pool->set_max_sockets_per_group(
      static_cast<uint32_t>(std::max(config.max_sockets_per_group, 0)));
  pool->set_max_sockets_total(
      static_cast<uint32_t>(std::max(config.max_sockets_total, 0)));
  auto to_ms = [](absl::Duration duration) {
    return static_cast<uint32_t>(std::clamp<int64_t>(
        absl::ToInt64Milliseconds(duration + absl::Microseconds(500)), 0,
        std::numeric_limits<uint32_t>::max()));
  };
  pool->set_unused_idle_timeout_ms(to_ms(config.unused_idle_timeout));
  pool->set_used_idle_timeout_ms(to_ms(config.used_idle_timeout));
  pool->set_partition_connections(config.partition_connections);
  pool->set_late_binding(config.late_binding);
  *out.mutable_cookie_settings() = cookie_settings;
  out.set_host_resolver_rules(params.host_resolver_rules);
  out.set_connect_to(params.connect_to);
  out.set_dns_servers(params.dns_servers);
  out.set_trusted_root_certificates_pem(params.trusted_root_certificates_pem);
  out.set_preload_rules(PreloadRulesToIpc(params.preload_rules));
  out.set_unused_preload_timeout_ms(
      std::max<uint32_t>(1, to_ms(params.unused_preload_timeout)));
  out.set_additional_trust_anchors_pem(params.additional_trust_anchors_pem);
  out.set_ignore_certificate_errors_spki_list(
      params.ignore_certificate_errors_spki_list);
  return out;
}

ipc::PreloadRules PreloadRulesToIpc(PreloadRuleSet rules) {
  switch (rules) {
    case PreloadRuleSet::kPrewarm:
      return ipc::PRELOAD_RULES_PREWARM;
    case PreloadRuleSet::kSpec:
      return ipc::PRELOAD_RULES_SPEC;
    case PreloadRuleSet::kChrome:
      return ipc::PRELOAD_RULES_CHROME;
    case PreloadRuleSet::kFirefox:
      return ipc::PRELOAD_RULES_FIREFOX;
    case PreloadRuleSet::kSafari:
      return ipc::PRELOAD_RULES_SAFARI;
  }
  return ipc::PRELOAD_RULES_PREWARM;
}

ipc::PreconnectPolicy PreconnectPolicyToIpc(PreconnectPolicy policy) {
  switch (policy) {
    case PreconnectPolicy::kPrewarm:
      return ipc::PREWARM;
    case PreconnectPolicy::kSeed:
      return ipc::SEED;
    case PreconnectPolicy::kChromium:
      return ipc::CHROMIUM;
    case PreconnectPolicy::kSinglePool:
      return ipc::SINGLE_POOL;
  }
  return ipc::PREWARM;
}

RequestMode RequestModeFromScenario(scenario::RequestMode mode) {
  switch (mode) {
    case scenario::CORS:
      return RequestMode::kCors;
    case scenario::SAME_ORIGIN:
      return RequestMode::kSameOrigin;
    case scenario::NAVIGATE:
      return RequestMode::kNavigate;
    default:
      return RequestMode::kNoCors;
  }
}

scenario::RequestMode RequestModeToScenario(RequestMode mode) {
  switch (mode) {
    case RequestMode::kCors:
      return scenario::CORS;
    case RequestMode::kSameOrigin:
      return scenario::SAME_ORIGIN;
    case RequestMode::kNavigate:
      return scenario::NAVIGATE;
    case RequestMode::kNoCors:
      break;
  }
  return scenario::NO_CORS;
}

net::GroupId GroupIdFromIpc(const report::Group& group) {
  if (group.scheme().empty())
    return net::GroupId();
  return net::GroupId(
      group.scheme(),
      net::HostPortPair(group.host(), static_cast<uint16_t>(group.port())),
      PrivacyModeFromReport(group.privacy_mode()),
      NakFromIpc(group.top_frame_site(), group.is_cross_site()));
}

ipc::Partition PartitionToIpc(const RequestPartition& partition) {
  ipc::Partition out;
  out.set_privacy_mode(PrivacyModeToReport(partition.privacy_mode));
  const net::NetworkAnonymizationKey& nak = partition.network_anonymization_key;
  if (!nak.IsEmpty()) {
    out.set_top_frame_site(nak.top_frame_site().Serialize());
    out.set_is_cross_site(nak.is_cross_site());
  }
  out.set_credentials_allowed(partition.credentials_allowed);
  switch (partition.cookie_decision) {
    case CookieDecision::kAllowed:
      out.set_cookie_decision(ipc::Partition::ALLOWED);
      break;
    case CookieDecision::kPartitionedOnly:
      out.set_cookie_decision(ipc::Partition::PARTITIONED_ONLY);
      break;
    case CookieDecision::kDisallowed:
      out.set_cookie_decision(ipc::Partition::DISALLOWED);
      break;
  }
  return out;
}

RequestPartition PartitionFromIpc(const ipc::Partition& partition) {
  RequestPartition out;
  out.privacy_mode = PrivacyModeFromReport(partition.privacy_mode());
  out.network_anonymization_key =
      NakFromIpc(partition.top_frame_site(), partition.is_cross_site());
  out.credentials_allowed = partition.credentials_allowed();
  switch (partition.cookie_decision()) {
    case ipc::Partition::PARTITIONED_ONLY:
      out.cookie_decision = CookieDecision::kPartitionedOnly;
      break;
    case ipc::Partition::DISALLOWED:
      out.cookie_decision = CookieDecision::kDisallowed;
      break;
    default:
      out.cookie_decision = CookieDecision::kAllowed;
      break;
  }
  return out;
}

ipc::LoadTiming LoadTimingToIpc(const net::LoadTimingInfo& timing) {
  ipc::LoadTiming out;
  out.set_socket_reused(timing.socket_reused);
  const net::LoadTimingInfo::ConnectTiming& connect = timing.connect_timing;
#define PREWARM_SET_TIME(field, value)            \
  if (std::optional<double> ms = TimeToMs(value)) \
    out.set_##field##_ms(*ms);
  PREWARM_SET_TIME(domain_lookup_start, connect.domain_lookup_start)
  PREWARM_SET_TIME(domain_lookup_end, connect.domain_lookup_end)
  PREWARM_SET_TIME(connect_start, connect.connect_start)
  PREWARM_SET_TIME(connect_end, connect.connect_end)
  PREWARM_SET_TIME(ssl_start, connect.ssl_start)
  PREWARM_SET_TIME(ssl_end, connect.ssl_end)
  PREWARM_SET_TIME(request_start, timing.request_start)
  PREWARM_SET_TIME(send_start, timing.send_start)
  PREWARM_SET_TIME(send_end, timing.send_end)
  PREWARM_SET_TIME(receive_headers_end, timing.receive_headers_end)
  PREWARM_SET_TIME(response_end, timing.response_end)
#undef PREWARM_SET_TIME
  return out;
}

net::LoadTimingInfo LoadTimingFromIpc(const ipc::LoadTiming& timing) {
  net::LoadTimingInfo out;
  out.socket_reused = timing.socket_reused();
  net::LoadTimingInfo::ConnectTiming& connect = out.connect_timing;
#define PREWARM_GET_TIME(field, target) \
  SetTime(timing.has_##field##_ms(), timing.field##_ms(), &target);
  PREWARM_GET_TIME(domain_lookup_start, connect.domain_lookup_start)
  PREWARM_GET_TIME(domain_lookup_end, connect.domain_lookup_end)
  PREWARM_GET_TIME(connect_start, connect.connect_start)
  PREWARM_GET_TIME(connect_end, connect.connect_end)
  PREWARM_GET_TIME(ssl_start, connect.ssl_start)
  PREWARM_GET_TIME(ssl_end, connect.ssl_end)
  PREWARM_GET_TIME(request_start, out.request_start)
  PREWARM_GET_TIME(send_start, out.send_start)
  PREWARM_GET_TIME(send_end, out.send_end)
  PREWARM_GET_TIME(receive_headers_end, out.receive_headers_end)
  PREWARM_GET_TIME(response_end, out.response_end)
#undef PREWARM_GET_TIME
  return out;
}

ipc::FetchResult FetchResultToIpc(const FetchResult& result,
                                  size_t max_body_bytes) {
  ipc::FetchResult out;
  out.set_error(result.error);
  out.set_error_message(result.error_message);
  out.set_status_code(result.status_code);
  out.set_status_text(result.status_text);
  out.set_http_version(result.http_version);
  for (const auto& [name, value] : result.headers) {
    ipc::FetchResult::Header* header = out.add_headers();
    header->set_name(name);
    header->set_value(value);
  }
  for (const auto& [name, value] : result.request_headers) {
    ipc::FetchResult::Header* header = out.add_request_headers();
    header->set_name(name);
    header->set_value(value);
  }
  out.set_server_ip(result.server_ip);
  out.set_socket_log_id(result.socket_log_id);
  if (result.body.size() > max_body_bytes) {
    out.set_body(result.body.substr(0, max_body_bytes));
    out.set_body_truncated(true);
  } else {
    out.set_body(result.body);
  }
  *out.mutable_load_timing() = LoadTimingToIpc(result.load_timing);
  switch (result.socket_reuse) {
    case SocketReuse::kNew:
      out.set_socket_reuse(ipc::FetchResult::NEW);
      break;
    case SocketReuse::kPreconnected:
      out.set_socket_reuse(ipc::FetchResult::PRECONNECTED);
      break;
    case SocketReuse::kReused:
      out.set_socket_reuse(ipc::FetchResult::REUSED);
      break;
  }
  out.set_preconnect_id(result.preconnect_id);
  out.set_protocol(result.protocol);
  out.set_connection_id(result.connection_id);
  out.set_coalesced(result.coalesced);
  if (!result.group_id.scheme().empty())
    *out.mutable_group() = ReportGroupForGroupId(result.group_id);
  *out.mutable_partition() = PartitionToIpc(result.partition);
  out.set_from_preload_id(result.from_preload_id);
  out.set_skipped_preload_id(result.skipped_preload_id);
  out.set_preload_diagnostic(result.preload_diagnostic);
  return out;
}

FetchResult FetchResultFromIpc(const ipc::FetchResult& result) {
  FetchResult out;
  out.error = result.error();
  out.error_message = result.error_message();
  out.status_code = result.status_code();
  out.status_text = result.status_text();
  out.http_version = result.http_version();
  for (const ipc::FetchResult::Header& header : result.headers())
    out.headers.emplace_back(header.name(), header.value());
  for (const ipc::FetchResult::Header& header : result.request_headers())
    out.request_headers.emplace_back(header.name(), header.value());
  out.server_ip = result.server_ip();
  out.socket_log_id = result.socket_log_id();
  out.body = result.body();
  out.load_timing = LoadTimingFromIpc(result.load_timing());
  switch (result.socket_reuse()) {
    case ipc::FetchResult::PRECONNECTED:
      out.socket_reuse = SocketReuse::kPreconnected;
      break;
    case ipc::FetchResult::REUSED:
      out.socket_reuse = SocketReuse::kReused;
      break;
    default:
      out.socket_reuse = SocketReuse::kNew;
      break;
  }
  out.preconnect_id = result.preconnect_id();
  out.protocol = result.protocol();
  out.connection_id = result.connection_id();
  out.coalesced = result.coalesced();
  out.group_id = GroupIdFromIpc(result.group());
  out.partition = PartitionFromIpc(result.partition());
  out.from_preload_id = result.from_preload_id();
  out.skipped_preload_id = result.skipped_preload_id();
  out.preload_diagnostic = result.preload_diagnostic();
  return out;
}

ipc::PreloadResult PreloadResultToIpc(const PreloadResult& result) {
  ipc::PreloadResult out;
  out.set_preload_id(result.preload_id);
  out.set_url(result.key.url.spec());
  out.set_destination(result.key.destination);
  out.set_mode(RequestModeToScenario(result.key.settings.mode));
  out.set_credentials(
      CredentialsModeToScenario(result.key.settings.credentials));
  *out.mutable_response() = FetchResultToIpc(result.response, 0);
  return out;
}

PreloadResult PreloadResultFromIpc(const ipc::PreloadResult& result,
                                   const PreloadRequest& request) {
  PreloadResult out;
  out.preload_id = result.preload_id();
  out.key.url = net::Url::Parse(result.url());
  out.key.as = request.as;
  out.key.crossorigin = request.crossorigin;
  out.key.integrity = request.integrity;
  out.key.destination = result.destination();
  out.key.settings = {RequestModeFromScenario(result.mode()),
                      CredentialsModeFromScenario(result.credentials())};
  out.response = FetchResultFromIpc(result.response());
  return out;
}

ipc::PreloadEvent PreloadEventToIpc(const PreloadEvent& event) {
  ipc::PreloadEvent out;
  switch (event.kind) {
    case PreloadEvent::Kind::kConsumed:
      out.set_kind(ipc::PreloadEvent::CONSUMED);
      break;
    case PreloadEvent::Kind::kNotConsumed:
      out.set_kind(ipc::PreloadEvent::NOT_CONSUMED);
      break;
    case PreloadEvent::Kind::kUnusedAfterLoad:
      out.set_kind(ipc::PreloadEvent::UNUSED_AFTER_LOAD);
      break;
  }
  out.set_preload_id(event.preload_id);
  out.set_url(event.url);
  out.set_diagnostic(event.diagnostic);
  return out;
}

ipc::PreconnectDecision PreconnectResultToIpc(const PreconnectResult& result) {
  ipc::PreconnectDecision out;
  out.set_error(result.error);
  out.set_diagnostic(result.diagnostic);
  const PreconnectTarget& target = result.target;
  out.set_url(target.url.spec());
  out.set_purpose(PurposeToScenario(target.purpose));
  switch (target.purpose_source) {
    case PurposeSource::kExplicit:
      out.set_purpose_source(ipc::PreconnectDecision::EXPLICIT);
      break;
    case PurposeSource::kCrossOriginAttribute:
      out.set_purpose_source(ipc::PreconnectDecision::CROSSORIGIN_ATTRIBUTE);
      break;
    case PurposeSource::kLoadPhase:
      out.set_purpose_source(ipc::PreconnectDecision::LOAD_PHASE);
      break;
    case PurposeSource::kLearned:
      out.set_purpose_source(ipc::PreconnectDecision::LEARNED);
      break;
    case PurposeSource::kPolicy:
      out.set_purpose_source(ipc::PreconnectDecision::POLICY);
      break;
  }
  *out.mutable_partition() = PartitionToIpc(target.partition);
  out.set_num_sockets(target.num_sockets);
  if (!result.group_id.scheme().empty())
    *out.mutable_group() = ReportGroupForGroupId(result.group_id);
  for (uint64_t id : result.preconnect_ids)
    out.add_socket_ids(id);
  return out;
}

PreconnectResult PreconnectResultFromIpc(
    const ipc::PreconnectDecision& decision) {
  PreconnectResult out;
  out.error = decision.error();
  out.diagnostic = decision.diagnostic();
  PreconnectTarget& target = out.target;
  target.url = net::Url::Parse(decision.url());
  target.purpose = PurposeFromScenario(decision.purpose());
  switch (decision.purpose_source()) {
    case ipc::PreconnectDecision::EXPLICIT:
      target.purpose_source = PurposeSource::kExplicit;
      break;
    case ipc::PreconnectDecision::CROSSORIGIN_ATTRIBUTE:
      target.purpose_source = PurposeSource::kCrossOriginAttribute;
      break;
    case ipc::PreconnectDecision::LOAD_PHASE:
      target.purpose_source = PurposeSource::kLoadPhase;
      break;
    case ipc::PreconnectDecision::LEARNED:
      target.purpose_source = PurposeSource::kLearned;
      break;
    default:
      target.purpose_source = PurposeSource::kPolicy;
      break;
  }
  target.partition = PartitionFromIpc(decision.partition());
  target.num_sockets = decision.num_sockets();
  out.group_id = GroupIdFromIpc(decision.group());
  out.preconnect_ids.assign(decision.socket_ids().begin(),
                            decision.socket_ids().end());
  return out;
}

ipc::PreconnectOutcome PreconnectOutcomeToIpc(net::PreconnectOutcome outcome) {
  switch (outcome) {
    case net::PreconnectOutcome::kUsed:
      return ipc::USED;
    case net::PreconnectOutcome::kExpiredUnused:
      return ipc::EXPIRED_UNUSED;
    case net::PreconnectOutcome::kEvicted:
      return ipc::EVICTED;
    case net::PreconnectOutcome::kClosedByPeer:
      return ipc::CLOSED_BY_PEER;
    case net::PreconnectOutcome::kFlushed:
      return ipc::FLUSHED;
    case net::PreconnectOutcome::kFailed:
      return ipc::FAILED;
    case net::PreconnectOutcome::kConnecting:
    case net::PreconnectOutcome::kIdle:
      break;
  }
  return ipc::OUTCOME_UNSPECIFIED;
}

net::PreconnectOutcome PreconnectOutcomeFromIpc(
    ipc::PreconnectOutcome outcome) {
  switch (outcome) {
    case ipc::USED:
      return net::PreconnectOutcome::kUsed;
    case ipc::EXPIRED_UNUSED:
      return net::PreconnectOutcome::kExpiredUnused;
    case ipc::EVICTED:
      return net::PreconnectOutcome::kEvicted;
    case ipc::CLOSED_BY_PEER:
      return net::PreconnectOutcome::kClosedByPeer;
    case ipc::FLUSHED:
      return net::PreconnectOutcome::kFlushed;
    case ipc::FAILED:
      return net::PreconnectOutcome::kFailed;
    default:
      return net::PreconnectOutcome::kIdle;
  }
}

ipc::SocketHandedOut::ReuseType ReuseTypeToIpc(
    net::ClientSocketHandle::ReuseType reuse_type) {
  switch (reuse_type) {
    case net::ClientSocketHandle::ReuseType::kUnused:
      return ipc::SocketHandedOut::UNUSED;
    case net::ClientSocketHandle::ReuseType::kUnusedIdle:
      return ipc::SocketHandedOut::UNUSED_IDLE;
    case net::ClientSocketHandle::ReuseType::kReusedIdle:
      return ipc::SocketHandedOut::REUSED_IDLE;
  }
  return ipc::SocketHandedOut::UNUSED;
}

net::ClientSocketHandle::ReuseType ReuseTypeFromIpc(
    ipc::SocketHandedOut::ReuseType reuse_type) {
  switch (reuse_type) {
    case ipc::SocketHandedOut::UNUSED_IDLE:
      return net::ClientSocketHandle::ReuseType::kUnusedIdle;
    case ipc::SocketHandedOut::REUSED_IDLE:
      return net::ClientSocketHandle::ReuseType::kReusedIdle;
    default:
      return net::ClientSocketHandle::ReuseType::kUnused;
  }
}

}  // namespace prewarm
