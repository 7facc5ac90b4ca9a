#include "host/connect_job_timeline.h"

#include <algorithm>
#include <string>

#include "net/log/net_log_entry.h"

namespace prewarm {

namespace {

// A pool never starts more connect jobs in one call than its group limit;
// this many recent ones are plenty to look back over.
constexpr size_t kRecentJobs = 256;

const google::protobuf::Value* Field(const google::protobuf::Struct& fields,
                                     const char* name) {
  auto it = fields.fields().find(name);
  return it == fields.fields().end() ? nullptr : &it->second;
}

double NumberField(const google::protobuf::Struct& fields, const char* name) {
  const google::protobuf::Value* value = Field(fields, name);
  return value ? value->number_value() : 0;
}

const google::protobuf::Struct& StructField(
    const google::protobuf::Struct& fields,
    const char* name) {
  const google::protobuf::Value* value = Field(fields, name);
  return value ? value->struct_value()
               : google::protobuf::Struct::default_instance();
}

}  // namespace

ConnectJobTimeline::ConnectJobTimeline() = default;
ConnectJobTimeline::~ConnectJobTimeline() = default;

std::optional<ConnectPhases> ConnectJobTimeline::PreconnectSocketPhases(
    size_t preconnect,
    size_t socket) const {
  if (preconnect >= preconnect_sources_.size())
    return std::nullopt;
  auto it = preconnect_jobs_.find(preconnect_sources_[preconnect]);
  if (it == preconnect_jobs_.end() || socket >= it->second.size())
    return std::nullopt;
  auto job = jobs_.find(it->second[socket]);
  if (job == jobs_.end())
    return std::nullopt;
  ConnectPhases phases = job->second.phases;
  auto events = sockets_.find(job->second.socket_source);
  if (events != sockets_.end()) {
    phases.connect_start = events->second.tcp_start;
    phases.connect_end = events->second.tcp_end;
    phases.ssl_start = events->second.ssl_start;
    phases.ssl_end = events->second.ssl_end;
  }
  return phases;
}

void ConnectJobTimeline::OnEntry(const google::protobuf::Struct& struct_entry) {
  using net::NetLogEventType;
  using net::NetLogSourceType;
  const std::optional<net::NetLogEntry> entry =
      net::NetLogEntry::FromStruct(struct_entry);
  if (!entry)
    return;
  const NetLogEventType type = entry->type;
  const uint32_t id = entry->source.id;
  const bool begin = entry->phase == net::NetLogEventPhase::BEGIN;
  const bool end = entry->phase == net::NetLogEventPhase::END;
  const absl::Time time = entry->time;
  const google::protobuf::Struct& params = entry->params;

  if (entry->source.type == NetLogSourceType::PRECONNECT) {
    if (type == NetLogEventType::PRECONNECT && begin) {
      preconnect_sources_.push_back(id);
    } else if (type == NetLogEventType::SOCKET_POOL_CONNECTING_N_SOCKETS) {
      size_t count =
          std::min(static_cast<size_t>(NumberField(params, "started")),
                   recent_jobs_.size());
      preconnect_jobs_[id].assign(
          recent_jobs_.end() - static_cast<std::ptrdiff_t>(count),
          recent_jobs_.end());
    }
  } else if (entry->source.type == NetLogSourceType::TRANSPORT_CONNECT_JOB) {
    OnJobEntry(type, id, begin, end, time, params);
  } else if (entry->source.type == NetLogSourceType::SOCKET) {
    if (type == NetLogEventType::TCP_CONNECT)
      (begin ? sockets_[id].tcp_start : sockets_[id].tcp_end) = time;
    else if (type == NetLogEventType::SSL_CONNECT)
      (begin ? sockets_[id].ssl_start : sockets_[id].ssl_end) = time;
  }
}

void ConnectJobTimeline::OnJobEntry(net::NetLogEventType type,
                                    uint32_t id,
                                    bool begin,
                                    bool end,
                                    absl::Time time,
                                    const google::protobuf::Struct& params) {
  using net::NetLogEventType;
  if (type == NetLogEventType::TRANSPORT_CONNECT_JOB_CONNECT) {
    if (begin) {
      jobs_[id].phases.start = time;
      recent_jobs_.push_back(id);
      if (recent_jobs_.size() > kRecentJobs)
        recent_jobs_.pop_front();
    } else if (end) {
      jobs_[id].phases.end = time;
      jobs_[id].phases.error =
          static_cast<int>(NumberField(params, "net_error"));
    }
  } else if (type == NetLogEventType::TRANSPORT_CONNECT_JOB_RESOLVE_HOST) {
    if (begin)
      jobs_[id].phases.dns_start = time;
    else if (end)
      jobs_[id].phases.dns_end = time;
  } else if (type == NetLogEventType::CONNECT_JOB_SET_SOCKET) {
    const google::protobuf::Struct& dependency =
        StructField(params, "source_dependency");
    jobs_[id].socket_source =
        static_cast<uint32_t>(NumberField(dependency, "id"));
  }
}

}  // namespace prewarm
