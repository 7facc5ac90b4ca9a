#ifndef NET_SSL_PEM_CERTIFICATES_H_
#define NET_SSL_PEM_CERTIFICATES_H_

#include <string_view>

#include "openssl/base.h"

namespace net {

// Adds every certificate of the PEM text `pem` to `store` (null: only counts
// them); returns how many it parsed. Text around and between the PEM blocks
// is skipped, as OpenSSL does; 0 means no usable certificate.
int AddPemCertificates(std::string_view pem, X509_STORE* store);

}  // namespace net

#endif  // NET_SSL_PEM_CERTIFICATES_H_
