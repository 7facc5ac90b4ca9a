#include "net/log/file_net_log_observer.h"

#include <cerrno>
#include <cstring>

#include "google/protobuf/util/json_util.h"
#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/log/net_log_util.h"

namespace net {

// static
std::unique_ptr<FileNetLogObserver> FileNetLogObserver::Create(
    const std::string& path,
    std::string* error_message) {
  std::FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) {
    *error_message =
        "cannot open NetLog file " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  return std::unique_ptr<FileNetLogObserver>(new FileNetLogObserver(file));
}

FileNetLogObserver::FileNetLogObserver(std::FILE* file) : file_(file) {}

FileNetLogObserver::~FileNetLogObserver() {
  if (file_ != nullptr)
    StopObserving();
}

void FileNetLogObserver::StartObserving(NetLog* net_log) {
  CHECK(!started_);
  CHECK(file_ != nullptr);
  started_ = true;
  WriteHeader();
  net_log->AddObserver(this);
}

int FileNetLogObserver::StopObserving() {
  if (file_ == nullptr)
    return write_error_;
  if (net_log() != nullptr)
    net_log()->RemoveObserver(this);
  // A file that never started observing still ends up a valid, empty document.
  if (!started_)
    WriteHeader();
  Write(wrote_entry_ ? "\n]}\n" : "]}\n");
  if (std::fclose(file_) != 0 && write_error_ == OK)
    write_error_ = MapSystemError(errno);
  file_ = nullptr;
  return write_error_;
}

void FileNetLogObserver::StartForSerializedEntries() {
  CHECK(!started_);
  CHECK(file_ != nullptr);
  started_ = true;
  WriteHeader();
}

void FileNetLogObserver::OnAddEntry(const NetLogEntry& entry) {
  AddSerializedEntry(entry.ToJson());
}

void FileNetLogObserver::AddSerializedEntry(const std::string& json) {
  CHECK(started_);
  if (file_ == nullptr)
    return;
  Write(wrote_entry_ ? ",\n" : "\n");
  Write(json);
  wrote_entry_ = true;
}

void FileNetLogObserver::WriteHeader() {
  std::string constants;
  // Printing a Struct cannot fail (see NetLogEntry::ToJson()).
  google::protobuf::util::MessageToJsonString(GetNetConstants(), &constants);
  Write("{\"constants\": " + constants + ",\n\"events\": [");
}

void FileNetLogObserver::Write(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() &&
      write_error_ == OK) {
    write_error_ = MapSystemError(errno);
  }
}

}  // namespace net
