#include "unittests/socket_pool/fake_stream_socket.h"

#include "net/base/net_errors.h"

namespace net {

namespace {
std::vector<FakeStreamSocket*>& LiveSockets() {
  static std::vector<FakeStreamSocket*> live;
  return live;
}
}  // namespace

FakeStreamSocket::FakeStreamSocket(uint64_t owner_tag) : owner_tag_(owner_tag) {
  live_index_ = LiveSockets().size();
  LiveSockets().push_back(this);
}

FakeStreamSocket::~FakeStreamSocket() {
  // Swap-remove keeps this O(1): the benchmarks make and drop many sockets.
  std::vector<FakeStreamSocket*>& live = LiveSockets();
  live[live_index_] = live.back();
  live[live_index_]->live_index_ = live_index_;
  live.pop_back();
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
