#ifndef NET_EVENT_TICK_CLOCK_H_
#define NET_EVENT_TICK_CLOCK_H_

#include "absl/time/time.h"

namespace net {

// A source of monotonic time. Code in net/ and above asks the EventLoop's clock
// rather than the system, so tests can drive time (see TestTickClock /
// EventLoop::FastForwardBy).
class TickClock {
 public:
  virtual ~TickClock() = default;
  virtual absl::Time NowTicks() const = 0;
};

// The real monotonic clock (steady_clock), as an absl::Time on an arbitrary
// epoch.
class DefaultTickClock : public TickClock {
 public:
  static const DefaultTickClock* GetInstance();
  absl::Time NowTicks() const override;
};

// A clock that only moves when told to.
class TestTickClock : public TickClock {
 public:
  TestTickClock();
  absl::Time NowTicks() const override { return now_; }
  void Advance(absl::Duration delta) { now_ += delta; }
  void SetNowTicks(absl::Time now) { now_ = now; }

 private:
  absl::Time now_;
};

}  // namespace net

#endif  // NET_EVENT_TICK_CLOCK_H_
