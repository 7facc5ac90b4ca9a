#include "host/connect_job_timeline.h"

#include <algorithm>
#include <string>

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

std::string StringField(const google::protobuf::Struct& fields,
                        const char* name) {
  const google::protobuf::Value* value = Field(fields, name);
  return value ? value->string_value() : std::string();
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

void ConnectJobTimeline::OnEntry(const google::protobuf::Struct& entry) {
  const std::string type = StringField(entry, "type");
  const google::protobuf::Struct& source = StructField(entry, "source");
  const std::string source_type = StringField(source, "type");
  const uint32_t id = static_cast<uint32_t>(NumberField(source, "id"));
  const std::string phase = StringField(entry, "phase");
  const bool begin = phase == "BEGIN";
  const bool end = phase == "END";
  const absl::Time time =
      absl::UnixEpoch() + absl::Milliseconds(NumberField(entry, "time"));
  const google::protobuf::Struct& params = StructField(entry, "params");

  if (source_type == "PRECONNECT") {
    if (type == "PRECONNECT" && begin) {
      preconnect_sources_.push_back(id);
    } else if (type == "SOCKET_POOL") {
      size_t count =
          std::min(static_cast<size_t>(NumberField(params, "started")),
                   recent_jobs_.size());
      preconnect_jobs_[id].assign(
          recent_jobs_.end() - static_cast<std::ptrdiff_t>(count),
          recent_jobs_.end());
    }
  } else if (source_type == "TRANSPORT_CONNECT_JOB") {
    OnJobEntry(type, id, begin, end, time, params);
  } else if (source_type == "SOCKET") {
    if (type == "TCP_CONNECT")
      (begin ? sockets_[id].tcp_start : sockets_[id].tcp_end) = time;
    else if (type == "SSL_CONNECT")
      (begin ? sockets_[id].ssl_start : sockets_[id].ssl_end) = time;
  }
}

void ConnectJobTimeline::OnJobEntry(const std::string& type,
                                    uint32_t id,
                                    bool begin,
                                    bool end,
                                    absl::Time time,
                                    const google::protobuf::Struct& params) {
  if (type == "TRANSPORT_CONNECT_JOB") {
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
  } else if (type == "TRANSPORT_CONNECT_JOB_RESOLVE_HOST") {
    if (begin)
      jobs_[id].phases.dns_start = time;
    else if (end)
      jobs_[id].phases.dns_end = time;
  } else if (type == "CONNECT_JOB_SET_SOCKET") {
    const google::protobuf::Struct& dependency =
        StructField(params, "source_dependency");
    jobs_[id].socket_source =
        static_cast<uint32_t>(NumberField(dependency, "id"));
  }
}

}  // namespace prewarm
