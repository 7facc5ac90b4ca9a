#include "service/ipc_channel.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
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
// A drained buffer with more capacity than this is given back, so idle
// channels hold no memory for what they once carried.
constexpr size_t kKeptBufferBytes = 16 * 1024;

// What the bytes at the front of the read buffer hold.
struct FramePeek {
  enum class State { kIncomplete, kComplete, kBad } state = State::kIncomplete;
  // Once the prefix is complete.
  size_t prefix_bytes = 0;
  uint32_t length = 0;
  int error = net::OK;
  std::string description;
};

FramePeek PeekFrame(const uint8_t* data,
                    size_t available,
                    size_t max_incoming_bytes) {
  FramePeek peek;
  // The length prefix is complete once a byte without the continuation bit
  // arrived; five bytes that all continue are no varint32.
  const size_t window = std::min(available, kMaxVarint32Bytes);
  bool prefix_complete = false;
  for (size_t i = 0; i < window && !prefix_complete; ++i)
    prefix_complete = (data[i] & 0x80) == 0;
  if (!prefix_complete) {
    if (available >= kMaxVarint32Bytes) {
      peek.state = FramePeek::State::kBad;
      peek.error = net::ERR_INVALID_IPC_MESSAGE;
      peek.description = "the frame's length prefix is not a valid varint32";
    }
    return peek;
  }
  google::protobuf::io::CodedInputStream coded(data, static_cast<int>(window));
  if (!coded.ReadVarint32(&peek.length)) {
    peek.state = FramePeek::State::kBad;
    peek.error = net::ERR_INVALID_IPC_MESSAGE;
    peek.description = "the frame's length prefix is not a valid varint32";
    return peek;
  }
  if (peek.length > max_incoming_bytes) {
    peek.state = FramePeek::State::kBad;
    peek.error = net::ERR_IPC_MESSAGE_TOO_LARGE;
    peek.description =
        absl::StrCat("a frame of ", peek.length, " bytes is over the limit of ",
                     max_incoming_bytes);
    return peek;
  }
  peek.prefix_bytes = static_cast<size_t>(coded.CurrentPosition());
  if (available >= peek.prefix_bytes + peek.length)
    peek.state = FramePeek::State::kComplete;
  return peek;
}

// Empties `buffer`, giving its memory back when it is large.
void Release(std::vector<char>& buffer) {
  if (buffer.capacity() > kKeptBufferBytes)
    std::vector<char>().swap(buffer);
  else
    buffer.clear();
}

}  // namespace

IpcChannel::IpcChannel(int fd,
                       std::unique_ptr<google::protobuf::MessageLite> prototype,
                       Delegate* delegate,
                       const Limits& limits)
    : fd_(fd),
      incoming_(std::move(prototype)),
      delegate_(delegate),
      limits_(limits),
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
  const size_t body = message.ByteSizeLong();
  if (body > static_cast<size_t>(INT_MAX)) {
    // Only a message over 2 GiB cannot be framed.
    PostClose(net::ERR_INVALID_ARGUMENT);
    return false;
  }
  const size_t frame = google::protobuf::io::CodedOutputStream::VarintSize32(
                           static_cast<uint32_t>(body)) +
                       body;
  if (pending_write_bytes() + frame > limits_.max_outgoing_buffer_bytes) {
    // The peer stopped reading; keeping everything for it would let one
    // client exhaust the service's memory.
    PostClose(net::ERR_INSUFFICIENT_RESOURCES);
    return false;
  }
  ReserveWrite(frame);
  const size_t old_size = write_buffer_.size();
  write_buffer_.resize(old_size + frame);
  auto* target = reinterpret_cast<uint8_t*>(write_buffer_.data() + old_size);
  target = google::protobuf::io::CodedOutputStream::WriteVarint32ToArray(
      static_cast<uint32_t>(body), target);
  // ByteSizeLong() above cached the sizes this uses.
  message.SerializeWithCachedSizesToArray(target);
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

void IpcChannel::ReserveWrite(size_t bytes) {
  if (write_buffer_.capacity() - write_buffer_.size() >= bytes)
    return;
  if (write_offset_ > 0) {
    write_buffer_.erase(write_buffer_.begin(),
                        write_buffer_.begin() + write_offset_);
    write_offset_ = 0;
  }
  const size_t needed = write_buffer_.size() + bytes;
  if (write_buffer_.capacity() >= needed)
    return;
  // Geometric growth, but never past the cap (Send() checked that `needed`
  // fits under it).
  write_buffer_.reserve(
      std::max(needed, std::min(2 * write_buffer_.capacity(),
                                limits_.max_outgoing_buffer_bytes)));
}

