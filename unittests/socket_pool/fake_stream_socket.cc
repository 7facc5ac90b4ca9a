#include "unittests/socket_pool/fake_stream_socket.h"

#include <algorithm>

#include "net/base/net_errors.h"

namespace net {

namespace {
std::vector<FakeStreamSocket*>& LiveSockets() {
  static std::vector<FakeStreamSocket*> live;
  return live;
}
}  // namespace

FakeStreamSocket::FakeStreamSocket(uint64_t owner_tag) : owner_tag_(owner_tag) {
  LiveSockets().push_back(this);
}

FakeStreamSocket::~FakeStreamSocket() {
  std::vector<FakeStreamSocket*>& live = LiveSockets();
  live.erase(std::find(live.begin(), live.end(), this));
}

const std::vector<FakeStreamSocket*>& FakeStreamSocket::live_sockets() {
  return LiveSockets();
}

int FakeStreamSocket::Connect(CompletionOnceCallback callback) {
  return OK;
}

void FakeStreamSocket::Disconnect() {
  disconnected_ = true;
}

bool FakeStreamSocket::IsConnected() const {
  return !disconnected_ && !peer_closed_;
}

bool FakeStreamSocket::IsConnectedAndIdle() const {
  return IsConnected() && !unread_data_;
}

int FakeStreamSocket::Read(char* buf,
                           int len,
                           CompletionOnceCallback callback) {
  was_used_ = true;
  return 0;
}

int FakeStreamSocket::Write(const char* buf,
                            int len,
                            CompletionOnceCallback callback) {
  was_used_ = true;
  return len;
}

bool FakeStreamSocket::WasEverUsed() const {
  return was_used_;
}

int FakeStreamSocket::GetPeerAddress(IPEndPoint* address) const {
  return ERR_SOCKET_NOT_CONNECTED;
}

int FakeStreamSocket::GetLocalAddress(IPEndPoint* address) const {
  return ERR_SOCKET_NOT_CONNECTED;
}

const NetLogWithSource& FakeStreamSocket::NetLog() const {
  return net_log_;
}

}  // namespace net
