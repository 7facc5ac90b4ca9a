#ifndef SHELL_BROWSER_SESSION_H_
#define SHELL_BROWSER_SESSION_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "net/log/net_log.h"
#include "preconnect/preconnect_policy.h"
#include "shell/page_loader.h"

namespace net {
class FileNetLogObserver;
}

namespace prewarm {

class NetworkContext;

// One browsing profile of the browser-like host: its NetLog (optionally
// streamed to a JSON file) and its network service. The network service is
// the in-process NetworkContext. Loads run one at a time on the current
// EventLoop, which must outlive the session. Network thread only.
class BrowserSession {
 public:
  struct Params {
    Params();
    Params(const Params&);
    Params& operator=(const Params&);
    ~Params();

    PreconnectPolicy policy = PreconnectPolicy::kPrewarm;
    bool block_third_party_cookies = false;
    // Passed to NetworkContextParams.
    std::string connect_to;
    std::string trusted_root_certificates_pem;
    // When non-empty, the NetLog is written there as JSON.
    std::string net_log_path;
  };

  // Null with *error set when the NetLog file cannot be created or the
  // network context refuses the params.
  static std::unique_ptr<BrowserSession> Create(const Params& params,
                                                std::string* error);

  BrowserSession(const BrowserSession&) = delete;
  BrowserSession& operator=(const BrowserSession&) = delete;
  ~BrowserSession();

  // Runs the current EventLoop until the load finished (true, *result set)
  // or `timeout` of real time passed (false, *error says so; whatever was
  // in flight is cancelled).
  bool Load(const PageLoadOptions& options,
            absl::Duration timeout,
            PageLoadResult* result,
            std::string* error);

  NetworkContext* context() { return context_.get(); }

  // Closes the NetLog file, completing its JSON document. False with *error
  // when a write failed. Loads are still possible afterwards (not logged).
  bool FinishNetLog(std::string* error);

 private:
  BrowserSession();

  net::NetLog net_log_;
  std::unique_ptr<net::FileNetLogObserver> file_observer_;
  std::unique_ptr<NetworkContext> context_;
};

}  // namespace prewarm

#endif  // SHELL_BROWSER_SESSION_H_
