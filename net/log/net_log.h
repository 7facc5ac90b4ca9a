#ifndef NET_LOG_NET_LOG_H_
#define NET_LOG_NET_LOG_H_

#include <atomic>
#include <cstdint>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "net/log/net_log_entry.h"
#include "net/log/net_log_event_type.h"
#include "net/log/net_log_source.h"

namespace net {

// The network stack's event log, in the manner of Chromium's NetLog. Code
// records entries through a NetLogWithSource; NetLog hands each entry to every
// observer. With no observer attached, recording costs a branch: params are
// built by a callback that runs only while someone observes, and no time is
// read.
//
// Entry times come from the current thread's EventLoop clock (so mock-time
// tests get mock times), or the real monotonic clock when no loop is running.
//
// Observers are not owned; each must be removed before it is destroyed (the
// observer classes here do it themselves). Everything happens on the network
// thread, except NextID(), which may be called from any thread.
class NetLog {
 public:
  // Receives every entry added while it is attached.
  class Observer {
   public:
    Observer(const Observer&) = delete;
    Observer& operator=(const Observer&) = delete;

    virtual void OnAddEntry(const NetLogEntry& entry) = 0;

    // The NetLog this observer is attached to, or nullptr.
    NetLog* net_log() const { return net_log_; }

   protected:
    Observer() = default;
    // Checks that the observer was removed first.
    virtual ~Observer();

   private:
    friend class NetLog;
    NetLog* net_log_ = nullptr;
  };

  NetLog();
  NetLog(const NetLog&) = delete;
  NetLog& operator=(const NetLog&) = delete;
  // Checks that no observer is still attached.
  ~NetLog();

  // The process-wide NetLog that production code logs to. Never destroyed.
  static NetLog* Get();

  // The clock entries and sources are stamped with (see above).
  static absl::Time NowTicks();

  // `observer` must not be attached to any NetLog yet.
  void AddObserver(Observer* observer);
  // `observer` must be attached to this NetLog.
  void RemoveObserver(Observer* observer);

  bool IsCapturing() const { return !observers_.empty(); }

  // A fresh source id, never kInvalidId.
  uint32_t NextID();

  void AddEntry(NetLogEventType type,
                const NetLogSource& source,
                NetLogEventPhase phase);
  // `get_params` runs only if an observer is attached, before this call
  // returns.
  void AddEntry(NetLogEventType type,
                const NetLogSource& source,
                NetLogEventPhase phase,
                absl::FunctionRef<google::protobuf::Struct()> get_params);

 private:
  void Dispatch(const NetLogEntry& entry);

  std::vector<Observer*> observers_;
  // True while observers are being called: adding or removing one then is a
  // bug.
  bool dispatching_ = false;
  std::atomic<uint32_t> last_id_{0};
};

}  // namespace net

#endif  // NET_LOG_NET_LOG_H_
