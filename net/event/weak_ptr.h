#ifndef NET_EVENT_WEAK_PTR_H_
#define NET_EVENT_WEAK_PTR_H_

#include <memory>

namespace net {

// A single-thread weak reference, like Chromium's base::WeakPtr: it becomes
// null when the factory that made it is destroyed or invalidates its pointers.
// Used to bind posted tasks to objects that may be gone by the time the task
// runs.
template <typename T>
class WeakPtr {
 public:
  WeakPtr() = default;
  T* get() const { return alive_ && *alive_ ? ptr_ : nullptr; }
  T* operator->() const { return get(); }
  explicit operator bool() const { return get() != nullptr; }

 private:
  template <typename U>
  friend class WeakPtrFactory;
  WeakPtr(T* ptr, std::shared_ptr<bool> alive)
      : ptr_(ptr), alive_(std::move(alive)) {}

  T* ptr_ = nullptr;
  std::shared_ptr<bool> alive_;
};

template <typename T>
class WeakPtrFactory {
 public:
  explicit WeakPtrFactory(T* owner)
      : owner_(owner), alive_(std::make_shared<bool>(true)) {}
  WeakPtrFactory(const WeakPtrFactory&) = delete;
  WeakPtrFactory& operator=(const WeakPtrFactory&) = delete;
  ~WeakPtrFactory() { *alive_ = false; }

  WeakPtr<T> GetWeakPtr() { return WeakPtr<T>(owner_, alive_); }
  void InvalidateWeakPtrs() {
    *alive_ = false;
    alive_ = std::make_shared<bool>(true);
  }
  bool HasWeakPtrs() const { return alive_.use_count() > 1; }

 private:
  T* owner_;
  std::shared_ptr<bool> alive_;
};

}  // namespace net

#endif  // NET_EVENT_WEAK_PTR_H_
