#ifndef SERVICE_EVENT_SUBSCRIPTION_H_
#define SERVICE_EVENT_SUBSCRIPTION_H_

#include <cstdint>

#include "net/log/net_log.h"
#include "preload/preload_observer.h"
#include "socket_pool/socket_pool_observer.h"

namespace prewarm {

class IpcConnection;
class NetworkContext;

// One client's subscription to a network context's events: pool,
// preconnect and preload observer events (kPoolEvents) or NetLog entries as
// JSON (kNetLog), each sent to the client as an ipc::Event tagged with the
// subscription's request id, in the order they happen. Registers itself
// with the context on construction and unregisters on destruction, so it
// must be destroyed before the context; the connection must outlive it.
// Sending never calls back into the context or the pool. Network thread
// only.
class EventSubscription : public net::SocketPoolObserver,
                          public PreloadObserver,
                          public net::NetLog::Observer {
 public:
  enum class Kind { kPoolEvents, kNetLog };

  EventSubscription(Kind kind,
                    uint32_t request_id,
                    NetworkContext* context,
                    IpcConnection* connection);
  EventSubscription(const EventSubscription&) = delete;
  EventSubscription& operator=(const EventSubscription&) = delete;
  ~EventSubscription() override;

  uint32_t request_id() const { return request_id_; }

  // net::SocketPoolObserver:
  void OnPreconnectSocketOutcome(uint64_t preconnect_id,
                                 const net::GroupId& group_id,
                                 net::PreconnectOutcome outcome,
                                 int error) override;
  void OnSocketHandedOut(const net::GroupId& group_id,
                         net::ClientSocketHandle::ReuseType reuse_type,
                         uint64_t preconnect_id) override;
  void OnPreconnectSocketStranded(
      uint64_t preconnect_id,
      const net::GroupId& preconnect_group_id,
      const net::GroupId& request_group_id,
      const net::GroupId::KeyDifference& difference) override;
  void OnPreconnectSocketLateBound(uint64_t preconnect_id,
                                   const net::GroupId& preconnect_group_id,
                                   const net::GroupId& bound_group_id) override;

  // PreloadObserver:
  void OnPreloadEvent(const PreloadEvent& event) override;

  // net::NetLog::Observer:
  void OnAddEntry(const net::NetLogEntry& entry) override;

 private:
  const Kind kind_;
  const uint32_t request_id_;
  NetworkContext* const context_;
  IpcConnection* const connection_;
};

}  // namespace prewarm

#endif  // SERVICE_EVENT_SUBSCRIPTION_H_
