#include "socket_pool/transport_client_socket_pool.h"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <utility>

#include "google/protobuf/struct.pb.h"
#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/log/net_log_values.h"
#include "net/socket/connect_job.h"
#include "net/socket/stream_socket.h"
#include "socket_pool/pool_state.pb.h"
#include "socket_pool/preconnect_tracker.h"

namespace net {

// An idle socket, linked in one of the pool's two global LRU lists.
struct TransportClientSocketPool::IdleSocket {
  std::unique_ptr<StreamSocket> socket;
  absl::Time start_time;
  SocketGroup* group = nullptr;
  uint64_t preconnect_id = 0;
  bool used = false;
};

// A connect job in flight for a group. It is its job's delegate, so the pool
// learns which group a finished job belongs to without a lookup.
struct TransportClientSocketPool::Job : public ConnectJob::Delegate {
  Job(TransportClientSocketPool* pool,
      SocketGroup* group,
      RequestPriority priority,
      uint64_t preconnect_id)
      : pool(pool),
        group(group),
        priority(priority),
        preconnect_id(preconnect_id) {}

  void OnConnectJobComplete(int result, ConnectJob* job) override {
    DCHECK(job == connect_job.get());
    pool->OnJobComplete(this, result);
  }

  TransportClientSocketPool* const pool;
  SocketGroup* const group;
  RequestPriority priority;
  const uint64_t preconnect_id;
  std::unique_ptr<ConnectJob> connect_job;
  std::list<Job>::iterator self;
};

// One group: the sockets and requests of one GroupId.
struct SocketGroup {
  using IdleIterator = TransportClientSocketPool::IdleIterator;

  explicit SocketGroup(GroupId id) : id(std::move(id)) {}

  int idle_count() const {
    return static_cast<int>(idle_used.size() + idle_unused.size());
  }
  // Slots counted against the group limit.
  int slot_count() const {
    return handed_out + static_cast<int>(jobs.size()) + idle_count();
  }
  bool empty() const { return slot_count() == 0 && pending.empty(); }

