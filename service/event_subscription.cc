#include "service/event_subscription.h"

#include "net/log/net_log_entry.h"
#include "proto/ipc.pb.h"
#include "proto/scenario_conversions.h"
#include "service/ipc_connection.h"
#include "service/ipc_conversions.h"
#include "service/network_context.h"

namespace prewarm {

EventSubscription::EventSubscription(Kind kind,
                                     uint32_t request_id,
                                     NetworkContext* context,
                                     IpcConnection* connection)
    : kind_(kind),
      request_id_(request_id),
      context_(context),
      connection_(connection) {
  if (kind_ == Kind::kPoolEvents) {
    context_->AddSocketPoolObserver(this);
    context_->AddPreloadObserver(this);
  } else
    context_->net_log()->AddObserver(this);
}

EventSubscription::~EventSubscription() {
  if (kind_ == Kind::kPoolEvents) {
    context_->RemoveSocketPoolObserver(this);
    context_->RemovePreloadObserver(this);
  } else
    context_->net_log()->RemoveObserver(this);
}

void EventSubscription::OnPreconnectSocketOutcome(
    uint64_t preconnect_id,
    const net::GroupId& group_id,
    net::PreconnectOutcome outcome,
    int error) {
  ipc::ServiceMessage message;
  message.set_request_id(request_id_);
  ipc::PreconnectSocketOutcome* event =
      message.mutable_event()->mutable_preconnect_outcome();
  event->set_preconnect_id(preconnect_id);
  *event->mutable_group() = ReportGroupForGroupId(group_id);
  event->set_outcome(PreconnectOutcomeToIpc(outcome));
  event->set_error(error);
  connection_->Send(message);
}

void EventSubscription::OnPreloadEvent(const PreloadEvent& event) {
  ipc::ServiceMessage message;
  message.set_request_id(request_id_);
  *message.mutable_event()->mutable_preload() = PreloadEventToIpc(event);
  connection_->Send(message);
}

void EventSubscription::OnSocketHandedOut(
    const net::GroupId& group_id,
    net::ClientSocketHandle::ReuseType reuse_type,
    uint64_t preconnect_id) {
  ipc::ServiceMessage message;
  message.set_request_id(request_id_);
  ipc::SocketHandedOut* event =
      message.mutable_event()->mutable_socket_handed_out();
  *event->mutable_group() = ReportGroupForGroupId(group_id);
  event->set_reuse_type(ReuseTypeToIpc(reuse_type));
  event->set_preconnect_id(preconnect_id);
  connection_->Send(message);
}

void EventSubscription::OnPreconnectSocketStranded(
    uint64_t preconnect_id,
    const net::GroupId& preconnect_group_id,
    const net::GroupId& request_group_id,
    const net::GroupId::KeyDifference& difference) {
  ipc::ServiceMessage message;
  message.set_request_id(request_id_);
  ipc::PreconnectSocketStranded* event =
      message.mutable_event()->mutable_preconnect_stranded();
  event->set_preconnect_id(preconnect_id);
  *event->mutable_preconnect_group() =
      ReportGroupForGroupId(preconnect_group_id);
  *event->mutable_request_group() = ReportGroupForGroupId(request_group_id);
  event->set_privacy_mode_differs(difference.privacy_mode);
  event->set_top_frame_site_differs(difference.top_frame_site);
  event->set_is_cross_site_differs(difference.is_cross_site);
  connection_->Send(message);
}

void EventSubscription::OnPreconnectSocketLateBound(
    uint64_t preconnect_id,
    const net::GroupId& preconnect_group_id,
    const net::GroupId& bound_group_id) {
  ipc::ServiceMessage message;
  message.set_request_id(request_id_);
  ipc::PreconnectSocketLateBound* event =
      message.mutable_event()->mutable_preconnect_late_bound();
  event->set_preconnect_id(preconnect_id);
  *event->mutable_preconnect_group() =
      ReportGroupForGroupId(preconnect_group_id);
  *event->mutable_bound_group() = ReportGroupForGroupId(bound_group_id);
  connection_->Send(message);
}

void EventSubscription::OnAddEntry(const net::NetLogEntry& entry) {
  ipc::ServiceMessage message;
  message.set_request_id(request_id_);
  message.mutable_event()->set_net_log_entry(entry.ToJson());
  connection_->Send(message);
}

}  // namespace prewarm
