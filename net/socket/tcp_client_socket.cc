#include "net/socket/tcp_client_socket.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <utility>

#include "absl/strings/str_join.h"
#include "net/base/check.h"
#include "net/base/net_errors.h"
#include "net/event/fd_watcher.h"
#include "net/log/net_log_values.h"

namespace net {

namespace {

int RetryOnEintr(auto operation) {
  int result;
  do {
    result = operation();
  } while (result < 0 && errno == EINTR);
  return result;
}

}  // namespace

TcpClientSocket::Attempt::Attempt() = default;
TcpClientSocket::Attempt::~Attempt() {
  watcher.reset();
  if (fd >= 0)
    close(fd);
}

TcpClientSocket::TcpClientSocket(std::vector<IPEndPoint> addresses,
                                 const Options& options,
                                 NetLogWithSource net_log)
    : addresses_(std::move(addresses)),
      options_(options),
      net_log_(std::move(net_log)) {}

TcpClientSocket::~TcpClientSocket() {
  Disconnect();
}

int TcpClientSocket::Connect(CompletionOnceCallback callback) {
  if (fd_ >= 0)
    return OK;
  DCHECK(!connect_callback_);
  net_log_.BeginEvent(NetLogEventType::TCP_CONNECT, [&] {
    std::vector<std::string> addresses;
    for (const IPEndPoint& address : addresses_)
      addresses.push_back(address.ToString());
    return NetLogParamsWithString("address_list",
                                  absl::StrJoin(addresses, ", "));
  });
  int rv = StartConnect();
  if (rv == ERR_IO_PENDING)
    connect_callback_ = std::move(callback);
  else
    LogConnectEnd(rv);
  return rv;
}

void TcpClientSocket::LogConnectEnd(int result) {
  if (result != OK) {
    net_log_.EndEventWithNetErrorCode(NetLogEventType::TCP_CONNECT, result);
    return;
  }
  net_log_.EndEvent(NetLogEventType::TCP_CONNECT, [&] {
    google::protobuf::Struct params;
    IPEndPoint local;
    if (GetLocalAddress(&local) == OK)
      SetNetLogString(&params, "local_address", local.ToString());
    SetNetLogString(&params, "remote_address", peer_address_.ToString());
    return params;
  });
}

int TcpClientSocket::StartConnect() {
  if (addresses_.empty())
    return ERR_ADDRESS_INVALID;

  // The first address's family goes first (the resolver already ordered them by
  // preference); everything else is the fallback family.
  for (Attempt* attempt : {&primary_, &fallback_}) {
    CloseAttempt(*attempt);
    attempt->addresses.clear();
    attempt->next_index = 0;
    attempt->last_error = OK;
    attempt->started = false;
    attempt->finished = false;
  }
  const int primary_family = addresses_.front().GetFamily();
  for (const IPEndPoint& address : addresses_) {
    (address.GetFamily() == primary_family ? primary_ : fallback_)
        .addresses.push_back(address);
  }

  int rv = StartAttempt(primary_);
  if (rv == OK)
    return OK;
  if (rv != ERR_IO_PENDING) {
    if (fallback_.addresses.empty())
      return rv;
    rv = StartAttempt(fallback_);
    if (rv != ERR_IO_PENDING)
      return rv;
  } else if (!fallback_.addresses.empty()) {
    fallback_timer_.Start(options_.fallback_delay,
                          [this] { OnFallbackTimer(); });
  }
  connect_timer_.Start(options_.connect_timeout,
                       [this] { OnConnectTimeout(); });
  return ERR_IO_PENDING;
}

int TcpClientSocket::StartAttempt(Attempt& attempt) {
  int rv = StartNextAddress(attempt);
  if (rv == OK)
    Win(attempt);
  return rv;
}

int TcpClientSocket::StartNextAddress(Attempt& attempt) {
  attempt.started = true;
  while (attempt.next_index < attempt.addresses.size()) {
    const IPEndPoint& address = attempt.addresses[attempt.next_index++];
    ++attempted_address_count_;
    net_log_.BeginEvent(NetLogEventType::TCP_CONNECT_ATTEMPT, [&] {
      return NetLogParamsWithString("address", address.ToString());
    });
    sockaddr_storage storage;
    socklen_t storage_length = sizeof(storage);
    if (!address.ToSockAddr(reinterpret_cast<sockaddr*>(&storage),
                            &storage_length)) {
      attempt.last_error = ERR_ADDRESS_INVALID;
      EndAttemptEvent(attempt.last_error);
      continue;
    }
    int fd = socket(storage.ss_family,
                    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0) {
      attempt.last_error = MapSystemError(errno);
      EndAttemptEvent(attempt.last_error);
      continue;
    }
    // Requests are written whole; Nagle would only delay them behind the
    // previous ACK.
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    int rv = RetryOnEintr([&] {
      return connect(fd, reinterpret_cast<sockaddr*>(&storage), storage_length);
    });
    if (rv == 0 || errno == EINPROGRESS) {
      attempt.fd = fd;
      attempt.current = address;
      if (rv == 0) {
        EndAttemptEvent(OK);
        return OK;
      }
      attempt.watcher = std::make_unique<FdWatcher>(fd);
      attempt.watcher->WatchWritable(
          [this, a = &attempt] { OnAttemptWritable(a); });
      return ERR_IO_PENDING;
    }
    attempt.last_error = MapSystemError(errno);
    EndAttemptEvent(attempt.last_error);
    close(fd);
  }
  attempt.finished = true;
  if (attempt.last_error == OK)
    attempt.last_error = ERR_CONNECTION_FAILED;
  return attempt.last_error;
}

void TcpClientSocket::OnAttemptWritable(Attempt* attempt) {
  int socket_error = 0;
  socklen_t length = sizeof(socket_error);
  if (getsockopt(attempt->fd, SOL_SOCKET, SO_ERROR, &socket_error, &length) <
      0) {
    socket_error = errno;
  }
  if (socket_error == 0) {
    EndAttemptEvent(OK);
    Win(*attempt);
    CompleteConnect(OK);
    return;
  }
  attempt->last_error = MapSystemError(socket_error);
  EndAttemptEvent(attempt->last_error);
  CloseAttempt(*attempt);
  ContinueConnect(StartAttempt(*attempt));
}

void TcpClientSocket::ContinueConnect(int attempt_result) {
  int rv = attempt_result;
  if (rv != OK && rv != ERR_IO_PENDING)
    rv = OnAttemptFinished();
  if (rv != ERR_IO_PENDING)
    CompleteConnect(rv);
}

int TcpClientSocket::OnAttemptFinished() {
  // A failed primary family need not wait out the stagger: start the fallback
  // now.
  if (primary_.finished && !fallback_.started && !fallback_.addresses.empty()) {
    fallback_timer_.Stop();
    int rv = StartAttempt(fallback_);
    if (rv == OK || rv == ERR_IO_PENDING)
      return rv;
  }
  const bool primary_running = primary_.started && !primary_.finished;
  const bool fallback_running = fallback_.started && !fallback_.finished;
  if (primary_running || fallback_running)
    return ERR_IO_PENDING;
  // Report the primary family's error: it is the one the caller preferred.
  return primary_.last_error != OK ? primary_.last_error : fallback_.last_error;
}

void TcpClientSocket::OnFallbackTimer() {
  ContinueConnect(StartAttempt(fallback_));
}

void TcpClientSocket::OnConnectTimeout() {
  StopConnecting(ERR_CONNECTION_TIMED_OUT);
  CompleteConnect(ERR_CONNECTION_TIMED_OUT);
}

void TcpClientSocket::Win(Attempt& attempt) {
  fd_ = attempt.fd;
  peer_address_ = attempt.current;
  watcher_ = std::move(attempt.watcher);
  if (!watcher_)
    watcher_ = std::make_unique<FdWatcher>(fd_);
  attempt.fd = -1;
  // The other family lost the race.
  StopConnecting(ERR_ABORTED);
}

void TcpClientSocket::StopConnecting(int reason) {
  fallback_timer_.Stop();
  connect_timer_.Stop();
  AbandonAttempt(primary_, reason);
  AbandonAttempt(fallback_, reason);
}

void TcpClientSocket::EndAttemptEvent(int result) {
  net_log_.EndEventWithNetErrorCode(NetLogEventType::TCP_CONNECT_ATTEMPT,
                                    result);
}

void TcpClientSocket::AbandonAttempt(Attempt& attempt, int reason) {
  if (attempt.fd >= 0)
    EndAttemptEvent(reason);
  CloseAttempt(attempt);
}

void TcpClientSocket::CloseAttempt(Attempt& attempt) {
  attempt.watcher.reset();
  if (attempt.fd >= 0) {
    close(attempt.fd);
    attempt.fd = -1;
  }
}

void TcpClientSocket::CompleteConnect(int result) {
  fallback_timer_.Stop();
  connect_timer_.Stop();
  if (result != OK) {
    CloseAttempt(primary_);
    CloseAttempt(fallback_);
  }
  LogConnectEnd(result);
  RunStoredCallback(connect_callback_, result);
}

void TcpClientSocket::Disconnect() {
  StopConnecting(ERR_ABORTED);
  if (connect_callback_)
    LogConnectEnd(ERR_ABORTED);
  connect_callback_ = nullptr;
  read_callback_ = nullptr;
  read_if_ready_callback_ = nullptr;
  write_callback_ = nullptr;
  read_buf_ = nullptr;
  write_buf_ = nullptr;
  watcher_.reset();
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
  weak_factory_.InvalidateWeakPtrs();
}

TcpClientSocket::PeekResult TcpClientSocket::Peek() const {
  if (fd_ < 0)
    return PeekResult::kClosed;
  char byte;
  ssize_t rv = recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (rv > 0)
    return PeekResult::kHasData;
  // 0: the peer sent FIN.
  if (rv == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
    return PeekResult::kClosed;
  return PeekResult::kIdle;
}

bool TcpClientSocket::IsConnected() const {
  // Unread data still means connected.
  return Peek() != PeekResult::kClosed;
}

bool TcpClientSocket::IsConnectedAndIdle() const {
  // A pending read does not make the socket busy: a TLS layer above keeps one
  // waiting on idle connections. Only bytes that nobody has read count.
  return Peek() == PeekResult::kIdle;
}

int TcpClientSocket::CheckIoArgs(const char* buf, int len) const {
  if (fd_ < 0)
    return ERR_SOCKET_NOT_CONNECTED;
  if (!buf || len <= 0)
    return ERR_INVALID_ARGUMENT;
  return OK;
}

int TcpClientSocket::Read(char* buf, int len, CompletionOnceCallback callback) {
  DCHECK(!read_buf_ && !read_if_ready_callback_);
  int rv = CheckIoArgs(buf, len);
  if (rv == OK)
    rv = DoRead(buf, len);
  if (rv == ERR_IO_PENDING) {
    read_buf_ = buf;
    read_len_ = len;
    read_callback_ = std::move(callback);
    watcher_->WatchReadable([this] { OnReadable(); });
  }
  return rv;
}

int TcpClientSocket::ReadIfReady(char* buf,
                                 int len,
                                 CompletionOnceCallback callback) {
  DCHECK(!read_buf_ && !read_if_ready_callback_);
  int rv = CheckIoArgs(buf, len);
  if (rv == OK)
    rv = DoRead(buf, len);
  if (rv != ERR_IO_PENDING)
    return rv;
  read_if_ready_callback_ = std::move(callback);
  watcher_->WatchReadable(
      [this] { RunStoredCallback(read_if_ready_callback_, OK); });
  return ERR_IO_PENDING;
}

int TcpClientSocket::CancelReadIfReady() {
  if (read_if_ready_callback_) {
    watcher_->StopWatchingReadable();
    read_if_ready_callback_ = nullptr;
  }
  return OK;
}

int TcpClientSocket::DoRead(char* buf, int len) {
  int rv =
      RetryOnEintr([&] { return static_cast<int>(recv(fd_, buf, len, 0)); });
  if (rv > 0) {
    was_ever_used_ = true;
    net_log_.AddEventWithIntParams(NetLogEventType::SOCKET_BYTES_RECEIVED,
                                   "byte_count", rv);
    return rv;
  }
  if (rv == 0) {
    net_log_.AddEvent(NetLogEventType::SOCKET_CLOSED_BY_PEER);
    return 0;
  }
  return MapIoError(NetLogEventType::SOCKET_READ_ERROR);
}

int TcpClientSocket::MapIoError(NetLogEventType error_event) {
  if (errno == EAGAIN || errno == EWOULDBLOCK)
    return ERR_IO_PENDING;
  int error = MapSystemError(errno);
  net_log_.AddEventWithNetErrorCode(error_event, error);
  return error;
}

void TcpClientSocket::OnReadable() {
  int rv = DoRead(read_buf_, read_len_);
  if (rv == ERR_IO_PENDING) {
    watcher_->WatchReadable([this] { OnReadable(); });
    return;
  }
  read_buf_ = nullptr;
  read_len_ = 0;
  RunStoredCallback(read_callback_, rv);
}

int TcpClientSocket::Write(const char* buf,
                           int len,
                           CompletionOnceCallback callback) {
  DCHECK(!write_buf_);
  int rv = CheckIoArgs(buf, len);
  if (rv == OK)
    rv = DoWrite(buf, len);
  if (rv == ERR_IO_PENDING) {
    write_buf_ = buf;
    write_len_ = len;
    write_callback_ = std::move(callback);
    watcher_->WatchWritable([this] { OnWritable(); });
  }
  return rv;
}

int TcpClientSocket::DoWrite(const char* buf, int len) {
  // MSG_NOSIGNAL: a peer that has gone away gives EPIPE, not a SIGPIPE.
  int rv = RetryOnEintr(
      [&] { return static_cast<int>(send(fd_, buf, len, MSG_NOSIGNAL)); });
  if (rv >= 0) {
    if (rv > 0)
      was_ever_used_ = true;
    net_log_.AddEventWithIntParams(NetLogEventType::SOCKET_BYTES_SENT,
                                   "byte_count", rv);
    return rv;
  }
  return MapIoError(NetLogEventType::SOCKET_WRITE_ERROR);
}

void TcpClientSocket::OnWritable() {
  int rv = DoWrite(write_buf_, write_len_);
  if (rv == ERR_IO_PENDING) {
    watcher_->WatchWritable([this] { OnWritable(); });
    return;
  }
  write_buf_ = nullptr;
  write_len_ = 0;
  RunStoredCallback(write_callback_, rv);
}

bool TcpClientSocket::WasEverUsed() const {
  return was_ever_used_;
}

int TcpClientSocket::GetPeerAddress(IPEndPoint* address) const {
  if (fd_ < 0)
    return ERR_SOCKET_NOT_CONNECTED;
  *address = peer_address_;
  return OK;
}

int TcpClientSocket::GetLocalAddress(IPEndPoint* address) const {
  if (fd_ < 0)
    return ERR_SOCKET_NOT_CONNECTED;
  sockaddr_storage storage;
  socklen_t length = sizeof(storage);
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&storage), &length) < 0)
    return MapSystemError(errno);
  if (!address->FromSockAddr(reinterpret_cast<sockaddr*>(&storage), length))
    return ERR_ADDRESS_INVALID;
  return OK;
}

const NetLogWithSource& TcpClientSocket::NetLog() const {
  return net_log_;
}

}  // namespace net
