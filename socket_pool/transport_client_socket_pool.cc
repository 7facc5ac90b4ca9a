#include "socket_pool/transport_client_socket_pool.h"

#include <algorithm>
#include <iterator>
#include <optional>
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
  // In its partition's late-binding index.
  bool unbound = false;
};

// A connect job in flight for a group. It is its job's delegate, so the pool
// learns which group a finished job belongs to without a lookup.
struct TransportClientSocketPool::Job : public ConnectJob::Delegate {
  Job(TransportClientSocketPool* pool,
      SocketGroup* group,
      RequestPriority priority,
      uint64_t preconnect_id,
      bool unbound)
      : pool(pool),
        group(group),
        priority(priority),
        preconnect_id(preconnect_id),
        unbound(unbound) {}

  void OnConnectJobComplete(int result, ConnectJob* job) override {
    DCHECK(job == connect_job.get());
    pool->OnJobComplete(this, result);
  }

  TransportClientSocketPool* const pool;
  // Changes only when a request of a sibling group takes the job.
  SocketGroup* group;
  RequestPriority priority;
  const uint64_t preconnect_id;
  // In its partition's late-binding index.
  bool unbound;
  // Taken by a sibling group's request while connecting: the group it was
  // warmed in.
  std::optional<GroupId> warmed_group_id;
  std::unique_ptr<ConnectJob> connect_job;
  std::list<Job>::iterator self;
};

// One entry of a partition's late-binding index: a connecting job, or (job
// null) an idle socket.
struct TransportClientSocketPool::UnboundSocket {
  SocketGroup* group = nullptr;
  Job* job = nullptr;
  IdleIterator idle;
};

// The unbound sockets of one partition (scheme, host, port, NAK), by
// preconnect id: oldest first.
struct TransportClientSocketPool::SiblingSet {
  explicit SiblingSet(GroupId key) : key(std::move(key)) {}
  const GroupId key;
  // Groups pointing here.
  int group_refs = 0;
  std::map<uint64_t, UnboundSocket> unbound;
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
  int unbound = 0;
  // The partition's late-binding index; null when late binding is off.
  TransportClientSocketPool::SiblingSet* siblings = nullptr;
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
  if (inserted) {
    it->second = std::make_unique<SocketGroup>(group_id);
    // Only partitions that have had an unbound socket have an index; while
    // the pool has none, a new group costs no partition lookup at all.
    if (!sibling_sets_.empty()) {
      auto set = sibling_sets_.find(PartitionOf(group_id));
      if (set != sibling_sets_.end())
        AttachToSiblingSet(*it->second, set->second.get());
    }
  }
  return *it->second;
}

// static
GroupId TransportClientSocketPool::PartitionOf(const GroupId& group_id) {
  return GroupId(group_id.scheme(), group_id.destination(),
                 PrivacyMode::kDisabled, group_id.network_anonymization_key());
}

void TransportClientSocketPool::AttachToSiblingSet(SocketGroup& group,
                                                   SiblingSet* set) {
  DCHECK(!group.siblings);
  ++set->group_refs;
  group.siblings = set;
}

TransportClientSocketPool::SiblingSet&
TransportClientSocketPool::GetOrCreateSiblingSet(SocketGroup& group) {
  DCHECK(config_.late_binding);
  if (group.siblings)
    return *group.siblings;
  GroupId partition = PartitionOf(group.id);
  auto [entry, made] = sibling_sets_.try_emplace(partition);
  DCHECK(made);  // Every group of an existing partition index is attached.
  entry->second = std::make_unique<SiblingSet>(entry->first);
  SiblingSet* set = entry->second.get();
  // The groups of this partition made before its index, one per privacy
  // mode at most: four lookups, never a walk of the pool's groups.
  for (PrivacyMode mode : {PrivacyMode::kDisabled, PrivacyMode::kEnabled,
                           PrivacyMode::kEnabledWithoutClientCerts,
                           PrivacyMode::kEnabledPartitionedStateAllowed}) {
    auto sibling =
        groups_.find(GroupId(partition.scheme(), partition.destination(), mode,
                             partition.network_anonymization_key()));
    if (sibling != groups_.end())
      AttachToSiblingSet(*sibling->second, set);
  }
  DCHECK(group.siblings == set);
  return *set;
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
  EraseGroup(group);
}

