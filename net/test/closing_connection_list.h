#ifndef NET_TEST_CLOSING_CONNECTION_LIST_H_
#define NET_TEST_CLOSING_CONNECTION_LIST_H_

#include <algorithm>
#include <memory>
#include <vector>

#include "net/event/event_loop.h"
#include "net/event/weak_ptr.h"

namespace net {

// The accepted connections of a test server or proxy. A connection reports
// its close from inside its own call stack, so it cannot be destroyed there:
// OnConnectionClosed() posts one task that deletes every connection whose
// closed() is true by then. Owns the connections; destroying the list
// destroys them. `Connection` needs `bool closed() const`. Network thread
// only.
template <typename Connection>
class ClosingConnectionList {
 public:
  ClosingConnectionList() = default;
  ClosingConnectionList(const ClosingConnectionList&) = delete;
  ClosingConnectionList& operator=(const ClosingConnectionList&) = delete;

  Connection* Add(std::unique_ptr<Connection> connection) {
    connections_.push_back(std::move(connection));
    return connections_.back().get();
  }

  // Call when a connection closed; the deletion runs later, once per turn.
  void OnConnectionClosed() {
    if (deletion_posted_)
      return;
    deletion_posted_ = true;
    EventLoop::Current()->PostTask([weak = weak_factory_.GetWeakPtr()] {
      if (ClosingConnectionList* self = weak.get())
        self->DeleteClosed();
    });
  }

  int num_open() const {
    return static_cast<int>(std::count_if(
        connections_.begin(), connections_.end(),
        [](const auto& connection) { return !connection->closed(); }));
  }

  auto begin() const { return connections_.begin(); }
  auto end() const { return connections_.end(); }

 private:
  void DeleteClosed() {
    deletion_posted_ = false;
    std::erase_if(connections_,
                  [](const auto& connection) { return connection->closed(); });
  }

  std::vector<std::unique_ptr<Connection>> connections_;
  bool deletion_posted_ = false;
  WeakPtrFactory<ClosingConnectionList> weak_factory_{this};
};

}  // namespace net

#endif  // NET_TEST_CLOSING_CONNECTION_LIST_H_
