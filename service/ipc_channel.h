#ifndef SERVICE_IPC_CHANNEL_H_
#define SERVICE_IPC_CHANNEL_H_

#include <cstddef>
#include <memory>
#include <string>

#include "net/event/fd_watcher.h"
#include "net/event/weak_ptr.h"

namespace google::protobuf {
class MessageLite;
}

namespace prewarm {

// One end of a message channel over a connected Unix-domain stream socket,
// on the current EventLoop. Messages are framed with protobuf's own
// delimited format (a varint length, then the message): outgoing ones with
// SerializeDelimitedToZeroCopyStream, incoming ones with
// ParseDelimitedFromCodedStream once the buffered bytes hold a whole frame (a
// peek at the varint length says whether they do, so a partial frame waits
// for more bytes).
//
// Incoming frames are parsed into a message of the prototype's type and
// handed to the delegate. Framing errors close the channel: a length prefix
// that is not a valid varint32 or a body that does not parse
// (ERR_INVALID_IPC_MESSAGE), a frame longer than `max_incoming_bytes`
// (ERR_IPC_MESSAGE_TOO_LARGE). Before it closes for one, the delegate may
// Send() a last message, which goes out if the socket takes it at once.
//
// Sending never blocks and never calls the delegate: messages sent during
// one task are written together by a posted task; bytes the socket does not
// take wait in a buffer; a write error, or more than
// `max_outgoing_buffer_bytes` waiting (a peer that stopped reading), closes
// the channel through a posted task. The delegate hears about the close once,
// with the reason, and may destroy the channel from any of its callbacks.
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
    // The peer broke the framing; the channel closes after this returns.
    virtual void OnBadFrame(int error, const std::string& description) {}
    // The channel closed: OK for the peer's orderly close, a net error
    // otherwise. Called once; nothing is read or sent afterwards.
    virtual void OnChannelClosed(int error) = 0;

   protected:
    virtual ~Delegate() = default;
  };

  static constexpr size_t kDefaultMaxIncomingBytes = 1 << 20;
  static constexpr size_t kDefaultMaxOutgoingBufferBytes = 64 << 20;

  IpcChannel(int fd,
             std::unique_ptr<google::protobuf::MessageLite> prototype,
             Delegate* delegate,
             size_t max_incoming_bytes = kDefaultMaxIncomingBytes,
             size_t max_outgoing_buffer_bytes = kDefaultMaxOutgoingBufferBytes);
  IpcChannel(const IpcChannel&) = delete;
  IpcChannel& operator=(const IpcChannel&) = delete;
  // Closes the fd; the delegate is not called.
  ~IpcChannel();

  // Starts reading. Call once.
  void Start();

  // Queues `message`; false (and nothing sent) once the channel is closed or
  // closing.
  bool Send(const google::protobuf::MessageLite& message);

  bool is_open() const { return fd_ >= 0 && !closing_; }
  size_t pending_write_bytes() const {
    return write_buffer_.size() - write_offset_;
  }

 private:
  void OnReadable();
  // Parses every complete frame in the read buffer.
  void ProcessFrames();
  void Flush();
  void OnWritable();
  // Stops reading and writing, closes the fd and tells the delegate.
  void Close(int error);
  void PostClose(int error);

  int fd_;
  std::unique_ptr<google::protobuf::MessageLite> incoming_;
  Delegate* const delegate_;
  const size_t max_incoming_bytes_;
  const size_t max_outgoing_buffer_bytes_;
  std::unique_ptr<net::FdWatcher> watcher_;
  // recv() lands here, then only the bytes read are appended.
  std::unique_ptr<char[]> read_chunk_;
  std::string read_buffer_;
  size_t read_offset_ = 0;
  std::string write_buffer_;
  size_t write_offset_ = 0;
  // A close is posted: nothing more is read, sent or delivered.
  bool closing_ = false;
  bool flush_posted_ = false;
  net::WeakPtrFactory<IpcChannel> weak_factory_{this};
};

}  // namespace prewarm

#endif  // SERVICE_IPC_CHANNEL_H_
