#ifndef NET_TEST_TEST_CERTIFICATE_AUTHORITY_H_
#define NET_TEST_TEST_CERTIFICATE_AUTHORITY_H_

#include <string>
#include <vector>

#include "openssl/base.h"

namespace net {

// A certificate authority made at runtime for tests: a fresh P-256 root key and
// a self-signed root certificate, and leaf certificates for whatever DNS names
// and IP literals a test asks for (as subjectAltName entries; the subject CN is
// informative only). Every instance has its own key, so a client that trusts
// one test CA rejects leaves of another: that is how tests build an "untrusted
// issuer" case.
//
// Leaf validity is relative to the wall clock, because certificate verification
// reads it (X.509 validity is calendar time, not the loop's monotonic clock).
// BoringSSL failures here mean the library itself is broken, so they CHECK
// rather than return. Not thread-safe; immutable after construction apart from
// the serial counter.
class TestCertificateAuthority {
 public:
  enum class Validity {
    kValid,        // notBefore a day ago, notAfter in 30 days.
    kExpired,      // Expired yesterday.
    kNotYetValid,  // Becomes valid tomorrow.
  };

  // A leaf certificate and its private key, owned by the value.
  struct Leaf {
    Leaf();
    Leaf(Leaf&&);
    Leaf& operator=(Leaf&&);
    ~Leaf();

    bssl::UniquePtr<X509> certificate;
    bssl::UniquePtr<EVP_PKEY> private_key;
    std::string certificate_pem;
    std::string private_key_pem;  // PKCS#8, unencrypted.
  };

  // `name` becomes the root's subject CN (handy when a test holds several CAs).
  explicit TestCertificateAuthority(
      const std::string& name = "prewarm Test Root CA");
  TestCertificateAuthority(const TestCertificateAuthority&) = delete;
  TestCertificateAuthority& operator=(const TestCertificateAuthority&) = delete;
  ~TestCertificateAuthority();

  X509* root_certificate() const { return root_certificate_.get(); }
  const std::string& root_certificate_pem() const { return root_pem_; }

  // Issues a leaf for `names`: each entry is a DNS name ("a.test", "*.b.test")
  // or an IP literal ("127.0.0.1", "::1"), which becomes an iPAddress SAN.
  // `names` must not be empty.
  Leaf IssueLeaf(const std::vector<std::string>& names,
                 Validity validity = Validity::kValid) const;

  // Writes the root certificate (PEM) to `path`, for consumers outside the
  // process (nginx, curl). Returns false and fills `error` if the file cannot
  // be written.
  bool WriteRootCertificatePem(const std::string& path,
                               std::string* error) const;
  // Writes a leaf's certificate and key PEMs to two files (nginx
  // ssl_certificate and ssl_certificate_key).
  static bool WriteLeafPems(const Leaf& leaf,
                            const std::string& certificate_path,
                            const std::string& private_key_path,
                            std::string* error);

 private:
  bssl::UniquePtr<EVP_PKEY> root_key_;
  bssl::UniquePtr<X509> root_certificate_;
  std::string root_pem_;
  mutable long next_serial_ = 2;
};

}  // namespace net

#endif  // NET_TEST_TEST_CERTIFICATE_AUTHORITY_H_
