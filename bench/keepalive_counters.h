#ifndef BENCH_KEEPALIVE_COUNTERS_H_
#define BENCH_KEEPALIVE_COUNTERS_H_

#include "benchmark/benchmark.h"

namespace prewarm {

// The measurement both sides of the keep-alive comparison make
// (BM_PrewarmKeepAliveGet in connection_bench, BM_CurlKeepAliveGet in
// curl_keepalive_bench), so tools/run_benchmarks.py compares like with like.
// Nothing here links BoringSSL or OpenSSL: both binaries can use it.

// The CPU time (user + system) this process has used so far, in seconds.
double CpuSeconds();

// Sets the counters run_benchmarks.py compares: requests_per_s (iterations per
// second of real time), cpu_us_per_request (`cpu_seconds`, the CPU time of the
// measured loop, per iteration; left out without iterations) and
// new_connections.
// An iteration may carry several requests (`requests_per_iteration`, e.g.
// 100 multiplexed HTTP/2 GETs); the counters are per request.
void SetKeepAliveCounters(benchmark::State& state,
                          double cpu_seconds,
                          double new_connections,
                          int requests_per_iteration = 1);

}  // namespace prewarm

#endif  // BENCH_KEEPALIVE_COUNTERS_H_
