#ifndef UNITTESTS_SOCKET_POOL_FAKE_STREAM_SOCKET_H_
#define UNITTESTS_SOCKET_POOL_FAKE_STREAM_SOCKET_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "net/log/net_log_with_source.h"
#include "net/socket/stream_socket.h"
#include "socket_pool/group_id.h"

namespace net {

// A socket object that is "connected" without any network, for measuring the
// pool's own cost (benchmarks) and for the million-operation randomized
// isolation test. Never used below a pool in other tests: those use real
// loopback sockets. The test can play the peer: close it or leave unread
// data. `owner_tag` records which group key it was made for, so the tests can
// check it never reaches a request of another key.
class FakeStreamSocket : public StreamSocket {
 public:
  explicit FakeStreamSocket(uint64_t owner_tag);
  ~FakeStreamSocket() override;

  uint64_t owner_tag() const { return owner_tag_; }
  void ClosePeer() { peer_closed_ = true; }
  void SetUnreadData(bool unread) { unread_data_ = unread; }
  void MarkUsed() { was_used_ = true; }
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
  int GetPeerAddress(IPEndPoint* address) const override;
  int GetLocalAddress(IPEndPoint* address) const override;
  const NetLogWithSource& NetLog() const override;

  // Live FakeStreamSocket objects in this process, in no order: lets tests
  // prove nothing leaks and play the peer of sockets sitting idle in a pool.
  static const std::vector<FakeStreamSocket*>& live_sockets();

 private:
  const uint64_t owner_tag_;
  size_t live_index_ = 0;
  bool disconnected_ = false;
  bool peer_closed_ = false;
  bool unread_data_ = false;
  bool was_used_ = false;
  std::optional<GroupId> served_key_;
  NetLogWithSource net_log_;
};

}  // namespace net

#endif  // UNITTESTS_SOCKET_POOL_FAKE_STREAM_SOCKET_H_
