#ifndef NET_BASE_COMPLETION_ONCE_CALLBACK_H_
#define NET_BASE_COMPLETION_ONCE_CALLBACK_H_

#include "absl/functional/any_invocable.h"

namespace net {

// Chromium's completion style: an operation that returns ERR_IO_PENDING later runs this
// callback exactly once with the result (OK, a byte count, or a net error). An operation
// that completes synchronously returns its result and never runs the callback.
using CompletionOnceCallback = absl::AnyInvocable<void(int) &&>;

// A task posted to the network thread.
using OnceClosure = absl::AnyInvocable<void() &&>;

}  // namespace net

#endif  // NET_BASE_COMPLETION_ONCE_CALLBACK_H_
