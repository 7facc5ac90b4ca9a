#ifndef UNITTESTS_SOCKET_POOL_TAGGED_STREAM_SOCKET_H_
#define UNITTESTS_SOCKET_POOL_TAGGED_STREAM_SOCKET_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "net/socket/stream_socket.h"
#include "socket_pool/group_id.h"

namespace net {

// A real socket that remembers which group key its connect job was made for,
// so tests can prove a socket never reaches a request of another key. Every
// StreamSocket call goes to the wrapped socket, which it owns.
class TaggedStreamSocket : public StreamSocket {
 public:
  TaggedStreamSocket(std::unique_ptr<StreamSocket> socket, GroupId made_for);
  ~TaggedStreamSocket() override;

  const GroupId& made_for() const { return made_for_; }
  // The privacy mode the pool bound it to at its first use (late privacy
  // binding), if it did.
  const std::optional<PrivacyMode>& bound_to() const { return bound_to_; }
  // The group key of the first request the test saw holding it.
  std::optional<GroupId>& served_key() { return served_key_; }

  // StreamSocket:
  int Connect(CompletionOnceCallback callback) override;
  void Disconnect() override;
  bool IsConnected() const override;
  bool IsConnectedAndIdle() const override;
  int Read(char* buf, int len, CompletionOnceCallback callback) override;
  int Write(const char* buf, int len, CompletionOnceCallback callback) override;
  bool WasEverUsed() const override;
  bool CanBindToOtherPrivacyMode() const override;
  void BindToPrivacyMode(PrivacyMode privacy_mode) override;
  int GetPeerAddress(IPEndPoint* address) const override;
  int GetLocalAddress(IPEndPoint* address) const override;
  const NetLogWithSource& NetLog() const override;
  std::string GetNegotiatedProtocol() const override {
    return negotiated_protocol_;
  }
  // Plays the ALPN result of a TLS socket ("h2", "http/1.1").
  void set_negotiated_protocol(std::string protocol) {
    negotiated_protocol_ = std::move(protocol);
  }

 private:
  std::unique_ptr<StreamSocket> socket_;
  const GroupId made_for_;
  std::optional<PrivacyMode> bound_to_;
  std::optional<GroupId> served_key_;
  std::string negotiated_protocol_;
};

}  // namespace net

#endif  // UNITTESTS_SOCKET_POOL_TAGGED_STREAM_SOCKET_H_
