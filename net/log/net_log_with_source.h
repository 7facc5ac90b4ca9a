#ifndef NET_LOG_NET_LOG_WITH_SOURCE_H_
#define NET_LOG_NET_LOG_WITH_SOURCE_H_

#include <cstdint>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "google/protobuf/struct.pb.h"
#include "net/log/net_log.h"
#include "net/log/net_log_event_type.h"
#include "net/log/net_log_source.h"
#include "net/log/net_log_source_type.h"

namespace net {

// The handle an object logs through: a NetLog plus the object's own source,
// like Chromium's NetLogWithSource. Copyable; a default-constructed one logs
// nothing, so objects can take it by value without null checks. Does not own
// the NetLog, which must outlive it (NetLog::Get() lives forever).
//
// Params are passed as a callback returning a google.protobuf.Struct; it runs
// only while the NetLog is capturing.
class NetLogWithSource {
 public:
  using ParamsCallback = absl::FunctionRef<google::protobuf::Struct()>;

  NetLogWithSource() = default;

  // A new source of `type` with a fresh id from `net_log`.
  static NetLogWithSource Make(NetLog* net_log, NetLogSourceType type);
  // Same, on NetLog::Get().
  static NetLogWithSource Make(NetLogSourceType type);

  void AddEntry(NetLogEventType type, NetLogEventPhase phase) const;
  void AddEntry(NetLogEventType type,
                NetLogEventPhase phase,
                ParamsCallback get_params) const;

  void AddEvent(NetLogEventType type) const;
  void AddEvent(NetLogEventType type, ParamsCallback get_params) const;
  void BeginEvent(NetLogEventType type) const;
  void BeginEvent(NetLogEventType type, ParamsCallback get_params) const;
  void EndEvent(NetLogEventType type) const;
  void EndEvent(NetLogEventType type, ParamsCallback get_params) const;

  // {"net_error": net_error} when net_error < 0 (it is an error); no params
  // otherwise.
  void AddEventWithNetErrorCode(NetLogEventType type, int net_error) const;
  void EndEventWithNetErrorCode(NetLogEventType type, int net_error) const;

  // {"source_dependency": {"type", "id"}}: links this source to another.
  void AddEventReferencingSource(NetLogEventType type,
                                 const NetLogSource& source) const;
  void BeginEventReferencingSource(NetLogEventType type,
                                   const NetLogSource& source) const;

  // Single-field params.
  void AddEventWithIntParams(NetLogEventType type,
                             std::string_view name,
                             int64_t value) const;
  void AddEventWithStringParams(NetLogEventType type,
                                std::string_view name,
                                std::string_view value) const;
  void AddEventWithBoolParams(NetLogEventType type,
                              std::string_view name,
                              bool value) const;

  bool IsCapturing() const { return net_log_ && net_log_->IsCapturing(); }

  const NetLogSource& source() const { return source_; }
  NetLog* net_log() const { return net_log_; }

 private:
  NetLogWithSource(NetLog* net_log, NetLogSource source)
      : net_log_(net_log), source_(source) {}

  NetLog* net_log_ = nullptr;
  NetLogSource source_;
};

}  // namespace net

#endif  // NET_LOG_NET_LOG_WITH_SOURCE_H_
