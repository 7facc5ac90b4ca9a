#ifndef NET_SSL_SPKI_HASH_H_
#define NET_SSL_SPKI_HASH_H_

#include <string>
#include <string_view>
#include <vector>

#include "openssl/base.h"

namespace net {

// SHA-256 of a certificate's DER SubjectPublicKeyInfo: the 32 raw bytes that
// Chromium's --ignore-certificate-errors-spki-list names in base64. "" when
// the key cannot be encoded.
std::string SpkiSha256(X509* certificate);

// A digest in standard base64 (44 characters for SHA-256), as the flag
// spells it.
std::string SpkiHashToBase64(std::string_view digest);

// Parses a comma-separated list of base64 SHA-256 SPKI digests (Chromium's
// --ignore-certificate-errors-spki-list). Surrounding spaces are ignored; an
// empty list is no digests. Returns OK and fills *hashes with the raw digests,
// or ERR_INVALID_ARGUMENT and a message naming the entry that is not base64
// or not 32 bytes (unlike Chromium, which skips such an entry silently).
int ParseSpkiHashList(std::string_view list,
                      std::vector<std::string>* hashes,
                      std::string* error_message);

}  // namespace net

#endif  // NET_SSL_SPKI_HASH_H_
