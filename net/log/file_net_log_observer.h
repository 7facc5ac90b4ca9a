#ifndef NET_LOG_FILE_NET_LOG_OBSERVER_H_
#define NET_LOG_FILE_NET_LOG_OBSERVER_H_

#include <cstdio>
#include <memory>
#include <string>

#include "net/log/net_log.h"

namespace net {

// Writes a NetLog to a file as one JSON document, {"events": [entry, entry,
// ...]}, each entry in NetLogEntry::ToJson()'s form, streamed as it arrives so
// memory stays flat however long the capture runs. Owns the file; the document
// is complete once StopObserving() returns (or the observer is destroyed).
// Network thread only.
class FileNetLogObserver : public NetLog::Observer {
 public:
  // Creates (truncates) `path`. nullptr if it cannot be opened, with the reason
  // in *error_message.
  static std::unique_ptr<FileNetLogObserver> Create(const std::string& path,
                                                    std::string* error_message);

  ~FileNetLogObserver() override;

  // Attaches to `net_log`. Only once per observer.
  void StartObserving(NetLog* net_log);

  // Detaches, closes the JSON document and the file. OK, or the net error of
  // the first failed write or of the close (ERR_FILE_NO_SPACE-like failures map
  // through errno).
  int StopObserving();

  // NetLog::Observer:
  void OnAddEntry(const NetLogEntry& entry) override;

 private:
  explicit FileNetLogObserver(std::FILE* file);

  void Write(const std::string& text);

  std::FILE* file_;
  bool started_ = false;
  bool wrote_entry_ = false;
  int write_error_ = 0;  // A net error; OK while every write succeeded.
};

}  // namespace net

#endif  // NET_LOG_FILE_NET_LOG_OBSERVER_H_
