#ifndef PRIVACY_REQUEST_MODE_H_
#define PRIVACY_REQUEST_MODE_H_

namespace prewarm {

// Fetch's request mode. It sits beside CredentialsMode because both decide
// what a request may carry, and the preload layer compares them (a preload
// and its consumer must agree on both).
enum class RequestMode { kNoCors, kCors, kSameOrigin, kNavigate };

}  // namespace prewarm

#endif  // PRIVACY_REQUEST_MODE_H_
