#include "net/ssl/pem_certificates.h"

#include "openssl/bio.h"
#include "openssl/err.h"
#include "openssl/pem.h"
#include "openssl/x509.h"

namespace net {

int AddPemCertificates(std::string_view pem, X509_STORE* store) {
  bssl::UniquePtr<BIO> bio(BIO_new_mem_buf(pem.data(), pem.size()));
  int added = 0;
  while (bssl::UniquePtr<X509> certificate{
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
    if (!store || X509_STORE_add_cert(store, certificate.get()))
      ++added;
  }
  ERR_clear_error();
  return added;
}

}  // namespace net
