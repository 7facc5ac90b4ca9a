// The libcurl side of the keep-alive comparisons: HTTP/1.1 GETs over one TLS
// connection, and 100 multiplexed HTTP/2 GETs over one connection, to the
// nginx that tools/run_benchmarks.py started, with the same requests as
// connection_bench. A separate binary on purpose:
// Debian's libcurl links OpenSSL 3, which must never share a process with
// BoringSSL.
//
//   curl_keepalive_bench --nginx_url=https://127.0.0.1:PORT/ --ca_file=PATH
//   [benchmark flags]

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "bench/keepalive_counters.h"
#include "benchmark/benchmark.h"
#include "curl/curl.h"

namespace {

std::string g_url;
std::string g_ca_file;

size_t CountBody(char* data, size_t size, size_t count, void* user_data) {
  *static_cast<size_t*>(user_data) += size * count;
  return size * count;
}

void BM_CurlKeepAliveGet(benchmark::State& state) {
  CURL* curl = curl_easy_init();
  if (!curl) {
    state.SkipWithError("curl_easy_init failed");
    return;
  }
  size_t body_bytes = 0;
  curl_easy_setopt(curl, CURLOPT_URL, g_url.c_str());
  curl_easy_setopt(curl, CURLOPT_CAINFO, g_ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &CountBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body_bytes);
  curl_easy_setopt(curl, CURLOPT_MAXCONNECTS, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);

  // The connection (TCP + TLS) is made outside the measured loop: only
  // keep-alive requests are timed, as in the prewarm benchmark.
  CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    state.SkipWithError(curl_easy_strerror(code));
    curl_easy_cleanup(curl);
    return;
  }
  long connects_before = 0;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects_before);

  double cpu_start = prewarm::CpuSeconds();
  long new_connections = 0;
  for (auto _ : state) {
    code = curl_easy_perform(curl);
    long status = 0;
    long connects = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
    new_connections += connects;
    if (code != CURLE_OK || status != 200) {
      state.SkipWithError(code != CURLE_OK ? curl_easy_strerror(code)
                                           : "status is not 200");
      break;
    }
  }
  // new_connections should be 0: every request reused the first connection.
  prewarm::SetKeepAliveCounters(state, prewarm::CpuSeconds() - cpu_start,
                                static_cast<double>(new_connections));
  curl_easy_cleanup(curl);
}
BENCHMARK(BM_CurlKeepAliveGet)->UseRealTime()->Unit(benchmark::kMicrosecond);

constexpr int kMultiplexedGets = 100;

// libcurl's HTTP/2: a multi handle that multiplexes (CURLPIPE_MULTIPLEX) over
// at most one connection to the host; each iteration adds 100 easy handles
// for the same URL and runs them to completion, as
// BM_PrewarmHttp2MultiplexedGets does with 100 streams.
void BM_CurlHttp2MultiplexedGets(benchmark::State& state) {
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
  std::vector<CURL*> easies(kMultiplexedGets);
  size_t body_bytes = 0;
  for (CURL*& curl : easies) {
    curl = curl_easy_init();
    curl_easy_setopt(curl, CURLOPT_URL, g_url.c_str());
    curl_easy_setopt(curl, CURLOPT_CAINFO, g_ca_file.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(curl, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &CountBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body_bytes);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  }
  // One round: every handle added, the multi handle run until all are done.
  // Returns "" or what failed.
  auto round = [&]() -> std::string {
    for (CURL* curl : easies)
      curl_multi_add_handle(multi, curl);
    int running = 0;
    do {
      CURLMcode mc = curl_multi_perform(multi, &running);
      if (mc != CURLM_OK)
        return curl_multi_strerror(mc);
      if (running > 0)
        curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    } while (running > 0);
    std::string error;
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg == CURLMSG_DONE && msg->data.result != CURLE_OK)
        error = curl_easy_strerror(msg->data.result);
    }
    for (CURL* curl : easies) {
      long status = 0;
      long version = 0;
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
      curl_easy_getinfo(curl, CURLINFO_HTTP_VERSION, &version);
      if (error.empty() && status != 200)
        error = "status is not 200";
      if (error.empty() && version != CURL_HTTP_VERSION_2_0)
        error = "not HTTP/2";
      curl_multi_remove_handle(multi, curl);
    }
    return error;
  };
  // The connection (TCP + TLS + SETTINGS) is made outside the measured loop.
  std::string error = round();
  double cpu_start = prewarm::CpuSeconds();
  long new_connections = 0;
  if (error.empty()) {
    for (auto _ : state) {
      error = round();
      for (CURL* curl : easies) {
        long connects = 0;
        curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &connects);
        new_connections += connects;
      }
      if (!error.empty())
        break;
    }
  }
  if (!error.empty())
    state.SkipWithError(error.c_str());
  // new_connections should be 0: every stream went over the first connection.
  prewarm::SetKeepAliveCounters(state, prewarm::CpuSeconds() - cpu_start,
                                static_cast<double>(new_connections),
                                kMultiplexedGets);
  for (CURL* curl : easies)
    curl_easy_cleanup(curl);
  curl_multi_cleanup(multi);
}
BENCHMARK(BM_CurlHttp2MultiplexedGets)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> remaining;
  for (int i = 0; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.substr(0, 12) == "--nginx_url=")
      g_url = std::string(arg.substr(12));
    else if (arg.substr(0, 10) == "--ca_file=")
      g_ca_file = std::string(arg.substr(10));
    else
      remaining.push_back(argv[i]);
  }
  if (g_url.empty() || g_ca_file.empty()) {
    std::fprintf(stderr,
                 "usage: %s --nginx_url=https://127.0.0.1:PORT/ --ca_file=PATH "
                 "[benchmark flags]\n"
                 "(tools/run_benchmarks.py starts nginx and passes these)\n",
                 argv[0]);
    return 2;
  }
  int remaining_argc = static_cast<int>(remaining.size());
  benchmark::Initialize(&remaining_argc, remaining.data());
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    std::fprintf(stderr, "curl_global_init failed\n");
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  curl_global_cleanup();
  return 0;
}
