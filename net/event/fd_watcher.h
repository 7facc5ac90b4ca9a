#ifndef NET_EVENT_FD_WATCHER_H_
#define NET_EVENT_FD_WATCHER_H_

#include "absl/functional/any_invocable.h"

struct event;

namespace net {

// Watches one file descriptor for readability and/or writability on the current
// EventLoop. Each Watch* call arms a one-shot watch: the callback runs once,
// the next time the fd is ready, and must re-arm if it wants more. Destroying
// the watcher (or Stop*) cancels pending watches. The watcher does not own the
// fd, and must be destroyed before the fd is closed: libevent would otherwise
// take a new fd with the same number for one it already has in epoll.
//
// The one-shot contract sits on a persistent epoll registration: a callback
// that re-arms from inside itself (the usual read-until-EAGAIN pattern) costs
// no epoll_ctl. A registration nobody re-armed is dropped the next time the
// fd reports ready; so a consumed or stopped watch costs at most one extra
// wake-up, never a lost or repeated callback.
class FdWatcher {
 public:
  explicit FdWatcher(int fd);
  FdWatcher(const FdWatcher&) = delete;
  FdWatcher& operator=(const FdWatcher&) = delete;
  ~FdWatcher();

  int fd() const { return fd_; }
  void WatchReadable(absl::AnyInvocable<void() &&> callback);
  void WatchWritable(absl::AnyInvocable<void() &&> callback);
  void StopWatchingReadable();
  void StopWatchingWritable();
  bool is_watching_readable() const;
  bool is_watching_writable() const;

 private:
  static void OnReadable(int fd, short what, void* self);
  static void OnWritable(int fd, short what, void* self);

  const int fd_;
  struct event* read_event_ = nullptr;
  struct event* write_event_ = nullptr;
  absl::AnyInvocable<void() &&> read_callback_;
  absl::AnyInvocable<void() &&> write_callback_;
  // Whether each event is registered with the loop's epoll set.
  bool read_registered_ = false;
  bool write_registered_ = false;
};

}  // namespace net

#endif  // NET_EVENT_FD_WATCHER_H_
