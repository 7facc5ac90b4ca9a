#include "net/base/check.h"

#include <cstdio>
#include <cstdlib>

namespace net::internal {

void CheckFailed(const char* file, int line, const char* condition) {
  std::fprintf(stderr, "%s:%d: Check failed: %s\n", file, line, condition);
  std::fflush(stderr);
  std::abort();
}

}  // namespace net::internal
