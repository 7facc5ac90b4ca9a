#include "host/scenario_replayer.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "net/base/net_errors.h"
#include "net/base/origin.h"
#include "net/base/privacy_mode.h"
#include "net/base/url.h"
#include "net/event/event_loop.h"
#include "net/test/embedded_test_server/embedded_test_server.h"
#include "preconnect/preconnect_diagnostics.h"
#include "proto/scenario_conversions.h"
#include "service/ipc_conversions.h"
#include "service/local_network_context.h"
#include "service/network_context.h"
#include "service/network_service_client.h"
#include "service/remote_network_context.h"
#include "socket_pool/socket_pool_manager.h"

namespace prewarm {

namespace {

using net::test_server::EmbeddedTestServer;

report::PreconnectedSocket::Outcome ToOutcome(net::PreconnectOutcome outcome) {
  switch (outcome) {
    case net::PreconnectOutcome::kUsed:
      return report::PreconnectedSocket::USED;
    case net::PreconnectOutcome::kExpiredUnused:
      return report::PreconnectedSocket::EXPIRED_UNUSED;
    case net::PreconnectOutcome::kEvicted:
      return report::PreconnectedSocket::EVICTED;
    // The report has no FAILED value: a failed connect shows as closed by
    // the peer and counts as unused.
    case net::PreconnectOutcome::kClosedByPeer:
    case net::PreconnectOutcome::kFailed:
      return report::PreconnectedSocket::CLOSED_BY_PEER;
    case net::PreconnectOutcome::kFlushed:
      return report::PreconnectedSocket::FLUSHED;
    case net::PreconnectOutcome::kConnecting:
    case net::PreconnectOutcome::kIdle:
      break;
  }
  return report::PreconnectedSocket::IDLE;
}

double Milliseconds(absl::Time from, absl::Time to) {
  if (from == absl::InfinitePast() || to == absl::InfinitePast())
    return 0.0;
  return absl::ToDoubleMilliseconds(to - from);
}

// The URL of every step that names one, valid or not.
const std::string* StepUrl(const scenario::Step& step) {
  switch (step.action_case()) {
    case scenario::Step::kNavigate:
      return &step.navigate().url();
    case scenario::Step::kPreconnect:
      return &step.preconnect().url();
    case scenario::Step::kDnsPrefetch:
      return &step.dns_prefetch().url();
    case scenario::Step::kFetch:
      return &step.fetch().url();
    case scenario::Step::kPreload:
      return &step.preload().url();
    default:
      return nullptr;
  }
}

// The response a local origin gives for `request` on (scheme, host, port):
// the scenario's Resource for that URL (its Cache-Control, Vary and delay),
// else 200 with Cache-Control: no-store.
net::test_server::HttpResponse ResponseFor(
    const absl::flat_hash_map<std::string, scenario::Resource>& resources,
    const std::string& origin,
    const net::test_server::HttpRequest& request,
    double time_scale,
    absl::flat_hash_map<std::string, int>* served) {
  net::test_server::HttpResponse response;
  response.set_content(absl::StrCat("replay ", request.relative_url));
  net::Url url = net::Url::Parse(absl::StrCat(origin, request.relative_url));
  ++(*served)[url.spec()];
  auto resource = resources.find(url.spec());
  if (resource == resources.end()) {
    response.AddCustomHeader("Cache-Control", "no-store");
    return response;
  }
  if (!resource->second.cache_control().empty())
    response.AddCustomHeader("Cache-Control", resource->second.cache_control());
  if (!resource->second.vary().empty())
    response.AddCustomHeader("Vary", resource->second.vary());
  response.set_delay(absl::Milliseconds(resource->second.delay_ms()) /
                     time_scale);
  return response;
}

}  // namespace

ScenarioReplayer::ScenarioReplayer(scenario::Scenario scenario, Options options)
    : scenario_(std::move(scenario)), options_(options) {}

ScenarioReplayer::~ScenarioReplayer() {
  if (context_)
    context_->RemoveSocketPoolObserver(this);
}

void ScenarioReplayer::Start(DoneCallback callback) {
  callback_ = std::move(callback);
  if (!(options_.time_scale > 0)) {
    Finish(net::ERR_INVALID_ARGUMENT, "the time scale must be positive");
    return;
  }

  NetworkContextParams params;
  params.preconnect_policy = options_.policy;
  params.preload_rules = options_.preload_rules;
  params.unused_preload_timeout = absl::Seconds(3) / options_.time_scale;
  // Nothing but the scenario's origins resolves (they are mapped to
  // loopback by the connect-to overrides below, before the rules apply).
  params.host_resolver_rules = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1";
  std::string message;
  int rv = StartServers(&params.connect_to,
                        &params.trusted_root_certificates_pem, &message);
  if (rv != net::OK) {
    Finish(rv, std::move(message));
    return;
  }

  const scenario::PoolConfig& pool = scenario_.pool_config();
  net::SocketPoolConfig& config = params.pool_config;
  if (pool.has_max_sockets_per_group())
    config.max_sockets_per_group =
        static_cast<int>(pool.max_sockets_per_group());
  if (pool.has_max_sockets_total()) {
    config.max_sockets_total = static_cast<int>(pool.max_sockets_total());
    // A manager limit below the default group limit (max_sockets_total: 2)
    // lowers the group limit with it, unless the scenario set both.
    if (!pool.has_max_sockets_per_group()) {
      config.max_sockets_per_group =
          std::min(config.max_sockets_per_group, config.max_sockets_total);
    }
  }
  if (pool.has_unused_idle_timeout_ms()) {
    config.unused_idle_timeout =
        absl::Milliseconds(pool.unused_idle_timeout_ms());
  }
  if (pool.has_used_idle_timeout_ms())
    config.used_idle_timeout = absl::Milliseconds(pool.used_idle_timeout_ms());
  if (pool.has_partition_connections())
    config.partition_connections = pool.partition_connections();
  if (pool.has_late_binding())
    config.late_binding = pool.late_binding();
  // Scenario time runs time_scale times faster; so do the pool's clocks.
  config.unused_idle_timeout /= options_.time_scale;
  config.used_idle_timeout /= options_.time_scale;

  // The loader checked the exceptions' sites.
  params.cookie_settings =
      CookieSettingsFromScenario(scenario_.cookie_settings());

  if (options_.service) {
    options_.service->CreateNetworkContext(
        NetworkContextParamsToIpc(params, scenario_.cookie_settings()),
        [weak = weak_factory_.GetWeakPtr()](
            int error, const std::string& message,
            std::unique_ptr<RemoteNetworkContext> context) {
          if (weak)
            weak->OnContextCreated(error, message, std::move(context));
        });
    return;
  }
  std::unique_ptr<NetworkContext> context =
      NetworkContext::Create(params, &rv, &message);
  OnContextCreated(
      rv, message,
      context ? std::make_unique<LocalNetworkContext>(std::move(context))
              : nullptr);
}

void ScenarioReplayer::OnContextCreated(
    int error,
    const std::string& message,
    std::unique_ptr<NetworkContextInterface> context) {
  if (!context) {
    Finish(error, absl::StrCat("network context: ", message));
    return;
  }
  context_ = std::move(context);
  context_->AddSocketPoolObserver(this);
  start_time_ = net::EventLoop::Current()->NowTicks();
  ScheduleNextStep();
}

int ScenarioReplayer::StartServers(std::string* connect_to,
                                   std::string* trusted_roots,
                                   std::string* message) {
  // One server per (host, port); its scheme is the origin's.
  std::set<std::pair<std::string, uint16_t>> seen;
  // The loader checked the resources' URLs (http(s), each once).
  auto resources =
      std::make_shared<absl::flat_hash_map<std::string, scenario::Resource>>();
  std::vector<const std::string*> urls;
  for (const scenario::Resource& resource : scenario_.resources()) {
    (*resources)[net::Url::Parse(resource.url()).spec()] = resource;
    urls.push_back(&resource.url());
  }
  for (const scenario::Step& step : scenario_.steps()) {
    if (const std::string* spec = StepUrl(step))
      urls.push_back(spec);
  }
  for (const std::string* spec : urls) {
    net::Url url = net::Url::Parse(*spec);
    if (!url.is_valid() || !url.SchemeIsHttpOrHttps())
      continue;
    if (!seen.insert({url.host(), url.port()}).second) {
      continue;
    }
    bool https = url.scheme() == "https";
    auto server = std::make_unique<EmbeddedTestServer>(
        https ? EmbeddedTestServer::Type::kHttps
              : EmbeddedTestServer::Type::kHttp);
    std::string host =
        url.HostIsIPv6() ? absl::StrCat("[", url.host(), "]") : url.host();
    server->RegisterRequestHandler(
        [resources, served = requests_served_,
         origin = absl::StrCat(url.scheme(), "://", host, ":", url.port()),
         time_scale =
             options_.time_scale](const net::test_server::HttpRequest& request)
            -> std::optional<net::test_server::HttpResponse> {
          return ResponseFor(*resources, origin, request, time_scale,
                             served.get());
        });
    if (https && scenario_.pool_config().http2())
      server->EnableHttp2();
    int rv = server->Start();
    if (rv != net::OK) {
      *message = absl::StrCat("cannot start a test server for ", url.host(),
                              ":", url.port(), ": ", net::ErrorToString(rv));
      return rv;
    }
    absl::StrAppend(connect_to, connect_to->empty() ? "" : ",", host, ":",
                    url.port(), ":127.0.0.1:", server->port());
    if (https)
      absl::StrAppend(trusted_roots, server->root_certificate_pem());
    servers_.push_back(std::move(server));
  }
  return net::OK;
}

absl::Time ScenarioReplayer::StepTime(size_t index) const {
  return start_time_ + absl::Milliseconds(scenario_.steps(index).at_ms()) /
                           options_.time_scale;
}

void ScenarioReplayer::ScheduleNextStep() {
  if (navigation_pending_)
    return;
  if (next_step_ == static_cast<size_t>(scenario_.steps_size())) {
    MaybeFinish();
    return;
  }
  absl::Duration delay =
      StepTime(next_step_) - net::EventLoop::Current()->NowTicks();
  step_timer_.Start(std::max(delay, absl::ZeroDuration()),
                    [this] { RunStep(); });
}

void ScenarioReplayer::RunStep() {
  // Steps with the same at_ms are the calls of one task in the page: all of
  // them run in this turn, in file order, before any network event (two
  // fetches are in flight together and never share a socket). A navigation
  // stops the batch: later steps may name the document it commits.
  const uint32_t at_ms = scenario_.steps(next_step_).at_ms();
  do {
    DispatchStep();
  } while (!navigation_pending_ &&
           next_step_ < static_cast<size_t>(scenario_.steps_size()) &&
           scenario_.steps(next_step_).at_ms() == at_ms);
  if (!navigation_pending_)
    ScheduleNextStep();
}

void ScenarioReplayer::DispatchStep() {
  const scenario::Step& step = scenario_.steps(next_step_);
  const uint32_t number = static_cast<uint32_t>(++next_step_);
  switch (step.action_case()) {
    case scenario::Step::kNavigate: {
      const scenario::Navigate& navigate = step.navigate();
      size_t index = requests_.size();
      requests_.push_back(
          {number, navigate.url(), navigate.parent().empty(), "document", {}});
      navigation_pending_ = true;
      context_->Navigate(
          {navigate.document(), navigate.url(), navigate.parent()},
          [this, index](FetchResult result) {
            requests_[index].result = std::move(result);
            navigation_pending_ = false;
            // A commit later than the next step's time shifts the rest of
            // the script, so the gaps between later steps stay as written.
            if (next_step_ < static_cast<size_t>(scenario_.steps_size())) {
              absl::Duration late =
                  net::EventLoop::Current()->NowTicks() - StepTime(next_step_);
              if (late > absl::ZeroDuration())
                start_time_ += late;
            }
            ScheduleNextStep();
          });
      return;
    }
    case scenario::Step::kLoadEvent:
      // The loader checked the document id; a load event for a document that
      // already ended changes nothing.
      context_->LoadEvent(step.load_event().document(), nullptr);
      load_events_[step.load_event().document()] =
          net::EventLoop::Current()->NowTicks();
      break;
    case scenario::Step::kPreload: {
      size_t index = preloads_.size();
      preloads_.push_back({number, step.preload(), {}});
      ++pending_;
      context_->Preload(PreloadRequestFromScenario(step.preload()),
                        [this, index](PreloadResult result) {
                          preloads_[index].result = std::move(result);
                          OnHintDone();
                        });
      break;
    }
    case scenario::Step::kPreconnect: {
      const scenario::Preconnect& hint = step.preconnect();
      size_t index = preconnects_.size();
      preconnects_.push_back({number, hint.url(), {}});
      ++pending_;
      context_->Preconnect(PreconnectRequestFromScenario(hint),
                           [this, index](const PreconnectResult& result) {
                             preconnects_[index].result = result;
                             OnHintDone();
                           });
      break;
    }
    case scenario::Step::kDnsPrefetch:
      ++pending_;
      context_->DnsPrefetch(step.dns_prefetch().document(),
                            step.dns_prefetch().url(),
                            [this](int, const std::string&) { OnHintDone(); });
      break;
    case scenario::Step::kFetch: {
      const scenario::Fetch& fetch = step.fetch();
      size_t index = requests_.size();
      requests_.push_back(
          {number, fetch.url(), false, fetch.destination(), {}});
      ++pending_;
      context_->Fetch(
          {fetch.document(), fetch.url(), RequestModeFromScenario(fetch.mode()),
           CredentialsModeFromScenario(fetch.credentials()),
           fetch.destination(), AuthorHeadersFromScenario(fetch.headers()),
           fetch.integrity()},
          [this, index](FetchResult result) {
            OnRequestDone(index, std::move(result));
          });
      break;
    }
    case scenario::Step::ACTION_NOT_SET:
      break;
  }
}

void ScenarioReplayer::OnRequestDone(size_t index, FetchResult result) {
  requests_[index].result = std::move(result);
  --pending_;
  MaybeFinish();
}

void ScenarioReplayer::OnHintDone() {
  --pending_;
  MaybeFinish();
}

void ScenarioReplayer::MaybeFinish() {
  if (collected_ || checking_pool_ || navigation_pending_ || pending_ > 0 ||
      next_step_ < static_cast<size_t>(scenario_.steps_size())) {
    return;
  }
  checking_pool_ = true;
  context_->GetPoolState([this](PoolStateSnapshot state) {
    checking_pool_ = false;
    OnPoolState(std::move(state));
  });
}

void ScenarioReplayer::OnPoolState(PoolStateSnapshot state) {
  if (state.error != net::OK) {
    Finish(state.error, absl::StrCat("network context: ", state.error_message));
    return;
  }
  // Connect jobs report nothing when they finish: look again shortly.
  if (state.connecting_sockets > 0 || state.hints_in_flight > 0 ||
      state.hints_queued > 0) {
    finish_timer_.Start(absl::Milliseconds(1), [this] { MaybeFinish(); });
    return;
  }
  BuildReport();
  context_->RemoveSocketPoolObserver(this);
  context_.reset();
  servers_.clear();
  Finish(net::OK, "");
}

void ScenarioReplayer::OnPreconnectSocketOutcome(uint64_t preconnect_id,
                                                 const net::GroupId& group_id,
                                                 net::PreconnectOutcome outcome,
                                                 int error) {
  if (!collected_)
    outcomes_[preconnect_id] = outcome;
}

void ScenarioReplayer::OnPreconnectSocketStranded(
    uint64_t preconnect_id,
    const net::GroupId& preconnect_group_id,
    const net::GroupId& request_group_id,
    const net::GroupId::KeyDifference& difference) {
  if (!collected_)
    strands_.emplace(preconnect_id, request_group_id);
}

void ScenarioReplayer::OnPreconnectSocketLateBound(
    uint64_t preconnect_id,
    const net::GroupId& preconnect_group_id,
    const net::GroupId& bound_group_id) {
  if (!collected_)
    late_bound_.emplace(preconnect_id, bound_group_id);
}

void ScenarioReplayer::BuildReport() {
  collected_ = true;
  report_.set_scenario(scenario_.name());
  report_.set_policy(PreconnectPolicyToString(options_.policy));

  report_.set_preload_rules(PreloadRuleSetToString(options_.preload_rules));
  absl::flat_hash_map<uint64_t, uint32_t> used_by_step;
  for (const RequestStep& request : requests_) {
    if (request.result.preconnect_id != 0)
      used_by_step[request.result.preconnect_id] = request.step;
  }
  // A preload is a request too: it may take a preconnected socket.
  for (const PreloadStepRecord& preload : preloads_) {
    if (preload.result.response.preconnect_id != 0)
      used_by_step[preload.result.response.preconnect_id] = preload.step;
  }

  report::Summary* summary = report_.mutable_summary();
  for (const PreconnectStep& preconnect : preconnects_) {
    report::PreconnectRecord* record = report_.add_preconnects();
    record->set_step(preconnect.step);
    record->set_url(preconnect.url);
    const PreconnectResult& result = preconnect.result;
    if (result.target.ignored()) {
      record->set_purpose(scenario::PURPOSE_UNKNOWN);
      record->set_diagnostic(result.diagnostic);
      continue;
    }
    record->set_purpose(PurposeToScenario(result.target.purpose));
    record->set_purpose_source(
        PurposeSourceToString(result.target.purpose_source));
    *record->mutable_group() = ReportGroupForGroupId(result.group_id);
    if (result.downgraded) {
      record->set_downgraded(true);
      record->set_diagnostic(result.diagnostic);
      summary->set_downgraded(summary->downgraded() + 1);
      continue;
    }
    const net::GroupId* strand_group = nullptr;
    const net::GroupId* late_bound_group = nullptr;
    for (uint64_t id : result.preconnect_ids) {
      report::PreconnectedSocket* socket = record->add_sockets();
      auto outcome = outcomes_.find(id);
      if (outcome != outcomes_.end()) {
        socket->set_outcome(ToOutcome(outcome->second));
      } else {
        socket->set_outcome(report::PreconnectedSocket::IDLE);
      }
      summary->set_preconnected_sockets(summary->preconnected_sockets() + 1);
      if (socket->outcome() == report::PreconnectedSocket::USED) {
        auto step = used_by_step.find(id);
        socket->set_used_by_step(step == used_by_step.end() ? 0 : step->second);
        summary->set_used(summary->used() + 1);
        if (auto late = late_bound_.find(id); late != late_bound_.end()) {
          late_bound_group = &late->second;
          socket->set_late_bound_to(std::string(
              net::PrivacyModeToString(late->second.privacy_mode())));
          summary->set_late_bound(summary->late_bound() + 1);
        }
        continue;
      }
      // A failed connect was never usable: neither used nor stranded
      // (docs/pool-selection.md); the report has no FAILED outcome.
      bool failed = outcome != outcomes_.end() &&
                    outcome->second == net::PreconnectOutcome::kFailed;
      // Every other unused socket completed its handshake: the replay
      // reports only once no connect job is left, and nothing flushes jobs
      // before.
      if (!failed)
        summary->set_wasted_handshakes(summary->wasted_handshakes() + 1);
      auto strand = strands_.find(id);
      if (!failed && strand != strands_.end()) {
        strand_group = &strand->second;
        summary->set_stranded(summary->stranded() + 1);
      } else {
        summary->set_unused(summary->unused() + 1);
      }
    }
    record->set_stranded(strand_group != nullptr);
    const net::GroupId* explained =
        strand_group ? strand_group : late_bound_group;
    if (explained) {
      StrandedPreconnectFacts facts;
      facts.policy = options_.policy;
      facts.origin = net::Origin::Create(result.target.url).Serialize();
      facts.preconnect_purpose = result.target.purpose;
      facts.preconnect = result.target.partition;
      // The first request that was served from the other group.
      for (const RequestStep& request : requests_) {
        if (request.result.group_id == *explained) {
          facts.request = request.result.partition;
          facts.request_is_main_frame_navigation =
              request.main_frame_navigation;
          facts.destination = request.destination;
          break;
        }
      }
      record->set_diagnostic(strand_group ? DescribeStrandedPreconnect(facts)
                                          : DescribeLateBoundPreconnect(facts));
    } else if (result.error != net::OK) {
      record->set_diagnostic(result.diagnostic);
    }
  }
  if (summary->preconnected_sockets() > 0) {
    double total = summary->preconnected_sockets();
    summary->set_utilization(summary->used() / total);
    summary->set_strand_rate(summary->stranded() / total);
  }

  // Connections are numbered in order of first use, so reports compare
  // across runs.
  absl::flat_hash_map<uint64_t, uint32_t> connection_numbers;
  for (const RequestStep& request : requests_) {
    report::RequestRecord* record = report_.add_requests();
    record->set_step(request.step);
    record->set_url(request.url);
    const FetchResult& result = request.result;
    if (result.error != net::OK) {
      warnings_.push_back(absl::StrCat("step ", request.step, " (", request.url,
                                       "): ", net::ErrorToString(result.error),
                                       ": ", result.error_message));
    }
    if (!result.group_id.scheme().empty())
      *record->mutable_group() = ReportGroupForGroupId(result.group_id);
    switch (result.socket_reuse) {
      case SocketReuse::kNew:
        record->set_socket(report::RequestRecord::NEW);
        break;
      case SocketReuse::kPreconnected:
        record->set_socket(report::RequestRecord::PRECONNECTED);
        break;
      case SocketReuse::kReused:
        record->set_socket(report::RequestRecord::REUSED);
        break;
    }
    record->set_protocol(result.protocol);
    if (result.connection_id != 0) {
      record->set_connection(
          connection_numbers
              .try_emplace(result.connection_id,
                           static_cast<uint32_t>(connection_numbers.size() + 1))
              .first->second);
    }
    const net::LoadTimingInfo& timing = result.load_timing;
    absl::Time connect_from = timing.connect_timing.domain_lookup_start;
    if (connect_from == absl::InfinitePast())
      connect_from = timing.connect_timing.connect_start;
    record->set_connect_ms(
        Milliseconds(connect_from, timing.connect_timing.connect_end));
    record->set_total_ms(
        Milliseconds(timing.request_start, timing.response_end));
  }

  std::vector<const FetchResult*> results;
  for (const RequestStep& request : requests_)
    results.push_back(&request.result);
  AddPreloadsToReport(preloads_, results, load_events_,
                      net::EventLoop::Current()->NowTicks(),
                      absl::Seconds(3) / options_.time_scale, &report_);
}

void ScenarioReplayer::Finish(int error, std::string message) {
  net::EventLoop::Current()->PostTask([weak = weak_factory_.GetWeakPtr(), error,
                                       message = std::move(message)]() mutable {
    ScenarioReplayer* self = weak.get();
    if (!self || !self->callback_)
      return;
    DoneCallback callback = std::move(self->callback_);
    std::move(callback)(error, message);
  });
}

}  // namespace prewarm
