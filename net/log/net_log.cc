#include "net/log/net_log.h"

#include <algorithm>

#include "net/base/check.h"
#include "net/event/event_loop.h"
#include "net/event/tick_clock.h"

namespace net {

NetLog::Observer::~Observer() {
  CHECK(net_log_ == nullptr);
}

NetLog::NetLog() = default;

NetLog::~NetLog() {
  CHECK(observers_.empty());
}

// static
NetLog* NetLog::Get() {
  // Leaked on purpose: sources may log during static destruction.
  static NetLog* const instance = new NetLog();
  return instance;
}

void NetLog::AddObserver(Observer* observer) {
  CHECK(observer->net_log_ == nullptr);
  CHECK(!dispatching_);
  observer->net_log_ = this;
  observers_.push_back(observer);
}

void NetLog::RemoveObserver(Observer* observer) {
  CHECK(observer->net_log_ == this);
  CHECK(!dispatching_);
  auto it = std::find(observers_.begin(), observers_.end(), observer);
  CHECK(it != observers_.end());
  observers_.erase(it);
  observer->net_log_ = nullptr;
}

// static
absl::Time NetLog::NowTicks() {
  if (EventLoop* loop = EventLoop::Current())
    return loop->NowTicks();
  return DefaultTickClock::GetInstance()->NowTicks();
}

uint32_t NetLog::NextID() {
  return last_id_.fetch_add(1, std::memory_order_relaxed) + 1;
}

void NetLog::AddEntry(NetLogEventType type,
                      const NetLogSource& source,
                      NetLogEventPhase phase) {
  if (!IsCapturing())
    return;
  Dispatch(
      NetLogEntry(type, source, phase, NowTicks(), google::protobuf::Struct()));
}

void NetLog::AddEntry(
    NetLogEventType type,
    const NetLogSource& source,
    NetLogEventPhase phase,
    absl::FunctionRef<google::protobuf::Struct()> get_params) {
  if (!IsCapturing())
    return;
  Dispatch(NetLogEntry(type, source, phase, NowTicks(), get_params()));
}

void NetLog::Dispatch(const NetLogEntry& entry) {
  CHECK(!dispatching_);
  dispatching_ = true;
  for (Observer* observer : observers_)
    observer->OnAddEntry(entry);
  dispatching_ = false;
}

}  // namespace net
