#ifndef NET_BASE_CHECK_H_
#define NET_BASE_CHECK_H_

// CHECK and DCHECK in Chromium's spirit. Debian's Abseil 20220623 has no
// absl/log, so these are the tree's own. CHECK is always on and aborts with the
// failed condition; DCHECK compiles away unless DCHECK_IS_ON_ (debug and
// sanitizer builds, and the default test build).

namespace net::internal {
[[noreturn]] void CheckFailed(const char* file,
                              int line,
                              const char* condition);
}  // namespace net::internal

#define CHECK(condition)                                            \
  do {                                                              \
    if (!(condition)) [[unlikely]]                                  \
      ::net::internal::CheckFailed(__FILE__, __LINE__, #condition); \
  } while (0)

#if DCHECK_IS_ON_
#define DCHECK(condition) CHECK(condition)
#else
#define DCHECK(condition) \
  do {                    \
    if (false)            \
      (void)(condition);  \
  } while (0)
#endif

#define NOTREACHED() \
  ::net::internal::CheckFailed(__FILE__, __LINE__, "NOTREACHED")

#endif  // NET_BASE_CHECK_H_
