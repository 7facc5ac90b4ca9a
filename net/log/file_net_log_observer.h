#ifndef NET_LOG_FILE_NET_LOG_OBSERVER_H_
#define NET_LOG_FILE_NET_LOG_OBSERVER_H_

#include <cstdio>
#include <memory>
#include <string>

#include "net/log/net_log.h"

namespace net {

// Writes a NetLog to a file in Chrome's NetLog JSON format, the one
// chrome://net-export writes and catapult's netlog_viewer opens:
// {"constants": GetNetConstants(), "events": [entry, entry, ...]}, each entry
// in NetLogEntry::ToJson()'s form on its own line, streamed as it arrives so
// memory stays flat however long the capture runs (and a reader can recover a
// truncated file, as Chrome's can). Owns the file; the document is complete
// once StopObserving() returns (or the observer is destroyed). Network thread
// only.
class FileNetLogObserver : public NetLog::Observer {
 public:
  // Creates (truncates) `path`. nullptr if it cannot be opened, with the reason
  // in *error_message.
  static std::unique_ptr<FileNetLogObserver> Create(const std::string& path,
                                                    std::string* error_message);

  ~FileNetLogObserver() override;

  // Writes the constants (taking timeTickOffset now) and attaches to
  // `net_log`. Only once per observer.
  void StartObserving(NetLog* net_log);

  // For a NetLog kept in another process (the network service's, streamed over
  // IPC): writes the constants like StartObserving(), attaches to nothing, and
  // takes entries through AddSerializedEntry(). The other process must be this
  // build, so that its numbers mean what these constants say.
  void StartForSerializedEntries();

  // One entry already in NetLogEntry::ToJson()'s form (one line). After
  // StartForSerializedEntries() only.
  void AddSerializedEntry(const std::string& json);

  // Detaches (if attached), closes the JSON document and the file. OK, or the
  // net error of the first failed write or of the close (ERR_FILE_NO_SPACE-like
  // failures map through errno).
  int StopObserving();

  // NetLog::Observer:
  void OnAddEntry(const NetLogEntry& entry) override;

 private:
  explicit FileNetLogObserver(std::FILE* file);

  void Write(const std::string& text);
  // `{"constants": ..., "events": [`.
  void WriteHeader();

  std::FILE* file_;
  bool started_ = false;
  bool wrote_entry_ = false;
  int write_error_ = 0;  // A net error; OK while every write succeeded.
};

}  // namespace net

#endif  // NET_LOG_FILE_NET_LOG_OBSERVER_H_
