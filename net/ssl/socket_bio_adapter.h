#ifndef NET_SSL_SOCKET_BIO_ADAPTER_H_
#define NET_SSL_SOCKET_BIO_ADAPTER_H_

#include <cstddef>
#include <memory>

#include "net/event/weak_ptr.h"
#include "openssl/base.h"

namespace net {

class StreamSocket;

// Presents a StreamSocket as a BoringSSL BIO, so TLS can run over any
// StreamSocket (TCP today, anything else later), like Chromium's
// SocketBIOAdapter. BoringSSL calls the BIO synchronously; the adapter turns
// that into asynchronous transport Reads and Writes: a BIO read with nothing
// buffered starts a transport ReadIfReady (Read if the transport lacks it) and
// reports "retry"; a BIO write is buffered
// (up to `write_buffer_capacity`) and flushed in the background. When a
// transport operation that BoringSSL was waiting for completes, the Delegate is
// told, so the SSL socket retries whatever was blocked. Delegate calls only
// happen from transport completions, never from inside a BIO call.
//
// Both buffers are allocated on demand and freed as soon as they drain, and
// ReadIfReady waits without one, so an idle connection holds no buffer memory
// here. The adapter does not own the
// socket or the delegate; both must outlive it. The BIO may outlive the adapter
// (an SSL holds a reference): it then fails every call.
class SocketBioAdapter {
 public:
  class Delegate {
   public:
    virtual ~Delegate() = default;
    // Data, end of stream or a read error became available.
    virtual void OnReadReady() = 0;
    // Write buffer space became available, or a write error happened.
    virtual void OnWriteReady() = 0;
  };

  SocketBioAdapter(StreamSocket* socket,
                   size_t read_buffer_capacity,
                   size_t write_buffer_capacity,
                   Delegate* delegate);
  SocketBioAdapter(const SocketBioAdapter&) = delete;
  SocketBioAdapter& operator=(const SocketBioAdapter&) = delete;
  ~SocketBioAdapter();

  // The BIO; callers that keep it (SSL_set_bio) take their own reference.
  BIO* bio() const { return bio_.get(); }

  // True if transport data was read but BoringSSL has not consumed it yet.
  bool HasPendingReadData() const;
  // True once the transport reported end of stream (and all of it was
  // consumed).
  bool read_eof() const { return read_eof_; }
  // The transport's read or write error (a net error), or OK.
  int read_error() const { return read_error_; }
  int write_error() const { return write_error_; }

 private:
  static const BIO_METHOD* BioMethod();
  static int BioReadThunk(BIO* bio, char* out, int len);
  static int BioWriteThunk(BIO* bio, const char* in, int len);
  static long BioCtrlThunk(BIO* bio, int cmd, long larg, void* parg);

  int BioRead(char* out, int len);
  int BioWrite(const char* in, int len);

  void HandleReadResult(int result);
  void OnTransportReadComplete(int result);
  void OnTransportReadIfReadyComplete(int result);
  // Starts transport Writes until one is pending or the buffer is empty.
  void FlushWrites();
  void HandleWriteResult(int result);
  void OnTransportWriteComplete(int result);

  StreamSocket* const socket_;
  const size_t read_buffer_capacity_;
  const size_t write_buffer_capacity_;
  Delegate* const delegate_;
  bssl::UniquePtr<BIO> bio_;

  std::unique_ptr<char[]> read_buffer_;
  size_t read_offset_ = 0;
  size_t read_size_ = 0;
  // A transport Read or ReadIfReady is outstanding.
  bool read_pending_ = false;
  // The outstanding read is a ReadIfReady (no buffer), not a Read.
  bool waiting_for_readiness_ = false;
  bool transport_supports_read_if_ready_ = true;
  bool read_eof_ = false;
  int read_error_ = 0;

  // Unsent bytes are [write_offset_, write_size_). A pending transport Write
  // points into this buffer, so it is never reallocated or compacted while one
  // is in flight.
  std::unique_ptr<char[]> write_buffer_;
  size_t write_offset_ = 0;
  size_t write_size_ = 0;
  bool write_pending_ = false;
  int write_error_ = 0;
  // BoringSSL asked to write while the buffer was full: tell the delegate when
  // it drains.
  bool write_blocked_ = false;

  WeakPtrFactory<SocketBioAdapter> weak_factory_{this};
};

}  // namespace net

#endif  // NET_SSL_SOCKET_BIO_ADAPTER_H_
