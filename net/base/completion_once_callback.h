#ifndef NET_BASE_COMPLETION_ONCE_CALLBACK_H_
#define NET_BASE_COMPLETION_ONCE_CALLBACK_H_

#include <utility>

#include "absl/functional/any_invocable.h"

namespace net {

// Chromium's completion style: an operation that returns ERR_IO_PENDING later
// runs this callback exactly once with the result (OK, a byte count, or a net
// error). An operation that completes synchronously returns its result and
// never runs the callback.
using CompletionOnceCallback = absl::AnyInvocable<void(int) &&>;

// Runs the completion callback an object keeps in a member, `stored`, after
// moving it to a local and emptying the member: the callee may start the next
// operation (storing a new callback in the same member) or destroy the owner,
// member included. So the owner must not touch itself after this call unless it
// knows it is still alive. `stored` must hold a callback.
inline void RunStoredCallback(CompletionOnceCallback& stored, int result) {
  CompletionOnceCallback callback = std::move(stored);
  // A moved-from AnyInvocable is not guaranteed to be empty.
  stored = nullptr;
  std::move(callback)(result);
}

// A task posted to the network thread.
using OnceClosure = absl::AnyInvocable<void() &&>;

}  // namespace net

#endif  // NET_BASE_COMPLETION_ONCE_CALLBACK_H_