  const GroupId id;
  // This group's entries of the pool's idle lists, oldest first.
  std::vector<IdleIterator> idle_used;
  std::vector<IdleIterator> idle_unused;
  std::list<TransportClientSocketPool::Job> jobs;
  TransportClientSocketPool::RequestQueue pending;
  int handed_out = 0;
  // The key of this group's entry in the pool's stall index, if any.
  bool stalled = false;
  TransportClientSocketPool::RequestKey stall_key{};
};

TransportClientSocketPool::TransportClientSocketPool(
    const SocketPoolConfig& config,
    ConnectJobFactory* connect_job_factory,
    PreconnectTracker* preconnect_tracker)
    : config_(config),
      connect_job_factory_(connect_job_factory),
      preconnect_tracker_(preconnect_tracker),
      loop_(EventLoop::Current()) {
  CHECK(loop_ != nullptr);
  CHECK(connect_job_factory_ != nullptr);
  CHECK(preconnect_tracker_ != nullptr);
}

TransportClientSocketPool::~TransportClientSocketPool() {
  CloseAllIdleSockets(PreconnectOutcome::kFlushed);
  for (auto& [id, group] : groups_) {
    while (!group->jobs.empty())
      CancelJob(*group, group->jobs.begin());
    // A handle still pending here outlived its manager; make its Reset()
    // harmless rather than touch freed memory.
    for (auto& [key, handle] : group->pending) {
      handle->pool_ = nullptr;
      handle->group_ = nullptr;
      handle->pending_ = false;
      handle->callback_ = nullptr;
    }
  }
}

const GroupId& TransportClientSocketPool::GroupIdOf(const SocketGroup* group) {
  return group->id;
}

void TransportClientSocketPool::LogReusedSocket(ClientSocketHandle* handle,
                                                absl::Time idle_start,
                                                uint64_t preconnect_id,
                                                bool used) const {
  if (!handle->net_log_.IsCapturing())
    return;
  handle->net_log_.AddEvent(
      NetLogEventType::SOCKET_POOL_REUSED_AN_EXISTING_SOCKET, [&] {
        google::protobuf::Struct params;
        SetNetLogInt(&params, "idle_ms",
                     absl::ToInt64Milliseconds(Now() - idle_start));
        SetNetLogBool(&params, "was_preconnected", preconnect_id != 0);
        SetNetLogBool(&params, "was_used", used);
        return params;
      });
}

absl::Time TransportClientSocketPool::Now() const {
  return loop_->NowTicks();
}

SocketGroup& TransportClientSocketPool::GetOrCreateGroup(
    const GroupId& group_id) {
  auto [it, inserted] = groups_.try_emplace(group_id);
  if (inserted)
    it->second = std::make_unique<SocketGroup>(group_id);
  return *it->second;
}

const SocketGroup* TransportClientSocketPool::FindGroup(
    const GroupId& group_id) const {
  auto it = groups_.find(group_id);
  return it == groups_.end() ? nullptr : it->second.get();
}

void TransportClientSocketPool::MaybeDeleteGroup(SocketGroup* group) {
  if (!group->empty())
    return;
  DCHECK(!group->stalled);
  groups_.erase(group->id);
}

int TransportClientSocketPool::RequestSocket(const GroupId& group_id,
                                             RequestPriority priority,
                                             ClientSocketHandle* handle,
                                             CompletionOnceCallback callback,
                                             const NetLogWithSource& net_log) {
  SocketGroup& group = GetOrCreateGroup(group_id);
  handle->pool_ = this;
  handle->group_ = &group;
  handle->net_log_ = net_log;
  if (net_log.IsCapturing()) {
    net_log.BeginEvent(NetLogEventType::SOCKET_POOL, [&] {
      google::protobuf::Struct params;
      SetNetLogString(&params, "group_id", group.id.ToString());
      SetNetLogString(&params, "priority", RequestPriorityToString(priority));
      return params;
    });
  }
  if (TakeIdleSocket(group, handle)) {
    net_log.EndEvent(NetLogEventType::SOCKET_POOL);
    return OK;
  }

  handle->pending_ = true;
  handle->priority_ = priority;
  handle->request_sequence_ = next_request_sequence_++;
  handle->callback_ = std::move(callback);
  group.pending.emplace(RequestKey{priority, handle->request_sequence_},
                        handle);

  synchronous_handle_ = handle;
  synchronous_result_ = ERR_IO_PENDING;
  if (group.pending.size() <= group.jobs.size()) {
    // A job nobody waited for (typically a preconnect) will serve this
    // request: adopt it rather than open a second connection, and let it
    // connect at this request's priority.
    for (Job& job : group.jobs) {
      if (job.priority < priority) {
        job.priority = priority;
        job.connect_job->ChangePriority(priority);
        break;
      }
    }
  } else if (group.slot_count() < config_.max_sockets_per_group) {
    if (total_socket_count() >= config_.max_sockets_total)
      CloseOneIdleSocketExcept(&group);
    if (total_socket_count() < config_.max_sockets_total) {
      StartJob(group, priority, /*preconnect_id=*/0);
    } else {
      net_log.AddEvent(NetLogEventType::SOCKET_POOL_STALLED_MAX_SOCKETS);
    }
  } else {
    net_log.AddEvent(
        NetLogEventType::SOCKET_POOL_STALLED_MAX_SOCKETS_PER_GROUP);
  }
  UpdateStallIndex(group);
  synchronous_handle_ = nullptr;
  int result = synchronous_result_;
  // An empty group is never stalled, so deleting it first keeps
  // ProcessStalledGroups() from seeing it.
  if (result != ERR_IO_PENDING && !handle->is_initialized())
    MaybeDeleteGroup(&group);
  ProcessStalledGroups();
  return result;
}

RequestSocketsResult TransportClientSocketPool::RequestSockets(
    const GroupId& group_id,
    int num_sockets) {
  RequestSocketsResult result;
  num_sockets = std::min(num_sockets, config_.max_sockets_per_group);
  SocketGroup& group = GetOrCreateGroup(group_id);
  // Dead idle sockets must not count towards the top-up.
  CloseDeadIdleSockets(group);
  while (group.slot_count() < num_sockets) {
    if (total_socket_count() >= config_.max_sockets_total &&
        !CloseOneIdleSocketExcept(&group)) {
      result.error = ERR_PRECONNECT_MAX_SOCKET_LIMIT;
      result.error_message =
          "the manager limit of " + std::to_string(config_.max_sockets_total) +
          " sockets is reached and no other group has an idle socket to close";
      break;
    }
    uint64_t id = preconnect_tracker_->OnStarted(group.id, Now());
    result.preconnect_ids.push_back(id);
    int rv = StartJob(group, IDLE, id);
    // A synchronous failure leaves the slot free; trying again would fail
    // the same way.
    if (rv != OK && rv != ERR_IO_PENDING) {
      result.error = rv;
      result.error_message =
          "a preconnect connect job failed synchronously with " +
          ErrorToShortString(rv);
      break;
    }
  }
  UpdateStallIndex(group);
  MaybeDeleteGroup(&group);
  ProcessStalledGroups();
  return result;
}

bool TransportClientSocketPool::TakeIdleSocket(SocketGroup& group,
                                               ClientSocketHandle* handle) {
  // Prefer the most recently used socket that served a request before: its
  // congestion window is warm and it is the least likely to have timed out.
  while (!group.idle_used.empty()) {
    IdleIterator it = group.idle_used.back();
    group.idle_used.pop_back();
    std::unique_ptr<StreamSocket> socket = std::move(it->socket);
    absl::Time idle_start = it->start_time;
    RecycleIdleNode(idle_used_, it);
    --idle_count_;
    if (socket->IsConnectedAndIdle()) {
      LogReusedSocket(handle, idle_start, /*preconnect_id=*/0,
                      /*used=*/true);
      HandOut(group, handle, std::move(socket),
              ClientSocketHandle::ReuseType::kReusedIdle, {}, 0);
      return true;
    }
  }
  // Then the oldest never-used one: it expires first. Unread data is allowed
  // here (a server may speak first, e.g. HTTP/2 SETTINGS).
  while (!group.idle_unused.empty()) {
    IdleIterator it = group.idle_unused.front();
    group.idle_unused.erase(group.idle_unused.begin());
    std::unique_ptr<StreamSocket> socket = std::move(it->socket);
    uint64_t preconnect_id = it->preconnect_id;
    absl::Time idle_start = it->start_time;
    RecycleIdleNode(idle_unused_, it);
    --idle_count_;
    if (socket->IsConnected()) {
      LogReusedSocket(handle, idle_start, preconnect_id, /*used=*/false);
      HandOut(group, handle, std::move(socket),
              ClientSocketHandle::ReuseType::kUnusedIdle, {}, preconnect_id);
      return true;
    }
    if (preconnect_id != 0) {
      preconnect_tracker_->OnEnded(preconnect_id,
                                   PreconnectOutcome::kClosedByPeer, OK);
    }
  }
  return false;
}

void TransportClientSocketPool::AddIdleSocket(
    SocketGroup& group,
    std::unique_ptr<StreamSocket> socket,
    uint64_t preconnect_id) {
  bool used = socket->WasEverUsed();
  absl::Time now = Now();
  IdleList& list = used ? idle_used_ : idle_unused_;
  if (spare_idle_nodes_.empty()) {
    list.emplace_back();
  } else {
    list.splice(list.end(), spare_idle_nodes_, spare_idle_nodes_.begin());
  }
  list.back() = IdleSocket{std::move(socket), now, &group, preconnect_id, used};
  (used ? group.idle_used : group.idle_unused).push_back(std::prev(list.end()));
  ++idle_count_;
  ScheduleIdleTimer(
      now + (used ? config_.used_idle_timeout : config_.unused_idle_timeout));
}

void TransportClientSocketPool::RecycleIdleNode(IdleList& list,
                                                IdleIterator it) {
  DCHECK(!it->socket);
  if (spare_idle_nodes_.size() < kMaxSpareIdleNodes)
    spare_idle_nodes_.splice(spare_idle_nodes_.end(), list, it);
  else
    list.erase(it);
}

void TransportClientSocketPool::CloseIdleSocket(IdleIterator it,
                                                PreconnectOutcome outcome) {
  SocketGroup& group = *it->group;
  std::vector<IdleIterator>& entries =
      it->used ? group.idle_used : group.idle_unused;
  entries.erase(std::find(entries.begin(), entries.end(), it));
  uint64_t preconnect_id = it->preconnect_id;
  it->socket.reset();
  RecycleIdleNode(it->used ? idle_used_ : idle_unused_, it);
  --idle_count_;
  if (preconnect_id != 0)
    preconnect_tracker_->OnEnded(preconnect_id, outcome, OK);
}

bool TransportClientSocketPool::CloseOneIdleSocketExcept(
    const SocketGroup* except) {
  // Sockets of `except` are skipped; there are at most
  // max_sockets_per_group of them, so this stays O(group limit).
  auto first_not_in = [except](IdleList& list) {
    auto it = list.begin();
    while (it != list.end() && it->group == except)
      ++it;
    return it;
  };
  IdleIterator unused = first_not_in(idle_unused_);
  IdleIterator used = first_not_in(idle_used_);
  IdleIterator victim;
  if (unused == idle_unused_.end() && used == idle_used_.end())
    return false;
  if (unused == idle_unused_.end())
    victim = used;
  else if (used == idle_used_.end())
    victim = unused;
  else
    victim = used->start_time < unused->start_time ? used : unused;
  SocketGroup* group = victim->group;
  CloseIdleSocket(victim, PreconnectOutcome::kEvicted);
  MaybeDeleteGroup(group);
  return true;
}

void TransportClientSocketPool::CloseAllIdleSockets(PreconnectOutcome outcome) {
  // Oldest first, so outcomes are reported in a stable order.
  while (!idle_unused_.empty() || !idle_used_.empty()) {
    IdleIterator it;
    if (idle_used_.empty())
      it = idle_unused_.begin();
    else if (idle_unused_.empty())
      it = idle_used_.begin();
    else if (idle_used_.front().start_time < idle_unused_.front().start_time)
      it = idle_used_.begin();
    else
      it = idle_unused_.begin();
    CloseIdleSocket(it, outcome);
  }
}

void TransportClientSocketPool::CloseDeadIdleSockets(SocketGroup& group) {
  std::vector<IdleIterator> dead;
  for (IdleIterator it : group.idle_used) {
    if (!it->socket->IsConnectedAndIdle())
      dead.push_back(it);
  }
  for (IdleIterator it : group.idle_unused) {
    if (!it->socket->IsConnected())
      dead.push_back(it);
  }
  for (IdleIterator it : dead)
    CloseIdleSocket(it, PreconnectOutcome::kClosedByPeer);
}

void TransportClientSocketPool::CloseIdleSockets() {
  CloseAllIdleSockets(PreconnectOutcome::kFlushed);
  absl::erase_if(groups_,
                 [](const auto& entry) { return entry.second->empty(); });
  ProcessStalledGroups();
}

void TransportClientSocketPool::FlushWithError(int error) {
  ++generation_;
  CloseAllIdleSockets(PreconnectOutcome::kFlushed);
  stalled_groups_.clear();
  for (auto& [id, group] : groups_) {
    group->stalled = false;
    while (!group->jobs.empty())
      CancelJob(*group, group->jobs.begin());
    while (!group->pending.empty())
      CompleteFirstRequest(*group, error, nullptr,
                           ClientSocketHandle::ReuseType::kUnused, {}, 0);
  }
  absl::erase_if(groups_,
                 [](const auto& entry) { return entry.second->empty(); });
}

void TransportClientSocketPool::ScheduleIdleTimer(absl::Time deadline) {
  if (idle_timer_.IsRunning() && idle_timer_.desired_run_time() <= deadline)
    return;
  idle_timer_.Start(std::max(deadline - Now(), absl::ZeroDuration()),
                    [this] { OnIdleTimer(); });
}

void TransportClientSocketPool::OnIdleTimer() {
  absl::Time now = Now();
  auto expire = [this, now](IdleList& list, absl::Duration timeout) {
    while (!list.empty() && list.front().start_time + timeout <= now) {
      SocketGroup* group = list.front().group;
      CloseIdleSocket(list.begin(), PreconnectOutcome::kExpiredUnused);
      MaybeDeleteGroup(group);
    }
  };
  expire(idle_unused_, config_.unused_idle_timeout);
  expire(idle_used_, config_.used_idle_timeout);
  // Lists are in expiry order: their fronts give the next deadline.
  if (!idle_unused_.empty()) {
    ScheduleIdleTimer(idle_unused_.front().start_time +
                      config_.unused_idle_timeout);
  }
  if (!idle_used_.empty())
    ScheduleIdleTimer(idle_used_.front().start_time +
                      config_.used_idle_timeout);
  ProcessStalledGroups();
}

int TransportClientSocketPool::StartJob(SocketGroup& group,
                                        RequestPriority priority,
                                        uint64_t preconnect_id) {
  Job& job = group.jobs.emplace_back(this, &group, priority, preconnect_id);
  job.self = std::prev(group.jobs.end());
  ++connecting_count_;
  ConnectJobParams params;
  params.scheme = group.id.scheme();
  params.destination = group.id.destination();
  params.privacy_mode = group.id.privacy_mode();
  params.network_anonymization_key = group.id.network_anonymization_key();
  params.priority = priority;
  job.connect_job = connect_job_factory_->CreateConnectJob(params, &job);
  int result = job.connect_job->Connect();
  if (result != ERR_IO_PENDING)
    FinishJob(&job, result, /*defer_job_deletion=*/false);
  return result;
}

void TransportClientSocketPool::OnJobComplete(Job* job, int result) {
  // Jobs that finished earlier have returned from their callbacks by now.
  finished_jobs_.clear();
  SocketGroup* group = job->group;
  // This ConnectJob is still on the stack that called us.
  FinishJob(job, result, /*defer_job_deletion=*/true);
  MaybeDeleteGroup(group);
  ProcessStalledGroups();
}

void TransportClientSocketPool::FinishJob(Job* job,
                                          int result,
                                          bool defer_job_deletion) {
  SocketGroup& group = *job->group;
  uint64_t preconnect_id = job->preconnect_id;
  std::unique_ptr<ConnectJob> connect_job = std::move(job->connect_job);
  group.jobs.erase(job->self);
  --connecting_count_;

  std::unique_ptr<StreamSocket> socket;
  if (result == OK) {
    socket = connect_job->PassSocket();
    if (!socket)
      result = ERR_UNEXPECTED;
  }
  LoadTimingInfo::ConnectTiming timing = connect_job->connect_timing();
  const std::string error_message =
      result == OK ? std::string() : connect_job->error_message();
  if (defer_job_deletion)
    finished_jobs_.push_back(std::move(connect_job));
  else
    connect_job.reset();

  if (result == OK) {
    if (!group.pending.empty()) {
      CompleteFirstRequest(group, OK, std::move(socket),
                           ClientSocketHandle::ReuseType::kUnused, timing,
                           preconnect_id);
    } else {
      if (preconnect_id != 0)
        preconnect_tracker_->OnConnected(preconnect_id);
      AddIdleSocket(group, std::move(socket), preconnect_id);
    }
  } else {
    if (preconnect_id != 0)
      preconnect_tracker_->OnEnded(preconnect_id, PreconnectOutcome::kFailed,
                                   result);
    // The job covered a waiting request (late binding: the first one); that
    // request gets the error, as in Chromium.
    if (group.pending.size() > group.jobs.size()) {
      CompleteFirstRequest(group, result, nullptr,
                           ClientSocketHandle::ReuseType::kUnused, {}, 0,
                           error_message);
    }
  }
  UpdateStallIndex(group);
}

void TransportClientSocketPool::CancelJob(SocketGroup& group,
                                          std::list<Job>::iterator job) {
  if (job->preconnect_id != 0) {
    preconnect_tracker_->OnEnded(job->preconnect_id,
                                 PreconnectOutcome::kFlushed, OK);
  }
  group.jobs.erase(job);
  --connecting_count_;
}

void TransportClientSocketPool::CompleteFirstRequest(
    SocketGroup& group,
    int result,
    std::unique_ptr<StreamSocket> socket,
    ClientSocketHandle::ReuseType reuse_type,
    const LoadTimingInfo::ConnectTiming& timing,
    uint64_t preconnect_id,
    const std::string& error_message) {
  DCHECK(!group.pending.empty());
  ClientSocketHandle* handle = group.pending.begin()->second;
  group.pending.erase(group.pending.begin());
  handle->pending_ = false;
  handle->net_log_.EndEventWithNetErrorCode(NetLogEventType::SOCKET_POOL,
                                            result);
  if (result == OK) {
    HandOut(group, handle, std::move(socket), reuse_type, timing,
            preconnect_id);
  } else {
    handle->pool_ = nullptr;
    handle->group_ = nullptr;
    handle->error_message_ = error_message;
  }
  if (handle == synchronous_handle_) {
    synchronous_result_ = result;
    handle->callback_ = nullptr;
    return;
  }
  loop_->PostTask([weak_handle = handle->weak_factory_.GetWeakPtr(), result] {
    if (ClientSocketHandle* live_handle = weak_handle.get())
      live_handle->RunCallback(result);
  });
}

void TransportClientSocketPool::HandOut(
    SocketGroup& group,
    ClientSocketHandle* handle,
    std::unique_ptr<StreamSocket> socket,
    ClientSocketHandle::ReuseType reuse_type,
    const LoadTimingInfo::ConnectTiming& timing,
    uint64_t preconnect_id) {
  handle->socket_ = std::move(socket);
  handle->reuse_type_ = reuse_type;
  handle->connect_timing_ = timing;
  handle->preconnect_id_ = preconnect_id;
  handle->generation_ = generation_;
  handle->reusable_ = true;
  ++group.handed_out;
  ++handed_out_count_;
  preconnect_tracker_->OnSocketHandedOut(group.id, reuse_type, preconnect_id);
}

void TransportClientSocketPool::ReleaseSocket(ClientSocketHandle* handle) {
  SocketGroup& group = *handle->group_;
  std::unique_ptr<StreamSocket> socket = std::move(handle->socket_);
  --group.handed_out;
  --handed_out_count_;
  bool keep = handle->reusable_ && handle->generation_ == generation_ &&
              socket->IsConnectedAndIdle();
  if (keep) {
    if (!group.pending.empty()) {
      // Only possible for requests over the group limit: give the socket
      // straight to the best of them.
      ClientSocketHandle::ReuseType reuse_type =
          socket->WasEverUsed() ? ClientSocketHandle::ReuseType::kReusedIdle
                                : ClientSocketHandle::ReuseType::kUnusedIdle;
      CompleteFirstRequest(group, OK, std::move(socket), reuse_type, {}, 0);
    } else {
      AddIdleSocket(group, std::move(socket), 0);
    }
  } else {
    socket.reset();
  }
  UpdateStallIndex(group);
  MaybeDeleteGroup(&group);
  ProcessStalledGroups();
}

void TransportClientSocketPool::CancelRequest(ClientSocketHandle* handle) {
  SocketGroup& group = *handle->group_;
  group.pending.erase(RequestKey{handle->priority_, handle->request_sequence_});
  handle->net_log_.AddEvent(NetLogEventType::CANCELLED);
  handle->net_log_.EndEvent(NetLogEventType::SOCKET_POOL);
  // A job that no request needs any more keeps connecting (its socket will
  // go idle), unless other groups are stalled at the manager limit: then its
  // slot is worth more to them. Preconnect jobs are never cancelled here.
  if (group.jobs.size() > group.pending.size() && !stalled_groups_.empty() &&
      total_socket_count() >= config_.max_sockets_total) {
    for (auto it = group.jobs.rbegin(); it != group.jobs.rend(); ++it) {
      if (it->preconnect_id == 0) {
        CancelJob(group, std::prev(it.base()));
        break;
      }
    }
  }
  UpdateStallIndex(group);
  MaybeDeleteGroup(&group);
  ProcessStalledGroups();
}

void TransportClientSocketPool::UpdateStallIndex(SocketGroup& group) {
  if (group.stalled) {
    stalled_groups_.erase(group.stall_key);
    group.stalled = false;
  }
  if (group.pending.size() <= group.jobs.size() ||
      group.slot_count() >= config_.max_sockets_per_group) {
    return;
  }
  // Jobs cover the first requests; the first request after them is the one a
  // new job would be for.
  auto first_uncovered = group.pending.begin();
  std::advance(first_uncovered, group.jobs.size());
  group.stall_key = first_uncovered->first;
  group.stalled = true;
  stalled_groups_.emplace(group.stall_key, &group);
}

void TransportClientSocketPool::ProcessStalledGroups() {
  while (!stalled_groups_.empty()) {
    if (total_socket_count() >= config_.max_sockets_total &&
        !CloseOneIdleSocketExcept(nullptr)) {
      return;
    }
    auto [key, group] = *stalled_groups_.begin();
    StartJob(*group, key.priority, /*preconnect_id=*/0);
    UpdateStallIndex(*group);
    MaybeDeleteGroup(group);
  }
}

bool TransportClientSocketPool::HasGroup(const GroupId& group_id) const {
  return FindGroup(group_id) != nullptr;
}

int TransportClientSocketPool::IdleSocketCountInGroup(
    const GroupId& group_id) const {
  const SocketGroup* group = FindGroup(group_id);
  return group ? group->idle_count() : 0;
}

int TransportClientSocketPool::ConnectingSocketCountInGroup(
    const GroupId& group_id) const {
  const SocketGroup* group = FindGroup(group_id);
  return group ? static_cast<int>(group->jobs.size()) : 0;
}

int TransportClientSocketPool::HandedOutSocketCountInGroup(
    const GroupId& group_id) const {
  const SocketGroup* group = FindGroup(group_id);
  return group ? group->handed_out : 0;
}

int TransportClientSocketPool::PendingRequestCountInGroup(
    const GroupId& group_id) const {
  const SocketGroup* group = FindGroup(group_id);
  return group ? static_cast<int>(group->pending.size()) : 0;
}

void TransportClientSocketPool::DumpState(pool_state::PoolState* state) const {
  pool_state::Limits& limits = *state->mutable_limits();
  limits.set_max_sockets_per_group(config_.max_sockets_per_group);
  limits.set_max_sockets_total(config_.max_sockets_total);
  limits.set_unused_idle_timeout_s(
      absl::ToDoubleSeconds(config_.unused_idle_timeout));
  limits.set_used_idle_timeout_s(
      absl::ToDoubleSeconds(config_.used_idle_timeout));

  pool_state::Totals& totals = *state->mutable_totals();
  totals.set_idle(static_cast<uint32_t>(idle_count_));
  totals.set_connecting(static_cast<uint32_t>(connecting_count_));
  totals.set_handed_out(static_cast<uint32_t>(handed_out_count_));
  totals.set_groups(static_cast<uint32_t>(groups_.size()));
  totals.set_stalled_groups(static_cast<uint32_t>(stalled_groups_.size()));

  // The per-(scheme, privacy mode) pools, groups sorted by key.
  std::map<std::pair<std::string_view, PrivacyMode>,
           std::vector<const SocketGroup*>>
      pools;
  for (const auto& [id, group] : groups_)
    pools[{id.scheme(), id.privacy_mode()}].push_back(group.get());
  absl::Time now = Now();
  state->mutable_pools()->Reserve(static_cast<int>(pools.size()));
  for (auto& [pool_key, groups] : pools) {
    std::sort(groups.begin(), groups.end(),
              [](const SocketGroup* a, const SocketGroup* b) {
                return a->id < b->id;
              });
    pool_state::Pool& pool = *state->add_pools();
    pool.set_scheme(std::string(pool_key.first));
    pool.set_privacy_mode(std::string(PrivacyModeToString(pool_key.second)));
    pool.mutable_groups()->Reserve(static_cast<int>(groups.size()));
    for (const SocketGroup* group : groups) {
      pool_state::Group& entry = *pool.add_groups();
      entry.set_group_id(group->id.ToString());
      entry.set_idle(static_cast<uint32_t>(group->idle_count()));
      entry.set_active(static_cast<uint32_t>(group->handed_out));
      entry.set_connecting(static_cast<uint32_t>(group->jobs.size()));
      entry.set_waiting(static_cast<uint32_t>(group->pending.size()));
      entry.mutable_idle_sockets()->Reserve(group->idle_count());
      for (const auto* entries : {&group->idle_unused, &group->idle_used}) {
        for (IdleIterator it : *entries) {
          pool_state::IdleSocket& idle = *entry.add_idle_sockets();
          idle.set_age_ms(absl::ToDoubleMilliseconds(now - it->start_time));
          idle.set_used(it->used);
          if (it->preconnect_id != 0)
            idle.set_preconnect_id(static_cast<double>(it->preconnect_id));
        }
      }
      for (const auto& [key, handle] : group->pending) {
        entry.add_waiting_requests()->set_priority(
            RequestPriorityToString(key.priority));
      }
    }
  }
}

}  // namespace net
