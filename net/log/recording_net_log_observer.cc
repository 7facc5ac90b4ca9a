#include "net/log/recording_net_log_observer.h"

namespace net {

RecordingNetLogObserver::RecordingNetLogObserver()
    : RecordingNetLogObserver(NetLog::Get()) {}

RecordingNetLogObserver::RecordingNetLogObserver(NetLog* net_log) {
  net_log->AddObserver(this);
}

RecordingNetLogObserver::~RecordingNetLogObserver() {
  net_log()->RemoveObserver(this);
}

std::vector<NetLogEntry> RecordingNetLogObserver::GetEntriesForSource(
    const NetLogSource& source) const {
  std::vector<NetLogEntry> result;
  for (const NetLogEntry& entry : entries_) {
    if (entry.source == source)
      result.push_back(entry);
  }
  return result;
}

std::vector<NetLogEntry> RecordingNetLogObserver::GetEntriesWithType(
    NetLogEventType type) const {
  std::vector<NetLogEntry> result;
  for (const NetLogEntry& entry : entries_) {
    if (entry.type == type)
      result.push_back(entry);
  }
  return result;
}

void RecordingNetLogObserver::OnAddEntry(const NetLogEntry& entry) {
  entries_.push_back(entry);
}

}  // namespace net
