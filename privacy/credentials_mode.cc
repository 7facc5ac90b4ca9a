#include "privacy/credentials_mode.h"

namespace prewarm {

bool CredentialsAllowed(CredentialsMode mode,
                        const net::Origin& request_origin,
                        const net::Origin& document_origin) {
  switch (mode) {
    case CredentialsMode::kInclude:
      return true;
    case CredentialsMode::kOmit:
      return false;
    case CredentialsMode::kSameOrigin:
      return request_origin.IsSameOriginWith(document_origin);
  }
  return false;
}

}  // namespace prewarm
