#include "shell/browser_session.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "net/base/net_errors.h"
#include "net/event/event_loop.h"
#include "net/log/file_net_log_observer.h"
#include "service/network_context.h"

namespace prewarm {

BrowserSession::Params::Params() = default;
BrowserSession::Params::Params(const Params&) = default;
BrowserSession::Params& BrowserSession::Params::operator=(const Params&) =
    default;
BrowserSession::Params::~Params() = default;

BrowserSession::BrowserSession() = default;

BrowserSession::~BrowserSession() {
  // The context logs while it shuts down; the file must be detached after.
  context_.reset();
  if (file_observer_)
    file_observer_->StopObserving();
}

std::unique_ptr<BrowserSession> BrowserSession::Create(const Params& params,
                                                       std::string* error) {
  std::unique_ptr<BrowserSession> session(new BrowserSession());
  if (!params.net_log_path.empty()) {
    std::string message;
    session->file_observer_ =
        net::FileNetLogObserver::Create(params.net_log_path, &message);
    if (!session->file_observer_) {
      *error = absl::StrCat("cannot write the NetLog to ", params.net_log_path,
                            ": ", message);
      return nullptr;
    }
    session->file_observer_->StartObserving(&session->net_log_);
  }
  NetworkContextParams context_params;
  context_params.preconnect_policy = params.policy;
  context_params.cookie_settings.set_block_third_party_cookies(
      params.block_third_party_cookies);
  context_params.connect_to = params.connect_to;
  context_params.trusted_root_certificates_pem =
      params.trusted_root_certificates_pem;
  context_params.net_log = &session->net_log_;
  int rv = net::OK;
  std::string message;
  session->context_ = NetworkContext::Create(context_params, &rv, &message);
  if (!session->context_) {
    *error = absl::StrCat("network service: ", net::ErrorToShortString(rv),
                          ": ", message);
    return nullptr;
  }
  return session;
}

bool BrowserSession::Load(const PageLoadOptions& options,
                          absl::Duration timeout,
                          PageLoadResult* result,
                          std::string* error) {
  net::RunLoop run_loop;
  bool done = false;
  PageLoader loader(context_.get());
  loader.Start(options, [&](PageLoadResult loaded) {
    *result = std::move(loaded);
    done = true;
    run_loop.Quit();
  });
  if (!run_loop.RunWithTimeout(timeout) || !done) {
    *error = absl::StrCat("the page load did not finish within ",
                          absl::FormatDuration(timeout));
    return false;
  }
  return true;
}

bool BrowserSession::FinishNetLog(std::string* error) {
  if (!file_observer_)
    return true;
  int rv = file_observer_->StopObserving();
  file_observer_.reset();
  if (rv != net::OK) {
    *error = absl::StrCat("writing the NetLog failed: ",
                          net::ErrorToShortString(rv));
    return false;
  }
  return true;
}

}  // namespace prewarm
