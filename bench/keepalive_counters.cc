#include "bench/keepalive_counters.h"

#include <sys/resource.h>

namespace prewarm {

double CpuSeconds() {
  rusage usage = {};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

void SetKeepAliveCounters(benchmark::State& state,
                          double cpu_seconds,
                          double new_connections,
                          int requests_per_iteration) {
  const double requests =
      static_cast<double>(state.iterations()) * requests_per_iteration;
  state.counters["requests_per_s"] =
      benchmark::Counter(requests, benchmark::Counter::kIsRate);
  if (requests > 0)
    state.counters["cpu_us_per_request"] = cpu_seconds * 1e6 / requests;
  state.counters["new_connections"] = new_connections;
}

}  // namespace prewarm
