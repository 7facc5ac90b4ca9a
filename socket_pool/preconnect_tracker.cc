#include "socket_pool/preconnect_tracker.h"

#include <vector>

#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/base/schemeful_site.h"
#include "net/base/url.h"
#include "net/log/net_log_values.h"
#include "socket_pool/socket_pool_observer.h"

namespace net {

std::string SuggestStrandFix(const GroupId& preconnect_group_id,
                             const GroupId& request_group_id) {
  GroupId::KeyDifference difference =
      preconnect_group_id.DifferenceFrom(request_group_id);
  std::string fix;
  if (difference.privacy_mode) {
    PrivacyMode preconnect_mode = preconnect_group_id.privacy_mode();
    PrivacyMode request_mode = request_group_id.privacy_mode();
    if (request_mode == PrivacyMode::kEnabledWithoutClientCerts ||
        request_mode == PrivacyMode::kEnabled) {
      fix = "add crossorigin=anonymous (the request carries no credentials)";
    } else if (request_mode == PrivacyMode::kDisabled) {
      fix = "drop crossorigin=anonymous (the request sends credentials)";
    } else {
      fix = "decide the preconnect's privacy mode with the cookie settings";
    }
    if (preconnect_mode == PrivacyMode::kEnabledPartitionedStateAllowed ||
        request_mode == PrivacyMode::kEnabledPartitionedStateAllowed) {
      fix = "decide the preconnect's privacy mode with the cookie settings";
    }
  }
  if (difference.top_frame_site || difference.is_cross_site) {
    // A request keyed on its own site, same-site, looks like a top-level
    // navigation to that origin; anything else is a document's subresource.
    const NetworkAnonymizationKey& key =
        request_group_id.network_anonymization_key();
    SchemefulSite request_site(
        Url::Parse(request_group_id.scheme() + "://" +
                   request_group_id.destination().ToString() + "/"));
    std::string nak_fix =
        !key.is_cross_site() && key.top_frame_site() == request_site
            ? "pass purpose=NAVIGATION for a top-level navigation"
            : "pass purpose=SUBRESOURCE with the requesting document";
    fix = fix.empty() ? nak_fix : fix + "; " + nak_fix;
  }
  return fix;
}

PreconnectTracker::PreconnectTracker(SocketPoolObserver* observer,
                                     NetLogWithSource net_log)
    : observer_(observer), net_log_(std::move(net_log)) {}

PreconnectTracker::~PreconnectTracker() = default;

uint64_t PreconnectTracker::OnStarted(const GroupId& group_id, absl::Time now) {
  uint64_t id = next_id_++;
  PreconnectSocketState& state = live_[id];
  state.id = id;
  state.group_id = group_id;
  state.state = PreconnectOutcome::kConnecting;
  state.start_time = now;
  unmarked_by_origin_[OriginKey{group_id.scheme(), group_id.destination()}]
      .insert(id);
  ++counters_.started;
  return id;
}

void PreconnectTracker::OnConnected(uint64_t id) {
  auto it = live_.find(id);
  DCHECK(it != live_.end());
  if (it != live_.end())
    it->second.state = PreconnectOutcome::kIdle;
}

void PreconnectTracker::OnLateBound(uint64_t id,
                                    const GroupId& bound_group_id) {
  auto it = live_.find(id);
  DCHECK(it != live_.end());
  if (it == live_.end())
    return;
  PreconnectSocketState& state = it->second;
  DCHECK(state.group_id.IsSameOriginAs(bound_group_id));
  DCHECK(state.group_id.network_anonymization_key() ==
         bound_group_id.network_anonymization_key());
  state.late_bound = true;
  state.late_bound_group_id = bound_group_id;
  ++counters_.late_bound;
  net_log_.AddEvent(NetLogEventType::PRECONNECT_LATE_BOUND, [&] {
    google::protobuf::Struct params;
    SetNetLogInt(&params, "preconnect_id", static_cast<int64_t>(id));
    SetNetLogString(&params, "group_id", state.group_id.ToString());
    SetNetLogString(&params, "bound_group_id", bound_group_id.ToString());
    return params;
  });
  if (observer_)
    observer_->OnPreconnectSocketLateBound(id, state.group_id, bound_group_id);
}

void PreconnectTracker::OnEnded(uint64_t id,
                                PreconnectOutcome outcome,
                                int error) {
  DCHECK(IsFinalPreconnectOutcome(outcome));
  DCHECK(outcome != PreconnectOutcome::kUsed);
  End(id, outcome, error);
}

void PreconnectTracker::End(uint64_t id, PreconnectOutcome outcome, int error) {
  auto it = live_.find(id);
  DCHECK(it != live_.end());
  if (it == live_.end())
    return;
  PreconnectSocketState state = std::move(it->second);
  live_.erase(it);
  RemoveFromOriginIndex(state);
  switch (outcome) {
    case PreconnectOutcome::kUsed:
      ++counters_.used;
      break;
    case PreconnectOutcome::kExpiredUnused:
      ++counters_.expired_unused;
      break;
    case PreconnectOutcome::kEvicted:
      ++counters_.evicted;
      break;
    case PreconnectOutcome::kClosedByPeer:
      ++counters_.closed_by_peer;
      break;
    case PreconnectOutcome::kFlushed:
      ++counters_.flushed;
      break;
    case PreconnectOutcome::kFailed:
      ++counters_.failed;
      break;
    case PreconnectOutcome::kConnecting:
    case PreconnectOutcome::kIdle:
      NOTREACHED();
  }
  if (state.strand_marked) {
    --counters_.live_strand_marked;
    if (outcome != PreconnectOutcome::kUsed)
      ++counters_.stranded;
  }
  net_log_.AddEvent(NetLogEventType::PRECONNECT_OUTCOME, [&] {
    google::protobuf::Struct params;
    SetNetLogInt(&params, "preconnect_id", static_cast<int64_t>(id));
    SetNetLogString(&params, "group_id", state.group_id.ToString());
    SetNetLogString(&params, "outcome", PreconnectOutcomeToString(outcome));
    if (outcome == PreconnectOutcome::kFailed)
      SetNetLogInt(&params, "net_error", error);
    return params;
  });
  if (observer_) {
    observer_->OnPreconnectSocketOutcome(
        id, state.group_id, outcome,
        outcome == PreconnectOutcome::kFailed ? error : OK);
  }
}

void PreconnectTracker::RemoveFromOriginIndex(
    const PreconnectSocketState& state) {
  if (state.strand_marked)
    return;
  auto it = unmarked_by_origin_.find(
      OriginKey{state.group_id.scheme(), state.group_id.destination()});
  if (it == unmarked_by_origin_.end())
    return;
  it->second.erase(state.id);
  if (it->second.empty())
    unmarked_by_origin_.erase(it);
}

void PreconnectTracker::OnSocketHandedOut(
    const GroupId& group_id,
    ClientSocketHandle::ReuseType reuse_type,
    uint64_t preconnect_id) {
  if (preconnect_id != 0)
    End(preconnect_id, PreconnectOutcome::kUsed, OK);
  if (observer_)
    observer_->OnSocketHandedOut(group_id, reuse_type, preconnect_id);

  if (unmarked_by_origin_.empty())
    return;
  auto origin_it = unmarked_by_origin_.find(
      OriginKey{group_id.scheme(), group_id.destination()});
  if (origin_it == unmarked_by_origin_.end())
    return;
  // Sockets of the request's own group stay: they are candidates for it.
  std::vector<uint64_t> marked;
  for (uint64_t id : origin_it->second) {
    PreconnectSocketState& state = live_.at(id);
    if (state.group_id == group_id)
      continue;
    state.strand_marked = true;
    state.strand_request_group_id = group_id;
    state.strand_difference = state.group_id.DifferenceFrom(group_id);
    ++counters_.live_strand_marked;
    marked.push_back(id);
  }
  for (uint64_t id : marked)
    origin_it->second.erase(id);
  if (origin_it->second.empty())
    unmarked_by_origin_.erase(origin_it);
  for (uint64_t id : marked) {
    const PreconnectSocketState& state = live_.at(id);
    net_log_.AddEvent(NetLogEventType::SOCKET_STRANDED, [&] {
      google::protobuf::Struct params;
      SetNetLogInt(&params, "preconnect_id", static_cast<int64_t>(id));
      SetNetLogString(&params, "group_id", state.group_id.ToString());
      SetNetLogString(&params, "used_group_id", group_id.ToString());
      SetNetLogString(&params, "differing_fields",
                      state.strand_difference.ToString());
      SetNetLogString(&params, "suggested_fix",
                      SuggestStrandFix(state.group_id, group_id));
      return params;
    });
    if (observer_) {
      observer_->OnPreconnectSocketStranded(id, state.group_id, group_id,
                                            state.strand_difference);
    }
  }
}

std::optional<PreconnectSocketState> PreconnectTracker::GetState(
    uint64_t id) const {
  auto it = live_.find(id);
  if (it == live_.end())
    return std::nullopt;
  return it->second;
}

}  // namespace net
