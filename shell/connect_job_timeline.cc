#include "shell/connect_job_timeline.h"

#include <algorithm>

#include "net/log/net_log_entry.h"
#include "net/log/net_log_event_type.h"
#include "net/log/net_log_source_type.h"

namespace prewarm {

namespace {

using net::NetLogEventPhase;
using net::NetLogEventType;
using net::NetLogSourceType;

// A pool never starts more connect jobs in one call than its group limit;
// this many recent ones are plenty to look back over.
constexpr size_t kRecentJobs = 256;

const google::protobuf::Value* Field(const google::protobuf::Struct& params,
                                     const char* name) {
  auto it = params.fields().find(name);
  return it == params.fields().end() ? nullptr : &it->second;
}

}  // namespace

ConnectJobTimeline::ConnectJobTimeline(net::NetLog* net_log)
    : net_log_(net_log) {
  net_log_->AddObserver(this);
}

ConnectJobTimeline::~ConnectJobTimeline() {
  net_log_->RemoveObserver(this);
}

std::optional<ConnectPhases> ConnectJobTimeline::PreconnectSocketPhases(
    uint32_t preconnect_source,
    size_t index) const {
  auto it = preconnect_jobs_.find(preconnect_source);
  if (it == preconnect_jobs_.end() || index >= it->second.size())
    return std::nullopt;
  auto job = jobs_.find(it->second[index]);
  if (job == jobs_.end())
    return std::nullopt;
  ConnectPhases phases = job->second.phases;
  auto socket = sockets_.find(job->second.socket_source);
  if (socket != sockets_.end()) {
    phases.connect_start = socket->second.tcp_start;
    phases.connect_end = socket->second.tcp_end;
    phases.ssl_start = socket->second.ssl_start;
    phases.ssl_end = socket->second.ssl_end;
  }
  return phases;
}

void ConnectJobTimeline::OnAddEntry(const net::NetLogEntry& entry) {
  switch (entry.source.type) {
    case NetLogSourceType::PRECONNECT:
      if (entry.type == NetLogEventType::PRECONNECT &&
          entry.phase == NetLogEventPhase::BEGIN) {
        last_preconnect_source_ = entry.source.id;
      } else if (entry.type == NetLogEventType::SOCKET_POOL) {
        const google::protobuf::Value* started = Field(entry.params, "started");
        size_t count =
            started ? static_cast<size_t>(started->number_value()) : 0;
        count = std::min(count, recent_jobs_.size());
        preconnect_jobs_[entry.source.id].assign(
            recent_jobs_.end() - static_cast<std::ptrdiff_t>(count),
            recent_jobs_.end());
      }
      break;
    case NetLogSourceType::TRANSPORT_CONNECT_JOB:
      OnJobEntry(entry);
      break;
    case NetLogSourceType::SOCKET: {
      SocketEvents* socket = nullptr;
      if (entry.type == NetLogEventType::TCP_CONNECT ||
          entry.type == NetLogEventType::SSL_CONNECT) {
        socket = &sockets_[entry.source.id];
      } else {
        break;
      }
      const bool begin = entry.phase == NetLogEventPhase::BEGIN;
      if (entry.type == NetLogEventType::TCP_CONNECT)
        (begin ? socket->tcp_start : socket->tcp_end) = entry.time;
      else
        (begin ? socket->ssl_start : socket->ssl_end) = entry.time;
      break;
    }
    default:
      break;
  }
}

void ConnectJobTimeline::OnJobEntry(const net::NetLogEntry& entry) {
  const uint32_t id = entry.source.id;
  switch (entry.type) {
    case NetLogEventType::TRANSPORT_CONNECT_JOB:
      if (entry.phase == NetLogEventPhase::BEGIN) {
        jobs_[id].phases.start = entry.time;
        recent_jobs_.push_back(id);
        if (recent_jobs_.size() > kRecentJobs)
          recent_jobs_.pop_front();
      } else if (entry.phase == NetLogEventPhase::END) {
        Job& job = jobs_[id];
        job.phases.end = entry.time;
        if (const google::protobuf::Value* error =
                Field(entry.params, "net_error")) {
          job.phases.error = static_cast<int>(error->number_value());
        }
      }
      break;
    case NetLogEventType::TRANSPORT_CONNECT_JOB_RESOLVE_HOST:
      if (entry.phase == NetLogEventPhase::BEGIN)
        jobs_[id].phases.dns_start = entry.time;
      else if (entry.phase == NetLogEventPhase::END)
        jobs_[id].phases.dns_end = entry.time;
      break;
    case NetLogEventType::CONNECT_JOB_SET_SOCKET:
      if (const google::protobuf::Value* dependency =
              Field(entry.params, "source_dependency")) {
        if (const google::protobuf::Value* socket_id =
                Field(dependency->struct_value(), "id")) {
          jobs_[id].socket_source =
              static_cast<uint32_t>(socket_id->number_value());
        }
      }
      break;
    default:
      break;
  }
}

}  // namespace prewarm
