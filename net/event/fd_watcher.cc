#include "net/event/fd_watcher.h"

#include <event2/event.h>

#include <utility>

#include "net/base/check.h"
#include "net/event/event_loop.h"

namespace net {

FdWatcher::FdWatcher(int fd) : fd_(fd) {
  EventLoop* loop = EventLoop::Current();
  CHECK(loop);
  CHECK(fd >= 0);
  // One-shot events (no EV_PERSIST): each Watch* arms exactly one callback.
  read_event_ =
      event_new(loop->base(), fd, EV_READ, &FdWatcher::OnReadable, this);
  write_event_ =
      event_new(loop->base(), fd, EV_WRITE, &FdWatcher::OnWritable, this);
  CHECK(read_event_ && write_event_);
}

FdWatcher::~FdWatcher() {
  event_free(read_event_);
  event_free(write_event_);
}

void FdWatcher::WatchReadable(absl::AnyInvocable<void() &&> callback) {
  CHECK(callback);
  read_callback_ = std::move(callback);
  CHECK(event_add(read_event_, nullptr) == 0);
}

void FdWatcher::WatchWritable(absl::AnyInvocable<void() &&> callback) {
  CHECK(callback);
  write_callback_ = std::move(callback);
  CHECK(event_add(write_event_, nullptr) == 0);
}

void FdWatcher::StopWatchingReadable() {
  event_del(read_event_);
  read_callback_ = nullptr;
}

void FdWatcher::StopWatchingWritable() {
  event_del(write_event_);
  write_callback_ = nullptr;
}

bool FdWatcher::is_watching_readable() const {
  return static_cast<bool>(read_callback_);
}

bool FdWatcher::is_watching_writable() const {
  return static_cast<bool>(write_callback_);
}

// static
void FdWatcher::OnReadable(int, short, void* self) {
  auto* watcher = static_cast<FdWatcher*>(self);
  EventLoop::Current()->DidDispatchEvent();
  // Moved out first: the callback may re-arm or destroy the watcher.
  auto callback = std::move(watcher->read_callback_);
  watcher->read_callback_ = nullptr;
  if (callback)
    std::move(callback)();
}

// static
void FdWatcher::OnWritable(int, short, void* self) {
  auto* watcher = static_cast<FdWatcher*>(self);
  EventLoop::Current()->DidDispatchEvent();
  auto callback = std::move(watcher->write_callback_);
  watcher->write_callback_ = nullptr;
  if (callback)
    std::move(callback)();
}

}  // namespace net
