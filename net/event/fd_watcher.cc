#include "net/event/fd_watcher.h"

#include <event2/event.h>

#include <utility>

#include "net/base/check.h"
#include "net/event/event_loop.h"

namespace net {

namespace {

void Unregister(struct event* event, bool* registered) {
  if (*registered) {
    event_del(event);
    *registered = false;
  }
}

}  // namespace

FdWatcher::FdWatcher(int fd) : fd_(fd) {
  EventLoop* loop = EventLoop::Current();
  CHECK(loop);
  CHECK(fd >= 0);
  // Persistent events: re-arming a watch from its own callback must not
  // remove and re-add the fd to the epoll set (two epoll_ctl calls per
  // message on a busy IPC channel).
  read_event_ = event_new(loop->base(), fd, EV_READ | EV_PERSIST,
                          &FdWatcher::OnReadable, this);
  write_event_ = event_new(loop->base(), fd, EV_WRITE | EV_PERSIST,
                           &FdWatcher::OnWritable, this);
  CHECK(read_event_ && write_event_);
}

FdWatcher::~FdWatcher() {
  event_free(read_event_);
  event_free(write_event_);
}

void FdWatcher::WatchReadable(absl::AnyInvocable<void() &&> callback) {
  CHECK(callback);
  read_callback_ = std::move(callback);
  if (!read_registered_) {
    CHECK(event_add(read_event_, nullptr) == 0);
    read_registered_ = true;
  }
}

void FdWatcher::WatchWritable(absl::AnyInvocable<void() &&> callback) {
  CHECK(callback);
  write_callback_ = std::move(callback);
  if (!write_registered_) {
    CHECK(event_add(write_event_, nullptr) == 0);
    write_registered_ = true;
  }
}

// The registration stays until the fd next reports ready (or the watcher
// dies): a stop followed by a new watch in the same turn, as when a socket
// cancels and restarts a read, then costs no epoll_ctl.
void FdWatcher::StopWatchingReadable() {
  read_callback_ = nullptr;
}

void FdWatcher::StopWatchingWritable() {
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
  if (!watcher->read_callback_) {
    // The last watch was consumed or stopped and not renewed: drop the
    // registration instead of waking for an fd nobody reads.
    Unregister(watcher->read_event_, &watcher->read_registered_);
    return;
  }
  EventLoop::Current()->DidDispatchEvent();
  // Moved out first: the callback may re-arm or destroy the watcher.
  auto callback = std::move(watcher->read_callback_);
  watcher->read_callback_ = nullptr;
  std::move(callback)();
}

// static
void FdWatcher::OnWritable(int, short, void* self) {
  auto* watcher = static_cast<FdWatcher*>(self);
  if (!watcher->write_callback_) {
    Unregister(watcher->write_event_, &watcher->write_registered_);
    return;
  }
  EventLoop::Current()->DidDispatchEvent();
  auto callback = std::move(watcher->write_callback_);
  watcher->write_callback_ = nullptr;
  std::move(callback)();
}

}  // namespace net
