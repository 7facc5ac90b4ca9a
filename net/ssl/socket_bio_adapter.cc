#include "net/ssl/socket_bio_adapter.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/socket/stream_socket.h"
#include "openssl/bio.h"

namespace net {

SocketBioAdapter::SocketBioAdapter(StreamSocket* socket,
                                   size_t read_buffer_capacity,
                                   size_t write_buffer_capacity,
                                   Delegate* delegate)
    : socket_(socket),
      read_buffer_capacity_(read_buffer_capacity),
      write_buffer_capacity_(write_buffer_capacity),
      delegate_(delegate),
      bio_(BIO_new(BioMethod())) {
  CHECK(socket_);
  CHECK(delegate_);
  CHECK(bio_);
  CHECK(read_buffer_capacity_ > 0 && write_buffer_capacity_ > 0);
  BIO_set_data(bio_.get(), this);
  BIO_set_init(bio_.get(), 1);
}

SocketBioAdapter::~SocketBioAdapter() {
  // An SSL may still hold the BIO; make it fail rather than reach a dead
  // adapter.
  BIO_set_data(bio_.get(), nullptr);
}

bool SocketBioAdapter::HasPendingReadData() const {
  return read_offset_ < read_size_;
}

// static
const BIO_METHOD* SocketBioAdapter::BioMethod() {
  // Process-wide and immutable once built, like BoringSSL's own BIO_s_* tables.
  static const BIO_METHOD* const method = [] {
    BIO_METHOD* built = BIO_meth_new(0, "prewarm SocketBioAdapter");
    CHECK(built);
    CHECK(BIO_meth_set_read(built, &SocketBioAdapter::BioReadThunk));
    CHECK(BIO_meth_set_write(built, &SocketBioAdapter::BioWriteThunk));
    CHECK(BIO_meth_set_ctrl(built, &SocketBioAdapter::BioCtrlThunk));
    return built;
  }();
  return method;
}

// static
int SocketBioAdapter::BioReadThunk(BIO* bio, char* out, int len) {
  auto* adapter = static_cast<SocketBioAdapter*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (!adapter)
    return -1;
  int result = adapter->BioRead(out, len);
  if (result == ERR_IO_PENDING) {
    BIO_set_retry_read(bio);
    return -1;
  }
  return result;
}

// static
int SocketBioAdapter::BioWriteThunk(BIO* bio, const char* in, int len) {
  auto* adapter = static_cast<SocketBioAdapter*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (!adapter)
    return -1;
  int result = adapter->BioWrite(in, len);
  if (result == ERR_IO_PENDING) {
    BIO_set_retry_write(bio);
    return -1;
  }
  return result;
}

// static
long SocketBioAdapter::BioCtrlThunk(BIO* bio, int cmd, long larg, void* parg) {
  // Writes are flushed continuously in the background, so a flush has nothing
  // to wait for; BoringSSL only needs it to succeed.
  if (cmd == BIO_CTRL_FLUSH)
    return 1;
  return 0;
}

int SocketBioAdapter::BioRead(char* out, int len) {
  if (len <= 0)
    return 0;
  if (!HasPendingReadData()) {
    if (read_error_ != OK)
      return -1;
    if (read_eof_)
      return 0;
    if (read_pending_) {
      if (!waiting_for_readiness_)
        return ERR_IO_PENDING;  // A buffered Read is in flight.
      // Only a readiness wait: look again now rather than wait for the loop to
      // dispatch it, so a caller peeking the connection sees the current state.
      socket_->CancelReadIfReady();
      read_pending_ = false;
      waiting_for_readiness_ = false;
    }
    read_buffer_.reset(new char[read_buffer_capacity_]);
    read_offset_ = read_size_ = 0;
    int result = ERR_NOT_IMPLEMENTED;
    if (transport_supports_read_if_ready_) {
      // Waiting costs no buffer this way, which matters for idle pooled
      // sockets.
      result = socket_->ReadIfReady(
          read_buffer_.get(), static_cast<int>(read_buffer_capacity_),
          [weak = weak_factory_.GetWeakPtr()](int result) {
            if (SocketBioAdapter* self = weak.get())
              self->OnTransportReadIfReadyComplete(result);
          });
      if (result == ERR_NOT_IMPLEMENTED) {
        transport_supports_read_if_ready_ = false;
      } else if (result == ERR_IO_PENDING) {
        read_buffer_.reset();
        read_pending_ = true;
        waiting_for_readiness_ = true;
        return ERR_IO_PENDING;
      }
    }
    if (!transport_supports_read_if_ready_) {
      result = socket_->Read(read_buffer_.get(),
                             static_cast<int>(read_buffer_capacity_),
                             [weak = weak_factory_.GetWeakPtr()](int result) {
                               if (SocketBioAdapter* self = weak.get())
                                 self->OnTransportReadComplete(result);
                             });
      if (result == ERR_IO_PENDING) {
        read_pending_ = true;
        return ERR_IO_PENDING;
      }
    }
    HandleReadResult(result);
    if (read_error_ != OK)
      return -1;
    if (read_eof_)
      return 0;
  }
  size_t count = std::min(static_cast<size_t>(len), read_size_ - read_offset_);
  std::memcpy(out, read_buffer_.get() + read_offset_, count);
  read_offset_ += count;
  if (read_offset_ == read_size_) {
    read_buffer_.reset();
    read_offset_ = read_size_ = 0;
  }
  return static_cast<int>(count);
}

void SocketBioAdapter::HandleReadResult(int result) {
  DCHECK(result != ERR_IO_PENDING);
  if (result > 0) {
    read_offset_ = 0;
    read_size_ = static_cast<size_t>(result);
    return;
  }
  read_buffer_.reset();
  read_offset_ = read_size_ = 0;
  if (result == 0)
    read_eof_ = true;
  else
    read_error_ = result;
}

void SocketBioAdapter::OnTransportReadComplete(int result) {
  DCHECK(read_pending_);
  read_pending_ = false;
  HandleReadResult(result);
  delegate_->OnReadReady();
}

void SocketBioAdapter::OnTransportReadIfReadyComplete(int result) {
  DCHECK(read_pending_ && waiting_for_readiness_);
  read_pending_ = false;
  waiting_for_readiness_ = false;
  // OK only means "readable now": the retried BIO read fetches the data.
  if (result < 0)
    read_error_ = result;
  delegate_->OnReadReady();
}

int SocketBioAdapter::BioWrite(const char* in, int len) {
  if (write_error_ != OK)
    return -1;
  if (len <= 0)
    return 0;
  if (!write_buffer_) {
    write_buffer_.reset(new char[write_buffer_capacity_]);
    write_offset_ = write_size_ = 0;
  }
  if (!write_pending_ && write_offset_ > 0) {
    // Nothing points into the buffer now; move the unsent bytes to the front.
    std::memmove(write_buffer_.get(), write_buffer_.get() + write_offset_,
                 write_size_ - write_offset_);
    write_size_ -= write_offset_;
    write_offset_ = 0;
  }
  size_t room = write_buffer_capacity_ - write_size_;
  if (room == 0) {
    write_blocked_ = true;
    return ERR_IO_PENDING;
  }
  size_t count = std::min(static_cast<size_t>(len), room);
  std::memcpy(write_buffer_.get() + write_size_, in, count);
  write_size_ += count;
  FlushWrites();
  // The bytes are accepted even if the flush failed; the error surfaces on the
  // next read or write, as it would with a kernel socket buffer.
  return static_cast<int>(count);
}

void SocketBioAdapter::FlushWrites() {
  while (!write_pending_ && write_error_ == OK && write_offset_ < write_size_) {
    int result =
        socket_->Write(write_buffer_.get() + write_offset_,
                       static_cast<int>(write_size_ - write_offset_),
                       [weak = weak_factory_.GetWeakPtr()](int result) {
                         if (SocketBioAdapter* self = weak.get())
                           self->OnTransportWriteComplete(result);
                       });
    if (result == ERR_IO_PENDING) {
      write_pending_ = true;
      return;
    }
    HandleWriteResult(result);
  }
}

void SocketBioAdapter::HandleWriteResult(int result) {
  DCHECK(result != ERR_IO_PENDING);
  if (result < 0) {
    write_error_ = result;
    write_buffer_.reset();
    write_offset_ = write_size_ = 0;
    return;
  }
  write_offset_ += static_cast<size_t>(result);
  if (write_offset_ == write_size_) {
    write_buffer_.reset();
    write_offset_ = write_size_ = 0;
  }
}

void SocketBioAdapter::OnTransportWriteComplete(int result) {
  DCHECK(write_pending_);
  write_pending_ = false;
  HandleWriteResult(result);
  FlushWrites();
  if (write_blocked_ || write_error_ != OK) {
    write_blocked_ = false;
    delegate_->OnWriteReady();
  }
}

}  // namespace net
