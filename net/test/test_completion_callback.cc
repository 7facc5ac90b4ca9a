#include "net/test/test_completion_callback.h"

#include "net/base/net_errors.h"
#include "net/event/event_loop.h"

namespace net {

struct TestCompletionCallback::State {
  bool have_result = false;
  int result = 0;
  RunLoop* waiting = nullptr;
};

TestCompletionCallback::TestCompletionCallback()
    : state_(std::make_shared<State>()) {}

TestCompletionCallback::~TestCompletionCallback() {
  state_->waiting = nullptr;
}

CompletionOnceCallback TestCompletionCallback::callback() {
  state_->have_result = false;
  return [state = state_](int result) {
    state->have_result = true;
    state->result = result;
    if (state->waiting)
      state->waiting->Quit();
  };
}

int TestCompletionCallback::WaitForResult() {
  if (!state_->have_result) {
    RunLoop run_loop;
    state_->waiting = &run_loop;
    run_loop.RunWithTimeout(kSafetyTimeout);
    state_->waiting = nullptr;
    if (!state_->have_result)
      return ERR_TIMED_OUT;
  }
  state_->have_result = false;
  return state_->result;
}

int TestCompletionCallback::GetResult(int result) {
  if (result != ERR_IO_PENDING)
    return result;
  return WaitForResult();
}

bool TestCompletionCallback::have_result() const {
  return state_->have_result;
}

}  // namespace net