void TransportClientSocketPool::EraseGroup(SocketGroup* group) {
  DCHECK(group->unbound == 0);
  if (SiblingSet* set = group->siblings; set && --set->group_refs == 0) {
    DCHECK(set->unbound.empty());
    sibling_sets_.erase(set->key);
  }
  groups_.erase(group->id);
}

void TransportClientSocketPool::EraseEmptyGroups() {
  std::vector<SocketGroup*> empty;
  for (const auto& [id, group] : groups_) {
    if (group->empty())
      empty.push_back(group.get());
  }
  for (SocketGroup* group : empty)
    EraseGroup(group);
}

void TransportClientSocketPool::AddUnbound(SocketGroup& group,
                                           uint64_t preconnect_id,
                                           Job* job,
                                           IdleIterator idle) {
  GetOrCreateSiblingSet(group).unbound[preconnect_id] =
      UnboundSocket{&group, job, idle};
  ++group.unbound;
  ++unbound_count_;
}

void TransportClientSocketPool::RemoveUnbound(SocketGroup& group,
                                              uint64_t preconnect_id) {
  group.siblings->unbound.erase(preconnect_id);
  --group.unbound;
  --unbound_count_;
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
  // Step 2a: nothing of its own to take or adopt; an unbound socket of a
  // sibling group, before a new connection.
  if (group.siblings && !group.siblings->unbound.empty() &&
      group.pending.size() >= group.jobs.size() &&
      group.slot_count() < config_.max_sockets_per_group &&
      TakeUnboundSibling(group, handle)) {
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
    int num_sockets,
    PreconnectBinding binding) {
  const bool unbound =
      binding == PreconnectBinding::kUnbound && config_.late_binding;
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
    int rv = StartJob(group, IDLE, id, unbound);
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
    bool unbound = it->unbound;
    if (unbound)
      RemoveUnbound(group, preconnect_id);
    RecycleIdleNode(idle_unused_, it);
    --idle_count_;
    if (socket->IsConnected()) {
      // Its first use binds it to the group it was warmed in.
      if (unbound)
        socket->BindToPrivacyMode(group.id.privacy_mode());
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
    uint64_t preconnect_id,
    bool unbound) {
  bool used = socket->WasEverUsed();
  absl::Time now = Now();
  IdleList& list = used ? idle_used_ : idle_unused_;
  if (spare_idle_nodes_.empty()) {
    list.emplace_back();
  } else {
    list.splice(list.end(), spare_idle_nodes_, spare_idle_nodes_.begin());
  }
  list.back() =
      IdleSocket{std::move(socket), now, &group, preconnect_id, used, unbound};
  (used ? group.idle_used : group.idle_unused).push_back(std::prev(list.end()));
  ++idle_count_;
  if (unbound)
    AddUnbound(group, preconnect_id, nullptr, std::prev(list.end()));
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
  if (it->unbound)
    RemoveUnbound(group, preconnect_id);
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
  EraseEmptyGroups();
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
  EraseEmptyGroups();
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
                                        uint64_t preconnect_id,
                                        bool unbound) {
  unbound = unbound && config_.late_binding;
  Job& job =
      group.jobs.emplace_back(this, &group, priority, preconnect_id, unbound);
  job.self = std::prev(group.jobs.end());
  if (unbound)
    AddUnbound(group, preconnect_id, &job, {});
  ++connecting_count_;
  ConnectJobParams params;
  params.scheme = group.id.scheme();
  params.destination = group.id.destination();
  params.privacy_mode = group.id.privacy_mode();
  params.network_anonymization_key = group.id.network_anonymization_key();
  params.priority = priority;
  params.unbound = unbound;
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
  bool unbound = job->unbound;
  std::optional<GroupId> warmed_group_id = std::move(job->warmed_group_id);
  if (unbound)
    RemoveUnbound(group, preconnect_id);
  std::unique_ptr<ConnectJob> connect_job = std::move(job->connect_job);
  group.jobs.erase(job->self);
  --connecting_count_;

  std::unique_ptr<StreamSocket> socket;
  if (result == OK) {
    socket = connect_job->PassSocket();
    if (!socket)
      result = ERR_UNEXPECTED;
  }
  const bool http2 = socket && socket->GetNegotiatedProtocol() == "h2";
  LoadTimingInfo::ConnectTiming timing = connect_job->connect_timing();
  const std::string error_message =
      result == OK ? std::string() : connect_job->error_message();
  if (defer_job_deletion)
    finished_jobs_.push_back(std::move(connect_job));
  else
    connect_job.reset();

  if (result == OK && warmed_group_id && !socket->CanBindToOtherPrivacyMode()) {
    // Taken while connecting, but the server asked for a client
    // certificate: the socket stays with the group it was warmed in, and
    // this group's request gets a connection of its own (the stall index
    // below starts it).
    ReturnToWarmedGroup(*warmed_group_id, std::move(socket), preconnect_id);
  } else if (result == OK) {
    if (warmed_group_id) {
      preconnect_tracker_->OnLateBound(preconnect_id, group.id);
      socket->BindToPrivacyMode(group.id.privacy_mode());
    } else if (unbound && (!group.pending.empty() ||
                           !socket->CanBindToOtherPrivacyMode())) {
      socket->BindToPrivacyMode(group.id.privacy_mode());
      unbound = false;
    }
    if (!group.pending.empty()) {
      CompleteFirstRequest(group, OK, std::move(socket),
                           ClientSocketHandle::ReuseType::kUnused, timing,
                           preconnect_id);
    } else {
      if (preconnect_id != 0)
        preconnect_tracker_->OnConnected(preconnect_id);
      AddIdleSocket(group, std::move(socket), preconnect_id,
                    unbound && !warmed_group_id);
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
  if (http2)
    CancelSurplusPreconnectJobs(group);
  UpdateStallIndex(group);
}

void TransportClientSocketPool::CancelSurplusPreconnectJobs(
    SocketGroup& group) {
  // One h2 connection carries the whole group: preconnect jobs that no
  // waiting request depends on are now waste (and server load).
  auto job = group.jobs.end();
  while (group.jobs.size() > group.pending.size() &&
         job != group.jobs.begin()) {
    --job;
    if (job->preconnect_id == 0)
      continue;
    auto cancelled = job;
    ++job;
    CancelJob(group, cancelled);
  }
}

void TransportClientSocketPool::CancelJob(SocketGroup& group,
                                          std::list<Job>::iterator job) {
  if (job->unbound)
    RemoveUnbound(group, job->preconnect_id);
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
    if (group.pending.size() > group.jobs.size()) {
      // A request no connect job covers (over the group limit): give the
      // socket straight to the best of them. A request with a connect job of
      // its own keeps it, so requests made together never share a socket
      // (FORMAT.md: same-at_ms steps are in flight together).
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

bool TransportClientSocketPool::TakeUnboundSibling(SocketGroup& group,
                                                   ClientSocketHandle* handle) {
  std::map<uint64_t, UnboundSocket>& unbound = group.siblings->unbound;
  for (auto entry = unbound.begin(); entry != unbound.end();) {
    SocketGroup& from = *entry->second.group;
    uint64_t preconnect_id = entry->first;
    // The oldest first; a job that covers a waiting request of its own group
    // is not spare (and this group's own jobs all cover its requests).
    if (&from == &group ||
        (entry->second.job && from.jobs.size() <= from.pending.size())) {
      ++entry;
      continue;
    }
    auto log_late_binding = [&](bool connecting) {
      if (!handle->net_log_.IsCapturing())
        return;
      handle->net_log_.AddEvent(NetLogEventType::SOCKET_POOL_LATE_BOUND, [&] {
        google::protobuf::Struct params;
        SetNetLogInt(&params, "preconnect_id",
                     static_cast<int64_t>(preconnect_id));
        SetNetLogString(&params, "from_group_id", from.id.ToString());
        SetNetLogBool(&params, "connecting", connecting);
        return params;
      });
    };
    if (Job* job = entry->second.job) {
      RemoveUnbound(from, preconnect_id);
      job->unbound = false;
      job->warmed_group_id = from.id;
      log_late_binding(/*connecting=*/true);
      group.jobs.splice(group.jobs.end(), from.jobs, job->self);
      job->group = &group;
      UpdateStallIndex(from);
      MaybeDeleteGroup(&from);
      return false;  // The caller's request adopts the job.
    }
    IdleIterator it = entry->second.idle;
    RemoveUnbound(from, preconnect_id);
    from.idle_unused.erase(
        std::find(from.idle_unused.begin(), from.idle_unused.end(), it));
    std::unique_ptr<StreamSocket> socket = std::move(it->socket);
    absl::Time idle_start = it->start_time;
    RecycleIdleNode(idle_unused_, it);
    --idle_count_;
    if (!socket->IsConnected() || !socket->CanBindToOtherPrivacyMode()) {
      preconnect_tracker_->OnEnded(preconnect_id,
                                   PreconnectOutcome::kClosedByPeer, OK);
      socket.reset();
      MaybeDeleteGroup(&from);
      entry = unbound.begin();
      continue;
    }
    log_late_binding(/*connecting=*/false);
    preconnect_tracker_->OnLateBound(preconnect_id, group.id);
    socket->BindToPrivacyMode(group.id.privacy_mode());
    LogReusedSocket(handle, idle_start, preconnect_id, /*used=*/false);
    HandOut(group, handle, std::move(socket),
            ClientSocketHandle::ReuseType::kUnusedIdle, {}, preconnect_id);
    MaybeDeleteGroup(&from);
    return true;
  }
  return false;
}

void TransportClientSocketPool::ReturnToWarmedGroup(
    const GroupId& warmed_group_id,
    std::unique_ptr<StreamSocket> socket,
    uint64_t preconnect_id) {
  SocketGroup& warmed = GetOrCreateGroup(warmed_group_id);
  socket->BindToPrivacyMode(warmed_group_id.privacy_mode());
  if (!warmed.pending.empty()) {
    CompleteFirstRequest(warmed, OK, std::move(socket),
                         ClientSocketHandle::ReuseType::kUnused, {},
                         preconnect_id);
  } else if (warmed.slot_count() < config_.max_sockets_per_group) {
    preconnect_tracker_->OnConnected(preconnect_id);
    AddIdleSocket(warmed, std::move(socket), preconnect_id);
  } else {
    socket.reset();
    preconnect_tracker_->OnEnded(preconnect_id, PreconnectOutcome::kEvicted,
                                 OK);
  }
  UpdateStallIndex(warmed);
  MaybeDeleteGroup(&warmed);
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

int TransportClientSocketPool::UnboundSocketCountInGroup(
    const GroupId& group_id) const {
  const SocketGroup* group = FindGroup(group_id);
  return group ? group->unbound : 0;
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
  totals.set_unbound(static_cast<uint32_t>(unbound_count_));

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
      int unbound_connecting = 0;
      for (const Job& job : group->jobs)
        unbound_connecting += job.unbound;
      entry.set_unbound_connecting(static_cast<uint32_t>(unbound_connecting));
      entry.mutable_idle_sockets()->Reserve(group->idle_count());
      for (const auto* entries : {&group->idle_unused, &group->idle_used}) {
        for (IdleIterator it : *entries) {
          pool_state::IdleSocket& idle = *entry.add_idle_sockets();
          idle.set_age_ms(absl::ToDoubleMilliseconds(now - it->start_time));
          idle.set_used(it->used);
          if (it->unbound)
            idle.set_unbound(true);
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
