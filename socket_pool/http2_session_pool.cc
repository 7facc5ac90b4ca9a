#include "socket_pool/http2_session_pool.h"

#include <algorithm>
#include <limits>
#include <tuple>
#include <utility>

#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/socket/stream_socket.h"
#include "socket_pool/pool_state.pb.h"

namespace net {

namespace {

uint32_t Saturated(uint64_t value) {
  return static_cast<uint32_t>(
      std::min<uint64_t>(value, std::numeric_limits<uint32_t>::max()));
}

// Everything but the host: what must be equal for IP pooling.
bool SamePartitionSchemeAndPort(const GroupId& a, const GroupId& b) {
  return a.scheme() == b.scheme() &&
         a.destination().port() == b.destination().port() &&
         a.privacy_mode() == b.privacy_mode() &&
         a.network_anonymization_key() == b.network_anonymization_key();
}

}  // namespace

Http2SessionPool::Http2SessionPool(const Http2SessionOptions& options)
    : options_(options) {}

Http2SessionPool::~Http2SessionPool() {
  // Sessions first: they borrow their handles' sockets.
  for (auto& [group_id, entries] : groups_) {
    for (auto& entry : entries) {
      entry->session.reset();
      entry->handle->MarkNotReusable();
      entry->handle->Reset();
    }
  }
}

Http2Session* Http2SessionPool::FindAvailableSession(
    const GroupId& group_id) const {
  auto it = groups_.find(group_id);
  if (it == groups_.end())
    return nullptr;
  Http2Session* best = nullptr;
  for (const auto& entry : it->second) {
    Http2Session* session = entry->session.get();
    if (!session->IsAvailable())
      continue;
    if (!best || session->active_stream_count() < best->active_stream_count())
      best = session;
  }
  return best;
}

bool Http2SessionPool::HasCoalescingCandidate(const GroupId& group_id) const {
  if (group_id.scheme() != "https")
    return false;
  for (const auto& [other_group, entries] : groups_) {
    if (other_group.destination().host() == group_id.destination().host() ||
        !SamePartitionSchemeAndPort(other_group, group_id)) {
      continue;
    }
    for (const auto& entry : entries) {
      if (entry->session->IsAvailable())
        return true;
    }
  }
  return false;
}

Http2Session* Http2SessionPool::FindCoalescableSession(
    const GroupId& group_id,
    const std::vector<IPEndPoint>& addresses,
    GroupId* session_group) const {
  if (group_id.scheme() != "https")
    return nullptr;
  for (const auto& [other_group, entries] : groups_) {
    if (other_group.destination().host() == group_id.destination().host() ||
        !SamePartitionSchemeAndPort(other_group, group_id)) {
      continue;
    }
    for (const auto& entry : entries) {
      Http2Session* session = entry->session.get();
      if (!session->IsAvailable())
        continue;
      IPEndPoint peer;
      if (session->socket()->GetPeerAddress(&peer) != OK ||
          std::find(addresses.begin(), addresses.end(), peer) ==
              addresses.end()) {
        continue;
      }
      if (!session->socket()->IsCertificateValidForHost(
              group_id.destination().host())) {
        continue;
      }
      *session_group = other_group;
      return session;
    }
  }
  return nullptr;
}

Http2Session* Http2SessionPool::CreateSession(
    const GroupId& group_id,
    std::unique_ptr<ClientSocketHandle> handle,
    int* error) {
  CHECK(handle && handle->is_initialized());
  StreamSocket* socket = handle->socket();
  origin_cache_.OnProtocolNegotiated(group_id, socket->GetNegotiatedProtocol());
  auto entry = std::make_unique<Entry>();
  entry->group_id = group_id;
  entry->connection_id = socket->NetLog().source().id;
  entry->session =
      std::make_unique<Http2Session>(socket, options_, socket->NetLog());
  entry->handle = std::move(handle);
  Http2Session* session = entry->session.get();
  session->set_closed_callback(
      [weak = weak_factory_.GetWeakPtr(), group_id, session] {
        if (Http2SessionPool* self = weak.get())
          self->OnSessionClosed(group_id, session);
      });
  *error = session->Start();
  if (*error != OK) {
    entry->session.reset();
    entry->handle->MarkNotReusable();
    entry->handle->Reset();
    return nullptr;
  }
  groups_[group_id].push_back(std::move(entry));
  ++session_count_;
  return session;
}

void Http2SessionPool::OnSessionClosed(const GroupId& group_id,
                                       Http2Session* session) {
  auto it = groups_.find(group_id);
  if (it == groups_.end())
    return;
  std::vector<std::unique_ptr<Entry>>& entries = it->second;
  for (auto entry = entries.begin(); entry != entries.end(); ++entry) {
    if ((*entry)->session.get() != session)
      continue;
    std::unique_ptr<Entry> gone = std::move(*entry);
    entries.erase(entry);
    --session_count_;
    gone->session.reset();
    // The connection ended with the session: never back to the idle list.
    gone->handle->MarkNotReusable();
    gone->handle->Reset();
    break;
  }
  if (entries.empty())
    groups_.erase(it);
}

size_t Http2SessionPool::SessionCountInGroup(const GroupId& group_id) const {
  auto it = groups_.find(group_id);
  return it == groups_.end() ? 0 : it->second.size();
}

void Http2SessionPool::OnSetupStarted(const GroupId& group_id) {
  ++setups_[group_id].in_progress;
}

void Http2SessionPool::OnSetupFinished(const GroupId& group_id) {
  auto it = setups_.find(group_id);
  if (it == setups_.end())
    return;
  if (--it->second.in_progress > 0)
    return;
  std::vector<OnceClosure> waiters = std::move(it->second.waiters);
  setups_.erase(it);
  for (OnceClosure& waiter : waiters)
    EventLoop::Current()->PostTask(std::move(waiter));
}

bool Http2SessionPool::WaitForSetup(const GroupId& group_id,
                                    OnceClosure on_done) {
  auto it = setups_.find(group_id);
  if (it == setups_.end())
    return false;
  it->second.waiters.push_back(std::move(on_done));
  return true;
}

bool Http2SessionPool::IsSetupPending(const GroupId& group_id) const {
  return setups_.contains(group_id);
}

void Http2SessionPool::CloseIdleSessions() {
  for (auto& [group_id, entries] : groups_) {
    for (auto& entry : entries) {
      if (entry->session->active_stream_count() == 0)
        entry->session->CloseWhenIdle();
    }
  }
}

void Http2SessionPool::CloseAllSessions(int error) {
  for (auto& [group_id, entries] : groups_) {
    for (auto& entry : entries)
      entry->session->CloseWithError(error, ErrorToShortString(error));
  }
}

void Http2SessionPool::DumpState(pool_state::PoolState* state) const {
  std::vector<const Entry*> all;
  for (const auto& [group_id, entries] : groups_) {
    for (const auto& entry : entries)
      all.push_back(entry.get());
  }
  std::sort(all.begin(), all.end(), [](const Entry* a, const Entry* b) {
    return std::tie(a->group_id, a->connection_id) <
           std::tie(b->group_id, b->connection_id);
  });
  for (const Entry* entry : all) {
    pool_state::Http2Session* out = state->add_http2_sessions();
    out->set_group_id(entry->group_id.ToString());
    out->set_connection_id(static_cast<double>(entry->connection_id));
    out->set_active_streams(Saturated(entry->session->active_stream_count()));
    out->set_streams_started(Saturated(entry->session->streams_started()));
    out->set_going_away(entry->session->is_going_away());
    out->set_peer_max_concurrent_streams(
        entry->session->peer_max_concurrent_streams());
  }
}

}  // namespace net
