#ifndef HOST_BROWSER_SESSION_H_
#define HOST_BROWSER_SESSION_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"
#include "host/page_loader.h"
#include "net/log/net_log.h"
#include "preconnect/preconnect_policy.h"

namespace net {
class FileNetLogObserver;
}

namespace prewarm {

class NetworkContext;
class NetworkContextInterface;
class NetworkServiceClient;
class RemoteNetworkContext;

// One browsing profile of the browser-like host: a network context - in the
// network service behind IPC when given a NetworkServiceClient, otherwise an
// in-process NetworkContext - and its NetLog, optionally written to a JSON
// file in Chrome's NetLog format (FileNetLogObserver's, either way). Loads
// run one at a time on the current EventLoop, which must outlive the
// session; so must the client. Network thread only.
class BrowserSession {
 public:
  struct Params {
    Params();
    Params(const Params&);
    Params& operator=(const Params&);
    ~Params();

    PreconnectPolicy policy = PreconnectPolicy::kPrewarm;
    bool block_third_party_cookies = false;
    // Passed to the context's params (NetworkContextParams says what each
    // means).
    std::string host_resolver_rules;
    std::string connect_to;
    std::string trusted_root_certificates_pem;
    std::string additional_trust_anchors_pem;
    std::string ignore_certificate_errors_spki_list;
    // When non-empty, the NetLog is written there as JSON.
    std::string net_log_path;
  };

  // `service` null: an in-process context. Null with *error set when the
  // NetLog file cannot be created or the context cannot be made.
  static std::unique_ptr<BrowserSession> Create(const Params& params,
                                                NetworkServiceClient* service,
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

  // The tab is closed and time passes: removes the main-frame document (and
  // its frames) and closes every idle socket; the profile keeps what it
  // learned. Runs the loop until the context did both.
  bool ClosePage(std::string_view document_id, std::string* error);

  // Closes the NetLog file, completing its JSON document. False with *error
  // when a write failed. Later entries are not written.
  bool FinishNetLog(std::string* error);

 private:
  class LocalNetLogForwarder;

  explicit BrowserSession(PreconnectPolicy policy);

  bool CreateLocal(const Params& params, std::string* error);
  bool CreateRemote(const Params& params,
                    NetworkServiceClient* service,
                    std::string* error);
  void OnNetLogEntry(const google::protobuf::Struct& entry);
  void OnRemoteNetLogEntry(const std::string& json);

  const PreconnectPolicy policy_;
  // In-process: the context logs here; the file observer and the forwarder
  // to the running loader watch it.
  net::NetLog net_log_;
  std::unique_ptr<net::FileNetLogObserver> file_observer_;
  std::unique_ptr<LocalNetLogForwarder> forwarder_;
  // Behind IPC: entries arrive as JSON and are written here.

  std::unique_ptr<NetworkContextInterface> context_;
  NetworkContext* local_context_ = nullptr;
  RemoteNetworkContext* remote_context_ = nullptr;
  // The load in progress, if any.
  PageLoader* loader_ = nullptr;
};

}  // namespace prewarm

#endif  // HOST_BROWSER_SESSION_H_
