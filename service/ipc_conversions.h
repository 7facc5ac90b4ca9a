#ifndef SERVICE_IPC_CONVERSIONS_H_
#define SERVICE_IPC_CONVERSIONS_H_

#include <cstddef>
#include <string>

#include "net/base/load_timing_info.h"
#include "preconnect/preconnect_manager.h"
#include "preconnect/preconnect_policy.h"
#include "preload/preload_observer.h"
#include "preload/preload_rules.h"
#include "privacy/cookie_settings.h"
#include "privacy/request_partition.h"
#include "proto/ipc.pb.h"
#include "service/network_context.h"
#include "service/url_loader.h"
#include "socket_pool/client_socket_handle.h"
#include "socket_pool/group_id.h"
#include "socket_pool/preconnect_outcome.h"

namespace prewarm {

// Mapping between the IPC messages (proto/ipc.proto) and the module's own
// types, one way only, for NetworkService (service side) and
// NetworkServiceClient (client side). The *FromIpc functions that validate
// return OK or a net error with *message naming the field at fault; the rest
// expect values that a *ToIpc function produced.

// Checks every field of `params` (enum values, limits > 0, cookie exception
// sites and kinds) and fills *out; the resolver rules, connect-to entries and
// DNS servers are checked by NetworkContext::Create.
int NetworkContextParamsFromIpc(const ipc::NetworkContextParams& params,
                                NetworkContextParams* out,
                                std::string* message);
// The C++ params as the service takes them; `cookie_settings` travels in its
// message form (CookieSettings cannot be read back). Timeouts are rounded to
// whole milliseconds; `net_log` is not sent.
ipc::NetworkContextParams NetworkContextParamsToIpc(
    const NetworkContextParams& params,
    const scenario::CookieSettings& cookie_settings);

int CookieSettingsFromIpc(const scenario::CookieSettings& settings,
                          CookieSettings* out,
                          std::string* message);

ipc::PreconnectPolicy PreconnectPolicyToIpc(PreconnectPolicy policy);
ipc::PreloadRules PreloadRulesToIpc(PreloadRuleSet rules);

// RequestMode is the service's own type (service/network_context.h), so its
// mapping lives here rather than in proto/scenario_conversions; the scenario
// replay and both ends of the IPC use it. A value that is not in the enum
// maps to kNoCors / NO_CORS.
RequestMode RequestModeFromScenario(scenario::RequestMode mode);
scenario::RequestMode RequestModeToScenario(RequestMode mode);

net::GroupId GroupIdFromIpc(const report::Group& group);

ipc::Partition PartitionToIpc(const RequestPartition& partition);
RequestPartition PartitionFromIpc(const ipc::Partition& partition);

ipc::LoadTiming LoadTimingToIpc(const net::LoadTimingInfo& timing);
net::LoadTimingInfo LoadTimingFromIpc(const ipc::LoadTiming& timing);

// The body is cut to `max_body_bytes` (body_truncated says so).
ipc::FetchResult FetchResultToIpc(const FetchResult& result,
                                  size_t max_body_bytes);
FetchResult FetchResultFromIpc(const ipc::FetchResult& result);

// An accepted preload's result; the client side completes the key from the
// request it sent (as, crossorigin and integrity do not travel back).
ipc::PreloadResult PreloadResultToIpc(const PreloadResult& result);
PreloadResult PreloadResultFromIpc(const ipc::PreloadResult& result,
                                   const PreloadRequest& request);
ipc::PreloadEvent PreloadEventToIpc(const PreloadEvent& event);

// For a hint that was not ignored.
ipc::PreconnectDecision PreconnectResultToIpc(const PreconnectResult& result);
PreconnectResult PreconnectResultFromIpc(
    const ipc::PreconnectDecision& decision);

ipc::PreconnectOutcome PreconnectOutcomeToIpc(net::PreconnectOutcome outcome);
net::PreconnectOutcome PreconnectOutcomeFromIpc(ipc::PreconnectOutcome outcome);

ipc::SocketHandedOut::ReuseType ReuseTypeToIpc(
    net::ClientSocketHandle::ReuseType reuse_type);
net::ClientSocketHandle::ReuseType ReuseTypeFromIpc(
    ipc::SocketHandedOut::ReuseType reuse_type);

}  // namespace prewarm

#endif  // SERVICE_IPC_CONVERSIONS_H_
