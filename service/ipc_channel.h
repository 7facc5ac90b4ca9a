#ifndef SERVICE_IPC_CHANNEL_H_
#define SERVICE_IPC_CHANNEL_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "net/event/fd_watcher.h"
#include "net/event/timer.h"
#include "net/event/weak_ptr.h"

namespace google::protobuf {
class MessageLite;
}

namespace prewarm {

// What one IpcChannel takes from its peer (see IpcChannel). A value type.
struct IpcChannelLimits {
  static constexpr size_t kDefaultMaxIncomingBytes = 1 << 20;
  static constexpr size_t kDefaultMaxOutgoingBufferBytes = 16 << 20;

  size_t max_incoming_bytes = kDefaultMaxIncomingBytes;
  size_t max_outgoing_buffer_bytes = kDefaultMaxOutgoingBufferBytes;
  // SIZE_MAX: never pause (a client, which must always read: were both
  // ends to stop reading while their output waits, each would wait for the
  // other).
  size_t pause_reading_above_bytes = 256 * 1024;
  // InfiniteDuration(): a partial frame may wait for ever (for a client,
  // whose service is trusted and whose loop may not run for a while).
  absl::Duration partial_frame_timeout = absl::Seconds(10);
};

// One end of a message channel over a connected Unix-domain stream socket,
// on the current EventLoop. Messages are framed with protobuf's own
// delimited format (a varint length, then the message): outgoing ones are
// serialised straight into the write buffer, incoming ones parsed with
// ParseDelimitedFromCodedStream once the buffered bytes hold a whole frame (a
// peek at the varint length says whether they do, so a partial frame waits
// for more bytes).
//
// Incoming frames are parsed into a message of the prototype's type and
// handed to the delegate. Framing errors close the channel: a length prefix
// that is not a valid varint32 (ERR_INVALID_IPC_MESSAGE), a frame longer
// than `max_incoming_bytes` (ERR_IPC_MESSAGE_TOO_LARGE, refused as soon as
// its prefix arrives), a frame still incomplete `partial_frame_timeout`
// after its first byte came (ERR_TIMED_OUT). A body that does not parse goes
// to OnUndecodableMessage(); unless the delegate takes it, it closes the
// channel too (ERR_INVALID_IPC_MESSAGE). Before it closes for any of these,
// the delegate may Send() a last message, which goes out if the socket takes
// it at once.
//
// Backpressure: the channel reads one chunk (at most 64 KiB) per readable
// event and reads again only once every complete frame in it was handled.
// Before each frame it checks what waits to be written: above
// `pause_reading_above_bytes` it stops running frames and reading until the
// peer has read its replies down to half that, and after
// kMaxFramesPerTurn frames it lets the loop run other work first. So a peer
// that never reads costs about that much buffered output, not a buffer per
// request it sends.
//
// Sending never blocks and never calls the delegate: messages sent during
// one task are written together by a posted task; bytes the socket does not
// take wait in a buffer that never holds more than
// `max_outgoing_buffer_bytes`: a message that would go past it (replies and
// events of work already under way, for a peer that stopped reading) is
// dropped and the channel closes through a posted task
// (ERR_INSUFFICIENT_RESOURCES), as it does on a write error. The delegate
// hears about the close once, with the reason, and may destroy the channel
// from any of its callbacks.
//
// Memory: buffers grow only as bytes arrive or wait (a frame's exact size is
// reserved once its prefix is read) and are released when they drain, so an
// idle channel holds no buffer.
//
// Owns the fd and the prototype; does not own the delegate, which must
// outlive it. Network thread only.
class IpcChannel {
 public:
  class Delegate {
   public:
    // `message` is the prototype's type; valid during the call only.
    virtual void OnMessageReceived(
        const google::protobuf::MessageLite& message) = 0;
    // A whole frame whose body is no valid message of the prototype's type.
    // The framing is intact, so the delegate may answer and return true to
    // skip it and keep the channel; false closes it as a bad frame.
    virtual bool OnUndecodableMessage(std::string_view body) { return false; }
    // The peer broke the framing; the channel closes after this returns.
    virtual void OnBadFrame(int error, const std::string& description) {}
    // The channel closed: OK for the peer's orderly close, a net error
    // otherwise. Called once; nothing is read or sent afterwards.
    virtual void OnChannelClosed(int error) = 0;

   protected:
    virtual ~Delegate() = default;
  };

  static constexpr size_t kDefaultMaxIncomingBytes =
      IpcChannelLimits::kDefaultMaxIncomingBytes;
  static constexpr size_t kDefaultMaxOutgoingBufferBytes =
      IpcChannelLimits::kDefaultMaxOutgoingBufferBytes;
  // Frames run per loop turn before other clients get theirs.
  static constexpr size_t kMaxFramesPerTurn = 32;

  using Limits = IpcChannelLimits;

  IpcChannel(int fd,
             std::unique_ptr<google::protobuf::MessageLite> prototype,
             Delegate* delegate,
             const Limits& limits = Limits());
  IpcChannel(const IpcChannel&) = delete;
  IpcChannel& operator=(const IpcChannel&) = delete;
  // Closes the fd; the delegate is not called.
  ~IpcChannel();

  // Starts reading. Call once.
  void Start();

  // Queues `message`; false (and nothing sent) once the channel is closed or
  // closing, or when it would take the write buffer past its cap.
  bool Send(const google::protobuf::MessageLite& message);

  bool is_open() const { return fd_ >= 0 && !closing_; }
  // Frames are not being read because replies wait for the peer.
  bool is_paused_for_output() const { return paused_for_output_; }
  size_t pending_write_bytes() const {
    return write_buffer_.size() - write_offset_;
  }
  // Memory the buffers hold (their capacity), for tests and benchmarks.
  size_t read_buffer_capacity() const { return read_buffer_.capacity(); }
  size_t write_buffer_capacity() const { return write_buffer_.capacity(); }

 private:
  void OnReadable();
  // Runs the complete frames in the read buffer while backpressure and the
  // per-turn budget allow, then reads again (or waits for the writes).
  void ProcessFrames();
  void PostProcessFrames();
  // Tells the delegate, lets its last word out, and closes.
  void FailFrame(int error, const std::string& description);
  void OnPartialFrameTimeout();
  // Keeps the unread bytes only, and releases a drained buffer.
  void CompactReadBuffer();
  // Room for `bytes` more in the write buffer, without going past the cap.
  void ReserveWrite(size_t bytes);
  void Flush();
  void OnWritable();
  // Stops reading and writing, closes the fd and tells the delegate.
  void Close(int error);
  void PostClose(int error);

  int fd_;
  std::unique_ptr<google::protobuf::MessageLite> incoming_;
  Delegate* const delegate_;
  const Limits limits_;
  std::unique_ptr<net::FdWatcher> watcher_;
  std::vector<char> read_buffer_;
  size_t read_offset_ = 0;
  // The whole size (prefix and body) of the partial frame at read_offset_,
  // once its prefix is in; 0 before.
  size_t partial_frame_bytes_ = 0;
  net::OneShotTimer partial_frame_timer_;
  std::vector<char> write_buffer_;
  size_t write_offset_ = 0;
  // A close is posted: nothing more is read, sent or delivered.
  bool closing_ = false;
  bool flush_posted_ = false;
  bool process_posted_ = false;
  bool paused_for_output_ = false;
  net::WeakPtrFactory<IpcChannel> weak_factory_{this};
};

}  // namespace prewarm

#endif  // SERVICE_IPC_CHANNEL_H_
