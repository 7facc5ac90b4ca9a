#include "net/event/tick_clock.h"

#include <chrono>

namespace net {

// static
const DefaultTickClock* DefaultTickClock::GetInstance() {
  static const DefaultTickClock instance;
  return &instance;
}

absl::Time DefaultTickClock::NowTicks() const {
  // steady_clock's epoch is arbitrary (boot time); mapping it onto the Unix
  // epoch keeps the values comparable and never jumps with the wall clock.
  return absl::UnixEpoch() +
         absl::FromChrono(std::chrono::steady_clock::now().time_since_epoch());
}

// Starts well away from zero so that "now - something" never underflows in
// tests.
TestTickClock::TestTickClock() : now_(absl::UnixEpoch() + absl::Hours(24)) {}

}  // namespace net
