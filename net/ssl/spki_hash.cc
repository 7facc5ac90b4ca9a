#include "net/ssl/spki_hash.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "net/base/net_errors.h"
#include "openssl/base64.h"
#include "openssl/mem.h"
#include "openssl/sha.h"
#include "openssl/x509.h"

namespace net {

std::string SpkiSha256(X509* certificate) {
  uint8_t* der = nullptr;
  int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certificate), &der);
  if (length <= 0)
    return std::string();
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<size_t>(length), digest);
  OPENSSL_free(der);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

std::string SpkiHashToBase64(std::string_view digest) {
  size_t encoded_length = 0;
  EVP_EncodedLength(&encoded_length, digest.size());
  std::string encoded(encoded_length, '\0');
  size_t written = EVP_EncodeBlock(
      reinterpret_cast<uint8_t*>(encoded.data()),
      reinterpret_cast<const uint8_t*>(digest.data()), digest.size());
  encoded.resize(written);
  return encoded;
}

int ParseSpkiHashList(std::string_view list,
                      std::vector<std::string>* hashes,
                      std::string* error_message) {
  std::vector<std::string> parsed;
  const absl::string_view text(list.data(), list.size());
  if (absl::StripAsciiWhitespace(text).empty()) {
    hashes->clear();
    return OK;
  }
  for (absl::string_view entry : absl::StrSplit(text, ',')) {
    entry = absl::StripAsciiWhitespace(entry);
    size_t max_length = 0;
    std::string digest;
    if (EVP_DecodedLength(&max_length, entry.size())) {
      digest.resize(max_length);
      size_t length = 0;
      if (EVP_DecodeBase64(
              reinterpret_cast<uint8_t*>(digest.data()), &length, max_length,
              reinterpret_cast<const uint8_t*>(entry.data()), entry.size())) {
        digest.resize(length);
      } else {
        digest.clear();
      }
    }
    if (digest.size() != SHA256_DIGEST_LENGTH) {
      *error_message =
          absl::StrCat("--ignore-certificate-errors-spki-list entry '", entry,
                       "' is not the base64 of a SHA-256 digest (32 bytes)");
      return ERR_INVALID_ARGUMENT;
    }
    parsed.push_back(std::move(digest));
  }
  *hashes = std::move(parsed);
  return OK;
}

}  // namespace net
