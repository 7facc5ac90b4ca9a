#include "host/browser_session.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/log/file_net_log_observer.h"
#include "net/log/net_log_entry.h"
#include "service/ipc_conversions.h"
#include "service/local_network_context.h"
#include "service/network_context.h"
#include "service/network_service_client.h"
#include "service/remote_network_context.h"

namespace prewarm {

namespace {

// Setting up a context over IPC is a few round trips on loopback.
constexpr absl::Duration kSetupTimeout = absl::Seconds(10);

// The context's params that both kinds of context take as they are.
NetworkContextParams ContextParams(const BrowserSession::Params& params) {
  NetworkContextParams context_params;
  context_params.preconnect_policy = params.policy;
  context_params.host_resolver_rules = params.host_resolver_rules;
  context_params.connect_to = params.connect_to;
  context_params.trusted_root_certificates_pem =
      params.trusted_root_certificates_pem;
  context_params.additional_trust_anchors_pem =
      params.additional_trust_anchors_pem;
  context_params.ignore_certificate_errors_spki_list =
      params.ignore_certificate_errors_spki_list;
  return context_params;
}

}  // namespace

// Hands the in-process NetLog's entries to the session.
class BrowserSession::LocalNetLogForwarder : public net::NetLog::Observer {
 public:
  LocalNetLogForwarder(net::NetLog* net_log, BrowserSession* session)
      : session_(session) {
    net_log->AddObserver(this);
  }
  ~LocalNetLogForwarder() override { net_log()->RemoveObserver(this); }

  void OnAddEntry(const net::NetLogEntry& entry) override {
    session_->OnNetLogEntry(entry.ToStruct());
  }

