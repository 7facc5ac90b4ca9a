#include "socket_pool/socket_pool_manager.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/log/net_log_source_type.h"
#include "socket_pool/pool_state.pb.h"

namespace net {

std::string SocketPoolConfigInvalidReason(const SocketPoolConfig& config) {
  if (config.max_sockets_per_group < 1) {
    return absl::StrCat("max_sockets_per_group must be at least 1, not ",
                        config.max_sockets_per_group);
  }
  if (config.max_sockets_total < config.max_sockets_per_group) {
    return absl::StrCat("max_sockets_total (", config.max_sockets_total,
                        ") must be at least max_sockets_per_group (",
                        config.max_sockets_per_group, ")");
  }
  if (config.unused_idle_timeout < absl::ZeroDuration() ||
      config.used_idle_timeout < absl::ZeroDuration()) {
    return "idle timeouts must not be negative";
  }
  return std::string();
}

SocketPoolManager::SocketPoolManager(const SocketPoolConfig& config,
                                     ConnectJobFactory* connect_job_factory,
                                     SocketPoolObserver* observer)
    : config_(config),
      net_log_(NetLogWithSource::Make(NetLogSourceType::SOCKET_POOL)),
      tracker_(observer, net_log_),
      pool_(config, connect_job_factory, &tracker_),
      http2_sessions_(Http2SessionOptionsFor(config)) {
  CHECK(SocketPoolConfigInvalidReason(config).empty());
}

// static
Http2SessionOptions SocketPoolManager::Http2SessionOptionsFor(
    const SocketPoolConfig& config) {
  Http2SessionOptions options;
  // A session is a used connection: it idles out like a used socket.
  options.idle_timeout = config.used_idle_timeout;
  return options;
}

void SocketPoolManager::OnRequestServedBySession(const GroupId& group_id) {
  // For strand detection a stream on an existing session is a request served
  // from that session's group, just like a reused socket.
  tracker_.OnSocketHandedOut(group_id,
                             ClientSocketHandle::ReuseType::kReusedIdle, 0);
}

SocketPoolManager::~SocketPoolManager() = default;

GroupId SocketPoolManager::EffectiveGroupId(const GroupId& group_id) const {
  if (config_.partition_connections)
    return group_id;
  return group_id.WithoutNetworkAnonymizationKey();
}

int SocketPoolManager::CheckGroupId(const GroupId& group_id) {
  std::string reason = group_id.InvalidReason();
  if (reason.empty())
    return OK;
  last_error_message_ =
      absl::StrCat("invalid group ", group_id.ToString(), ": ", reason);
  return ERR_INVALID_ARGUMENT;
}

int SocketPoolManager::RequestSocket(const GroupId& group_id,
                                     RequestPriority priority,
                                     ClientSocketHandle* handle,
                                     CompletionOnceCallback callback,
                                     const NetLogWithSource& net_log) {
  if (int rv = CheckGroupId(group_id); rv != OK)
    return rv;
  if (priority < MINIMUM_PRIORITY || priority > MAXIMUM_PRIORITY) {
    last_error_message_ =
        absl::StrCat("request priority ", static_cast<int>(priority),
                     " is outside THROTTLED..HIGHEST");
    return ERR_INVALID_ARGUMENT;
  }
  if (!handle) {
    last_error_message_ = "RequestSocket needs a ClientSocketHandle";
    return ERR_INVALID_ARGUMENT;
  }
  if (handle->is_pending() || handle->is_initialized()) {
    last_error_message_ =
        "the ClientSocketHandle is already in use; Reset() it first";
    return ERR_INVALID_ARGUMENT;
  }
  if (!callback) {
    last_error_message_ = "RequestSocket needs a completion callback";
    return ERR_INVALID_ARGUMENT;
  }
  if (config_.partition_connections) {
    return pool_.RequestSocket(group_id, priority, handle, std::move(callback),
                               net_log);
  }
  return pool_.RequestSocket(group_id.WithoutNetworkAnonymizationKey(),
                             priority, handle, std::move(callback), net_log);
}

RequestSocketsResult SocketPoolManager::RequestSockets(
    const GroupId& group_id,
    int num_sockets,
    const NetLogWithSource& net_log,
    PreconnectBinding binding) {
  RequestSocketsResult result;
  if (int rv = CheckGroupId(group_id); rv != OK) {
    result.error = rv;
    result.error_message = last_error_message_;
    return result;
  }
  if (num_sockets < 0) {
    result.error = ERR_INVALID_ARGUMENT;
    result.error_message =
        absl::StrCat("num_sockets must not be negative, not ", num_sockets);
    last_error_message_ = result.error_message;
    return result;
  }
  if (num_sockets == 0)
    return result;
  const GroupId effective = EffectiveGroupId(group_id);
  // HTTP/2-aware preconnect: an origin known to speak h2 (in this partition)
  // multiplexes every request of the group over one connection, so one is
  // all a preconnect opens, and none if a session is already up.
  if (http2_sessions_.origin_cache().SpeaksHttp2(effective)) {
    if (http2_sessions_.FindAvailableSession(effective))
      return result;
    num_sockets = 1;
  }
  result = pool_.RequestSockets(effective, num_sockets, binding);
  if (result.error != OK)
    last_error_message_ = result.error_message;
  net_log.AddEvent(NetLogEventType::SOCKET_POOL_CONNECTING_N_SOCKETS, [&] {
    google::protobuf::Struct params;
    auto& fields = *params.mutable_fields();
    fields["group_id"].set_string_value(EffectiveGroupId(group_id).ToString());
    fields["num_sockets"].set_number_value(num_sockets);
    fields["started"].set_number_value(result.preconnect_ids.size());
    fields["unbound"].set_bool_value(binding == PreconnectBinding::kUnbound &&
                                     config_.late_binding);
    if (result.error != OK) {
      fields["net_error"].set_number_value(result.error);
      fields["message"].set_string_value(result.error_message);
    }
    return params;
  });
  return result;
}

void SocketPoolManager::CloseIdleSockets() {
  net_log_.AddEventWithStringParams(NetLogEventType::SOCKET_POOL_FLUSHED,
                                    "reason", "close_idle_sockets");
  pool_.CloseIdleSockets();
  http2_sessions_.CloseIdleSessions();
}

void SocketPoolManager::FlushWithError(int error) {
  net_log_.AddEventWithStringParams(NetLogEventType::SOCKET_POOL_FLUSHED,
                                    "reason", ErrorToShortString(error));
  http2_sessions_.CloseAllSessions(error);
  pool_.FlushWithError(error);
}

namespace {

// The counters are int64_t; the message has no 64-bit integers (see
// pool_state.proto).
uint32_t Saturated(int64_t count) {
  return static_cast<uint32_t>(
      std::clamp<int64_t>(count, 0, std::numeric_limits<uint32_t>::max()));
}

}  // namespace

void SocketPoolManager::GetState(pool_state::PoolState* state) const {
  state->Clear();
  pool_.DumpState(state);
  http2_sessions_.DumpState(state);
  state->set_partition_connections(config_.partition_connections);
  const PreconnectCounters& counters = tracker_.counters();
  pool_state::PreconnectCounters& preconnect = *state->mutable_preconnect();
  preconnect.set_started(Saturated(counters.started));
  preconnect.set_live(Saturated(static_cast<int64_t>(tracker_.live_count())));
  preconnect.set_used(Saturated(counters.used));
  preconnect.set_expired_unused(Saturated(counters.expired_unused));
  preconnect.set_evicted(Saturated(counters.evicted));
  preconnect.set_closed_by_peer(Saturated(counters.closed_by_peer));
  preconnect.set_flushed(Saturated(counters.flushed));
  preconnect.set_failed(Saturated(counters.failed));
  preconnect.set_stranded(Saturated(counters.stranded));
  preconnect.set_live_strand_marked(Saturated(counters.live_strand_marked));
  preconnect.set_late_bound(Saturated(counters.late_bound));
}

std::string SocketPoolManager::GetStateAsJson() const {
  pool_state::PoolState state;
  GetState(&state);
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  auto status =
      google::protobuf::util::MessageToJsonString(state, &json, options);
  CHECK(status.ok());
  return json;
}

std::optional<PreconnectSocketState>
SocketPoolManager::GetPreconnectSocketState(uint64_t preconnect_id) const {
  return tracker_.GetState(preconnect_id);
}

bool SocketPoolManager::HasGroup(const GroupId& group_id) const {
  return pool_.HasGroup(EffectiveGroupId(group_id));
}

int SocketPoolManager::IdleSocketCountInGroup(const GroupId& group_id) const {
  return pool_.IdleSocketCountInGroup(EffectiveGroupId(group_id));
}

int SocketPoolManager::ConnectingSocketCountInGroup(
    const GroupId& group_id) const {
  return pool_.ConnectingSocketCountInGroup(EffectiveGroupId(group_id));
}

int SocketPoolManager::HandedOutSocketCountInGroup(
    const GroupId& group_id) const {
  return pool_.HandedOutSocketCountInGroup(EffectiveGroupId(group_id));
}

int SocketPoolManager::PendingRequestCountInGroup(
    const GroupId& group_id) const {
  return pool_.PendingRequestCountInGroup(EffectiveGroupId(group_id));
}

int SocketPoolManager::UnboundSocketCountInGroup(
    const GroupId& group_id) const {
  return pool_.UnboundSocketCountInGroup(EffectiveGroupId(group_id));
}

}  // namespace net
