#include "service/ipc_channel.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/message_lite.h"
#include "google/protobuf/util/delimited_message_util.h"
#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"

namespace prewarm {

namespace {

// A varint32 takes at most five bytes.
constexpr size_t kMaxVarint32Bytes = 5;
// How much one readable event reads: enough for many small frames, small
// enough that one busy peer does not starve the others on the loop.
constexpr size_t kReadChunkBytes = 64 * 1024;

}  // namespace

IpcChannel::IpcChannel(int fd,
                       std::unique_ptr<google::protobuf::MessageLite> prototype,
                       Delegate* delegate,
                       size_t max_incoming_bytes,
                       size_t max_outgoing_buffer_bytes)
    : fd_(fd),
      incoming_(std::move(prototype)),
      delegate_(delegate),
      max_incoming_bytes_(max_incoming_bytes),
      max_outgoing_buffer_bytes_(max_outgoing_buffer_bytes),
      watcher_(std::make_unique<net::FdWatcher>(fd)) {
  CHECK(fd_ >= 0);
  CHECK(incoming_);
  CHECK(delegate_);
}

IpcChannel::~IpcChannel() {
  watcher_.reset();
  if (fd_ >= 0)
    ::close(fd_);
}

void IpcChannel::Start() {
  watcher_->WatchReadable([this] { OnReadable(); });
}

bool IpcChannel::Send(const google::protobuf::MessageLite& message) {
  if (!is_open())
    return false;
  {
    // Appends to the buffer; trims the unused tail when it goes.
    google::protobuf::io::StringOutputStream out(&write_buffer_);
    if (!google::protobuf::util::SerializeDelimitedToZeroCopyStream(message,
                                                                    &out)) {
      // Only a message over 2 GiB fails to serialise.
      PostClose(net::ERR_INVALID_ARGUMENT);
      return false;
    }
  }
  if (pending_write_bytes() > max_outgoing_buffer_bytes_) {
    // The peer stopped reading; keeping everything for it would let one
    // client exhaust the service's memory.
    PostClose(net::ERR_INSUFFICIENT_RESOURCES);
    return false;
  }
  // Replies made in the same loop turn leave in one write: fewer syscalls
  // and fewer wake-ups of the peer under load, one task's delay otherwise.
  if (!flush_posted_ && !watcher_->is_watching_writable()) {
    flush_posted_ = true;
    net::EventLoop::Current()->PostTask([weak = weak_factory_.GetWeakPtr()] {
      IpcChannel* self = weak.get();
      if (!self)
        return;
      self->flush_posted_ = false;
      if (!self->closing_ && !self->watcher_->is_watching_writable())
        self->Flush();
    });
  }
  return true;
}

void IpcChannel::OnReadable() {
  if (closing_)
    return;
  if (!read_chunk_)
    read_chunk_ = std::make_unique<char[]>(kReadChunkBytes);
  ssize_t n;
  do {
    n = ::recv(fd_, read_chunk_.get(), kReadChunkBytes, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (n > 0)
    read_buffer_.append(read_chunk_.get(), static_cast<size_t>(n));
  if (n == 0) {
    Close(net::OK);
    return;
  }
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      watcher_->WatchReadable([this] { OnReadable(); });
      return;
    }
    Close(net::MapSystemError(errno));
    return;
  }
  net::WeakPtr<IpcChannel> weak = weak_factory_.GetWeakPtr();
  ProcessFrames();
  if (!weak || closing_)
    return;
  watcher_->WatchReadable([this] { OnReadable(); });
}

void IpcChannel::ProcessFrames() {
  net::WeakPtr<IpcChannel> weak = weak_factory_.GetWeakPtr();
  while (!closing_ && read_offset_ < read_buffer_.size()) {
    const auto* data =
        reinterpret_cast<const uint8_t*>(read_buffer_.data()) + read_offset_;
    const size_t available = read_buffer_.size() - read_offset_;

    // The length prefix is complete once a byte without the continuation
    // bit arrived; five bytes that all continue are no varint32.
    const size_t prefix_window = std::min(available, kMaxVarint32Bytes);
    bool prefix_complete = false;
    for (size_t i = 0; i < prefix_window && !prefix_complete; ++i)
      prefix_complete = (data[i] & 0x80) == 0;
    int error = net::OK;
    std::string description;
    if (!prefix_complete) {
      if (available < kMaxVarint32Bytes)
        break;  // Wait for the rest of the prefix.
      error = net::ERR_INVALID_IPC_MESSAGE;
      description = "the frame's length prefix is not a valid varint32";
    }
    uint32_t length = 0;
    size_t prefix_bytes = 0;
    if (error == net::OK) {
      google::protobuf::io::CodedInputStream peek(
          data, static_cast<int>(prefix_window));
      if (!peek.ReadVarint32(&length)) {
        error = net::ERR_INVALID_IPC_MESSAGE;
        description = "the frame's length prefix is not a valid varint32";
      } else if (length > max_incoming_bytes_) {
        error = net::ERR_IPC_MESSAGE_TOO_LARGE;
        description =
            absl::StrCat("a frame of ", length, " bytes is over the limit of ",
                         max_incoming_bytes_);
      }
      prefix_bytes = static_cast<size_t>(peek.CurrentPosition());
    }
    if (error == net::OK && available < prefix_bytes + length)
      break;  // A partial frame: wait for more bytes.
    if (error == net::OK) {
      google::protobuf::io::CodedInputStream coded(
          data, static_cast<int>(prefix_bytes + length));
      incoming_->Clear();
      bool clean_eof = false;
      if (!google::protobuf::util::ParseDelimitedFromCodedStream(
              incoming_.get(), &coded, &clean_eof)) {
        error = net::ERR_INVALID_IPC_MESSAGE;
        description = absl::StrCat("the frame's body is not a valid ",
                                   incoming_->GetTypeName());
      }
    }
    if (error != net::OK) {
      delegate_->OnBadFrame(error, description);
      if (!weak)
        return;
      // The delegate's last word goes out now, if the socket takes it.
      if (!closing_ && !watcher_->is_watching_writable())
        Flush();
      Close(error);
      return;
    }
    read_offset_ += prefix_bytes + length;
    delegate_->OnMessageReceived(*incoming_);
    if (!weak)
      return;
  }
  if (read_offset_ == read_buffer_.size()) {
    read_buffer_.clear();
    read_offset_ = 0;
  } else if (read_offset_ >= kReadChunkBytes) {
    read_buffer_.erase(0, read_offset_);
    read_offset_ = 0;
  }
}

void IpcChannel::Flush() {
  while (write_offset_ < write_buffer_.size()) {
    ssize_t n = ::send(fd_, write_buffer_.data() + write_offset_,
                       write_buffer_.size() - write_offset_,
                       MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      write_offset_ += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      watcher_->WatchWritable([this] { OnWritable(); });
      return;
    }
    PostClose(n < 0 ? net::MapSystemError(errno) : net::ERR_CONNECTION_CLOSED);
    return;
  }
  write_buffer_.clear();
  write_offset_ = 0;
}

void IpcChannel::OnWritable() {
  if (closing_)
    return;
  Flush();
  // Reclaim what was sent once a large backlog drains in pieces.
  if (write_offset_ > max_incoming_bytes_) {
    write_buffer_.erase(0, write_offset_);
    write_offset_ = 0;
  }
}

void IpcChannel::Close(int error) {
  if (fd_ < 0)
    return;
  closing_ = true;
  watcher_.reset();
  ::close(fd_);
  fd_ = -1;
  delegate_->OnChannelClosed(error);
}

void IpcChannel::PostClose(int error) {
  if (closing_)
    return;
  closing_ = true;
  watcher_->StopWatchingReadable();
  watcher_->StopWatchingWritable();
  net::EventLoop::Current()->PostTask(
      [weak = weak_factory_.GetWeakPtr(), error] {
        if (IpcChannel* self = weak.get())
          self->Close(error);
      });
}

}  // namespace prewarm