 private:
  BrowserSession* const session_;
};

BrowserSession::Params::Params() = default;
BrowserSession::Params::Params(const Params&) = default;
BrowserSession::Params& BrowserSession::Params::operator=(const Params&) =
    default;
BrowserSession::Params::~Params() = default;

BrowserSession::BrowserSession(PreconnectPolicy policy) : policy_(policy) {}

BrowserSession::~BrowserSession() {
  // The context logs while it shuts down; the observers detach after.
  context_.reset();
  forwarder_.reset();
  std::string ignored;
  FinishNetLog(&ignored);
}

std::unique_ptr<BrowserSession> BrowserSession::Create(
    const Params& params,
    NetworkServiceClient* service,
    std::string* error) {
  std::unique_ptr<BrowserSession> session(new BrowserSession(params.policy));
  bool created = service ? session->CreateRemote(params, service, error)
                         : session->CreateLocal(params, error);
  return created ? std::move(session) : nullptr;
}

bool BrowserSession::CreateLocal(const Params& params, std::string* error) {
  if (!params.net_log_path.empty()) {
    std::string message;
    file_observer_ =
        net::FileNetLogObserver::Create(params.net_log_path, &message);
    if (!file_observer_) {
      *error = absl::StrCat("cannot write the NetLog to ", params.net_log_path,
                            ": ", message);
      return false;
    }
    file_observer_->StartObserving(&net_log_);
  }
  forwarder_ = std::make_unique<LocalNetLogForwarder>(&net_log_, this);
  NetworkContextParams context_params = ContextParams(params);
  context_params.cookie_settings.set_block_third_party_cookies(
      params.block_third_party_cookies);
  context_params.net_log = &net_log_;
  int rv = net::OK;
  std::string message;
  std::unique_ptr<NetworkContext> context =
      NetworkContext::Create(context_params, &rv, &message);
  if (!context) {
    *error = absl::StrCat("network context: ", net::ErrorToShortString(rv),
                          ": ", message);
    return false;
  }
  local_context_ = context.get();
  context_ = std::make_unique<LocalNetworkContext>(std::move(context));
  return true;
}

bool BrowserSession::CreateRemote(const Params& params,
                                  NetworkServiceClient* service,
                                  std::string* error) {
  if (!params.net_log_path.empty()) {
    std::string message;
    file_observer_ =
        net::FileNetLogObserver::Create(params.net_log_path, &message);
    if (!file_observer_) {
      *error = absl::StrCat("cannot write the NetLog to ", params.net_log_path,
                            ": ", message);
      return false;
    }
    file_observer_->StartForSerializedEntries();
  }
  NetworkContextParams context_params = ContextParams(params);
  scenario::CookieSettings cookies;
  cookies.set_block_third_party_cookies(params.block_third_party_cookies);

  net::RunLoop created_loop;
  int rv = net::ERR_IO_PENDING;
  std::string message;
  std::unique_ptr<RemoteNetworkContext> remote;
  service->CreateNetworkContext(
      NetworkContextParamsToIpc(context_params, cookies),
      [&](int result, const std::string& text,
          std::unique_ptr<RemoteNetworkContext> context) {
        rv = result;
        message = text;
        remote = std::move(context);
        created_loop.Quit();
      });
  if (!created_loop.RunWithTimeout(kSetupTimeout) || !remote) {
    *error = absl::StrCat(
        "network service: ",
        rv == net::ERR_IO_PENDING ? "no answer" : net::ErrorToShortString(rv),
        message.empty() ? "" : ": ", message);
    return false;
  }
  remote_context_ = remote.get();
  context_ = std::move(remote);

  net::RunLoop subscribed_loop;
  rv = net::ERR_IO_PENDING;
  remote_context_->SubscribeNetLog(
      [this](const std::string& json) { OnRemoteNetLogEntry(json); },
      [&](int result) {
        rv = result;
        subscribed_loop.Quit();
      });
  if (!subscribed_loop.RunWithTimeout(kSetupTimeout) || rv != net::OK) {
    *error = absl::StrCat("network service: cannot subscribe to the NetLog: ",
                          net::ErrorToShortString(rv));
    return false;
  }
  return true;
}

void BrowserSession::OnNetLogEntry(const google::protobuf::Struct& entry) {
  if (loader_)
    loader_->OnNetLogEntry(entry);
}

void BrowserSession::OnRemoteNetLogEntry(const std::string& json) {
  if (file_observer_)
    file_observer_->AddSerializedEntry(json);
  if (!loader_)
    return;
  google::protobuf::Struct entry;
  if (google::protobuf::util::JsonStringToMessage(json, &entry).ok())
    OnNetLogEntry(entry);
}

bool BrowserSession::Load(const PageLoadOptions& options,
                          absl::Duration timeout,
                          PageLoadResult* result,
                          std::string* error) {
  net::RunLoop run_loop;
  bool done = false;
  PageLoader loader(context_.get(), policy_);
  loader_ = &loader;
  loader.Start(options, [&](PageLoadResult loaded) {
    *result = std::move(loaded);
    done = true;
    run_loop.Quit();
  });
  const bool finished = run_loop.RunWithTimeout(timeout) && done;
  loader_ = nullptr;
  if (!finished) {
    *error = absl::StrCat("the page load did not finish within ",
                          absl::FormatDuration(timeout));
    return false;
  }
  return true;
}

bool BrowserSession::ClosePage(std::string_view document_id,
                               std::string* error) {
  net::RunLoop run_loop;
  int pending = 2;
  int failure = net::OK;
  auto one_done = [&](int result) {
    if (result != net::OK)
      failure = result;
    if (--pending == 0)
      run_loop.Quit();
  };
  context_->RemoveDocument(document_id,
                           [&](const DocumentRegistry::Result& removed) {
                             one_done(removed.ok() ? net::OK : removed.error);
                           });
  if (remote_context_) {
    remote_context_->CloseIdleSockets(one_done);
  } else {
    // In process the call is synchronous; the loop still runs for the
    // document's reply.
    local_context_->CloseIdleSockets();
    one_done(net::OK);
  }
  if (!run_loop.RunWithTimeout(kSetupTimeout) || failure != net::OK) {
    *error = absl::StrCat("closing the page failed: ",
                          net::ErrorToShortString(failure));
    return false;
  }
  return true;
}

bool BrowserSession::FinishNetLog(std::string* error) {
  if (file_observer_) {
    int rv = file_observer_->StopObserving();
    file_observer_.reset();
    if (rv != net::OK) {
      *error = absl::StrCat("writing the NetLog failed: ",
                            net::ErrorToShortString(rv));
      return false;
    }
  }
  return true;
}

}  // namespace prewarm
