#ifndef FUZZ_FUZZ_CHECK_H_
#define FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

// FUZZ_CHECK(condition, format, ...): an invariant of a fuzz target. When it
// fails, the message goes to stderr and the process aborts, which libFuzzer
// reports as a crash and saves the input for. Active in every build,
// unlike DCHECK.
#define FUZZ_CHECK(condition, ...)                                    \
  do {                                                                \
    if (!(condition)) {                                               \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, \
                   __LINE__, #condition);                             \
      std::fprintf(stderr, __VA_ARGS__);                              \
      std::fprintf(stderr, "\n");                                     \
      std::abort();                                                   \
    }                                                                 \
  } while (0)

#endif  // FUZZ_FUZZ_CHECK_H_
