#include "unittests/socket_pool/tagged_stream_socket.h"

#include <utility>

namespace net {

TaggedStreamSocket::TaggedStreamSocket(std::unique_ptr<StreamSocket> socket,
                                       GroupId made_for)
    : socket_(std::move(socket)), made_for_(std::move(made_for)) {}

TaggedStreamSocket::~TaggedStreamSocket() = default;

int TaggedStreamSocket::Connect(CompletionOnceCallback callback) {
  return socket_->Connect(std::move(callback));
}

void TaggedStreamSocket::Disconnect() {
  socket_->Disconnect();
}

bool TaggedStreamSocket::IsConnected() const {
  return socket_->IsConnected();
}

bool TaggedStreamSocket::IsConnectedAndIdle() const {
  return socket_->IsConnectedAndIdle();
}

int TaggedStreamSocket::Read(char* buf,
                             int len,
                             CompletionOnceCallback callback) {
  return socket_->Read(buf, len, std::move(callback));
}

int TaggedStreamSocket::Write(const char* buf,
                              int len,
                              CompletionOnceCallback callback) {
  return socket_->Write(buf, len, std::move(callback));
}

bool TaggedStreamSocket::WasEverUsed() const {
  return socket_->WasEverUsed();
}

bool TaggedStreamSocket::CanBindToOtherPrivacyMode() const {
  return socket_->CanBindToOtherPrivacyMode();
}

void TaggedStreamSocket::BindToPrivacyMode(PrivacyMode privacy_mode) {
  bound_to_ = privacy_mode;
  socket_->BindToPrivacyMode(privacy_mode);
}

int TaggedStreamSocket::GetPeerAddress(IPEndPoint* address) const {
  return socket_->GetPeerAddress(address);
}

int TaggedStreamSocket::GetLocalAddress(IPEndPoint* address) const {
  return socket_->GetLocalAddress(address);
}

const NetLogWithSource& TaggedStreamSocket::NetLog() const {
  return socket_->NetLog();
}

}  // namespace net
