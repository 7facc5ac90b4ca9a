#ifndef PROTO_SCENARIO_CONVERSIONS_H_
#define PROTO_SCENARIO_CONVERSIONS_H_

#include "net/base/privacy_mode.h"
#include "net/base/url.h"
#include "preconnect/preconnect_request.h"
#include "preload/preload_request.h"
#include "privacy/cookie_settings.h"
#include "privacy/credentials_mode.h"
#include "privacy/request_partition.h"
#include "proto/report.pb.h"
#include "proto/scenario.pb.h"
#include "socket_pool/group_id.h"

namespace prewarm {

// Conversions between the scenario/report messages and the module's own
// types, so the replay and the tests map them one way only. Inputs are
// expected to have passed ScenarioLoader's validation (an exception's site is
// an http(s) URL; enum values are known).

CookieSettings CookieSettingsFromScenario(
    const scenario::CookieSettings& settings);

// The hint as the embedder would pass it (the URL unchecked).
PreconnectRequest PreconnectRequestFromScenario(
    const scenario::Preconnect& preconnect);

// The preload tag as the embedder would pass it (URL and `as` unchecked).
PreloadRequest PreloadRequestFromScenario(const scenario::Preload& preload);

// Author headers in order.
AuthorHeaders AuthorHeadersFromScenario(
    const google::protobuf::RepeatedPtrField<scenario::Header>& headers);

// The enums, one function per direction, for the replay, the IPC service and
// the IPC client. A value that is not in the enum maps to the zero value of
// the other side (kAbsent, kUnknown, kSameOrigin; CROSSORIGIN_ABSENT,
// PURPOSE_UNKNOWN, CREDENTIALS_SAME_ORIGIN).

CrossOriginAttribute CrossOriginFromScenario(scenario::CrossOrigin crossorigin);
scenario::CrossOrigin CrossOriginToScenario(CrossOriginAttribute crossorigin);

PreconnectPurpose PurposeFromScenario(scenario::Purpose purpose);
// The scenario/report spelling of a preconnect's purpose (PURPOSE_UNKNOWN for
// kUnknown).
scenario::Purpose PurposeToScenario(PreconnectPurpose purpose);

CredentialsMode CredentialsModeFromScenario(scenario::CredentialsMode mode);
scenario::CredentialsMode CredentialsModeToScenario(CredentialsMode mode);

report::Group::PrivacyMode PrivacyModeToReport(net::PrivacyMode mode);

// The report's spelling of a pool group key (top_frame_site "" when the NAK is
// empty); also the IPC spelling, which reuses report.Group.
report::Group ReportGroupForGroupId(const net::GroupId& group_id);

// The report's spelling of a group key: scheme, host and port of `url`, privacy
// mode and NAK of `partition` (top_frame_site "" when the NAK is empty).
report::Group ReportGroupFor(const net::Url& url,
                             const RequestPartition& partition);

}  // namespace prewarm

#endif  // PROTO_SCENARIO_CONVERSIONS_H_
