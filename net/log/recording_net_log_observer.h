#ifndef NET_LOG_RECORDING_NET_LOG_OBSERVER_H_
#define NET_LOG_RECORDING_NET_LOG_OBSERVER_H_

#include <cstddef>
#include <vector>

#include "net/log/net_log.h"
#include "net/log/net_log_entry.h"

namespace net {

// Test-only: keeps every entry in memory so a test can assert on what was
// logged. Attaches to the NetLog in its constructor and detaches in its
// destructor; the NetLog must outlive it. Network thread only.
class RecordingNetLogObserver : public NetLog::Observer {
 public:
  // Observes NetLog::Get().
  RecordingNetLogObserver();
  explicit RecordingNetLogObserver(NetLog* net_log);
  ~RecordingNetLogObserver() override;

  const std::vector<NetLogEntry>& GetEntries() const { return entries_; }
  std::vector<NetLogEntry> GetEntriesForSource(
      const NetLogSource& source) const;
  std::vector<NetLogEntry> GetEntriesWithType(NetLogEventType type) const;
  size_t GetSize() const { return entries_.size(); }
  void Clear() { entries_.clear(); }

  // NetLog::Observer:
  void OnAddEntry(const NetLogEntry& entry) override;

 private:
  std::vector<NetLogEntry> entries_;
};

}  // namespace net

#endif  // NET_LOG_RECORDING_NET_LOG_OBSERVER_H_
