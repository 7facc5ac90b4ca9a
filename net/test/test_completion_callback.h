#ifndef NET_TEST_TEST_COMPLETION_CALLBACK_H_
#define NET_TEST_TEST_COMPLETION_CALLBACK_H_

#include <memory>

#include "absl/time/time.h"
#include "net/base/completion_once_callback.h"

namespace net {

// Turns a completion-style call into a blocking one for tests, like Chromium's
// TestCompletionCallback: pass callback() to the operation, then GetResult(rv)
// returns rv if it completed synchronously or runs the current EventLoop until
// the callback ran. A safety timeout (real time) keeps a broken test from
// hanging: it then returns ERR_TIMED_OUT, which no assertion expecting a real
// result accepts. The callback may outlive this object (it then does nothing).
// Network thread only.
class TestCompletionCallback {
 public:
  static constexpr absl::Duration kSafetyTimeout = absl::Seconds(30);

  TestCompletionCallback();
  TestCompletionCallback(const TestCompletionCallback&) = delete;
  TestCompletionCallback& operator=(const TestCompletionCallback&) = delete;
  ~TestCompletionCallback();

  // A fresh callback; calling it again forgets any earlier result.
  CompletionOnceCallback callback();
  int WaitForResult();
  int GetResult(int result);
  bool have_result() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace net

#endif  // NET_TEST_TEST_COMPLETION_CALLBACK_H_