void IpcChannel::OnReadable() {
  if (closing_)
    return;
  // Read no further than the end of a partial frame whose size is known, so
  // the buffer reserved for it is never outgrown.
  size_t want = kReadChunkBytes;
  const size_t buffered = read_buffer_.size() - read_offset_;
  if (partial_frame_bytes_ > buffered)
    want = std::min(want, partial_frame_bytes_ - buffered);
  char chunk[kReadChunkBytes];
  ssize_t n;
  do {
    n = ::recv(fd_, chunk, want, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
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
  read_buffer_.insert(read_buffer_.end(), chunk, chunk + n);
  ProcessFrames();
}

void IpcChannel::ProcessFrames() {
  net::WeakPtr<IpcChannel> weak = weak_factory_.GetWeakPtr();
  size_t frames = 0;
  partial_frame_bytes_ = 0;
  while (!closing_) {
    const auto* data =
        reinterpret_cast<const uint8_t*>(read_buffer_.data()) + read_offset_;
    FramePeek peek = PeekFrame(data, read_buffer_.size() - read_offset_,
                               limits_.max_incoming_bytes);
    if (peek.state == FramePeek::State::kBad) {
      FailFrame(peek.error, peek.description);
      return;
    }
    if (peek.state == FramePeek::State::kIncomplete) {
      partial_frame_bytes_ = peek.prefix_bytes + peek.length;
      break;
    }
    // Backpressure: the peer reads its replies before it gets more.
    if (pending_write_bytes() > limits_.pause_reading_above_bytes) {
      paused_for_output_ = true;
      return;
    }
    if (frames++ == kMaxFramesPerTurn) {
      PostProcessFrames();
      return;
    }
    partial_frame_timer_.Stop();
    const size_t frame_bytes = peek.prefix_bytes + peek.length;
    read_offset_ += frame_bytes;
    google::protobuf::io::CodedInputStream coded(data,
                                                 static_cast<int>(frame_bytes));
    incoming_->Clear();
    bool clean_eof = false;
    if (!google::protobuf::util::ParseDelimitedFromCodedStream(
            incoming_.get(), &coded, &clean_eof)) {
      std::string_view body(
          reinterpret_cast<const char*>(data) + peek.prefix_bytes, peek.length);
      bool skipped = delegate_->OnUndecodableMessage(body);
      if (!weak)
        return;
      if (!skipped) {
        FailFrame(net::ERR_INVALID_IPC_MESSAGE,
                  absl::StrCat("the frame's body is not a valid ",
                               incoming_->GetTypeName()));
        return;
      }
      continue;
    }
    delegate_->OnMessageReceived(*incoming_);
    if (!weak)
      return;
  }
  if (closing_)
    return;
  CompactReadBuffer();
  if (read_buffer_.empty()) {
    partial_frame_timer_.Stop();
  } else if (!partial_frame_timer_.IsRunning() &&
             limits_.partial_frame_timeout != absl::InfiniteDuration()) {
    // From the frame's first byte: trickling bytes does not extend it.
    partial_frame_timer_.Start(limits_.partial_frame_timeout,
                               [this] { OnPartialFrameTimeout(); });
  }
  if (partial_frame_bytes_ > read_buffer_.capacity())
    read_buffer_.reserve(partial_frame_bytes_);
  watcher_->WatchReadable([this] { OnReadable(); });
}

void IpcChannel::PostProcessFrames() {
  if (process_posted_)
    return;
  process_posted_ = true;
  net::EventLoop::Current()->PostTask([weak = weak_factory_.GetWeakPtr()] {
    IpcChannel* self = weak.get();
    if (!self)
      return;
    self->process_posted_ = false;
    if (!self->closing_ && !self->paused_for_output_)
      self->ProcessFrames();
  });
}

void IpcChannel::CompactReadBuffer() {
  if (read_offset_ == read_buffer_.size()) {
    Release(read_buffer_);
  } else if (read_offset_ > 0) {
    read_buffer_.erase(read_buffer_.begin(),
                       read_buffer_.begin() + read_offset_);
  }
  read_offset_ = 0;
}

void IpcChannel::FailFrame(int error, const std::string& description) {
  net::WeakPtr<IpcChannel> weak = weak_factory_.GetWeakPtr();
  delegate_->OnBadFrame(error, description);
  if (!weak)
    return;
  // The delegate's last word goes out now, if the socket takes it.
  if (!closing_ && !watcher_->is_watching_writable())
    Flush();
  Close(error);
}

void IpcChannel::OnPartialFrameTimeout() {
  const size_t buffered = read_buffer_.size() - read_offset_;
  FailFrame(
      net::ERR_TIMED_OUT,
      absl::StrCat("a frame stayed incomplete for ",
                   absl::FormatDuration(limits_.partial_frame_timeout), " (",
                   buffered, " of ",
                   partial_frame_bytes_ > 0 ? absl::StrCat(partial_frame_bytes_)
                                            : std::string("?"),
                   " bytes arrived)"));
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
      break;
    }
    PostClose(n < 0 ? net::MapSystemError(errno) : net::ERR_CONNECTION_CLOSED);
    return;
  }
  if (write_offset_ == write_buffer_.size()) {
    Release(write_buffer_);
    write_offset_ = 0;
  }
  // The peer read its replies down: run its waiting frames again.
  if (paused_for_output_ &&
      pending_write_bytes() <= limits_.pause_reading_above_bytes / 2) {
    paused_for_output_ = false;
    PostProcessFrames();
  }
}

void IpcChannel::OnWritable() {
  if (closing_)
    return;
  Flush();
}

void IpcChannel::Close(int error) {
  if (fd_ < 0)
    return;
  closing_ = true;
  partial_frame_timer_.Stop();
  watcher_.reset();
  ::close(fd_);
  fd_ = -1;
  delegate_->OnChannelClosed(error);
}

void IpcChannel::PostClose(int error) {
  if (closing_)
    return;
  closing_ = true;
  partial_frame_timer_.Stop();
  watcher_->StopWatchingReadable();
  watcher_->StopWatchingWritable();
  net::EventLoop::Current()->PostTask(
      [weak = weak_factory_.GetWeakPtr(), error] {
        if (IpcChannel* self = weak.get())
          self->Close(error);
      });
}

}  // namespace prewarm
