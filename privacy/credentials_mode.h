#ifndef PRIVACY_CREDENTIALS_MODE_H_
#define PRIVACY_CREDENTIALS_MODE_H_

#include "net/base/origin.h"

namespace prewarm {

// Fetch's credentials mode of a subresource request.
enum class CredentialsMode { kSameOrigin, kInclude, kOmit };

// Fetch's "include credentials" (docs/pool-selection.md section 3): include
// -> yes, omit -> no, same-origin -> yes iff the request's origin equals the
// requesting document's origin (an opaque origin equals nothing else).
bool CredentialsAllowed(CredentialsMode mode,
                        const net::Origin& request_origin,
                        const net::Origin& document_origin);

}  // namespace prewarm

#endif  // PRIVACY_CREDENTIALS_MODE_H_
