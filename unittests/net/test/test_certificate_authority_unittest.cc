#include "net/test/test_certificate_authority.h"

#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "openssl/bio.h"
#include "openssl/pem.h"
#include "openssl/x509.h"
#include "openssl/x509v3.h"

namespace net {
namespace {

// Runs BoringSSL's verifier on `leaf` with `root` as the only trust anchor and
// returns the X509_V_* result.
int Verify(X509* leaf, X509* root) {
  bssl::UniquePtr<X509_STORE> store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), root);
  bssl::UniquePtr<X509_STORE_CTX> context(X509_STORE_CTX_new());
  X509_STORE_CTX_init(context.get(), store.get(), leaf, nullptr);
  X509_verify_cert(context.get());
  return X509_STORE_CTX_get_error(context.get());
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

TEST(TestCertificateAuthorityTest, LeafVerifiesAgainstItsRootAndNamesItsHosts) {
  TestCertificateAuthority authority;
  TestCertificateAuthority::Leaf leaf =
      authority.IssueLeaf({"a.test", "*.b.test", "127.0.0.1", "::1"});
  ASSERT_TRUE(leaf.certificate);
  ASSERT_TRUE(leaf.private_key);
  EXPECT_EQ(X509_V_OK,
            Verify(leaf.certificate.get(), authority.root_certificate()));

  EXPECT_EQ(1,
            X509_check_host(leaf.certificate.get(), "a.test", 6, 0, nullptr));
  EXPECT_EQ(1,
            X509_check_host(leaf.certificate.get(), "x.b.test", 8, 0, nullptr));
  EXPECT_EQ(0,
            X509_check_host(leaf.certificate.get(), "c.test", 6, 0, nullptr));
  EXPECT_EQ(1, X509_check_ip_asc(leaf.certificate.get(), "127.0.0.1", 0));
  EXPECT_EQ(1, X509_check_ip_asc(leaf.certificate.get(), "::1", 0));
  EXPECT_EQ(0, X509_check_ip_asc(leaf.certificate.get(), "127.0.0.2", 0));
  EXPECT_EQ(1, X509_check_private_key(leaf.certificate.get(),
                                      leaf.private_key.get()));
}

TEST(TestCertificateAuthorityTest, ExpiredLeafFailsTheDateCheck) {
  TestCertificateAuthority authority;
  TestCertificateAuthority::Leaf leaf = authority.IssueLeaf(
      {"a.test"}, TestCertificateAuthority::Validity::kExpired);
  EXPECT_EQ(X509_V_ERR_CERT_HAS_EXPIRED,
            Verify(leaf.certificate.get(), authority.root_certificate()));
}

TEST(TestCertificateAuthorityTest, NotYetValidLeafFailsTheDateCheck) {
  TestCertificateAuthority authority;
  TestCertificateAuthority::Leaf leaf = authority.IssueLeaf(
      {"a.test"}, TestCertificateAuthority::Validity::kNotYetValid);
  EXPECT_EQ(X509_V_ERR_CERT_NOT_YET_VALID,
            Verify(leaf.certificate.get(), authority.root_certificate()));
}

TEST(TestCertificateAuthorityTest, LeafOfAnotherAuthorityIsNotTrusted) {
  TestCertificateAuthority trusted;
  TestCertificateAuthority other;
  TestCertificateAuthority::Leaf leaf = other.IssueLeaf({"a.test"});
  EXPECT_EQ(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
            Verify(leaf.certificate.get(), trusted.root_certificate()));
}

TEST(TestCertificateAuthorityTest, PemFilesRoundTrip) {
  char directory_template[] = "/tmp/prewarm-ca-test-XXXXXX";
  ASSERT_NE(nullptr, mkdtemp(directory_template));
  const std::string directory = directory_template;
  TestCertificateAuthority authority;
  TestCertificateAuthority::Leaf leaf = authority.IssueLeaf({"a.test"});

  std::string error;
  ASSERT_TRUE(
      authority.WriteRootCertificatePem(directory + "/root.pem", &error))
      << error;
  ASSERT_TRUE(TestCertificateAuthority::WriteLeafPems(
      leaf, directory + "/leaf.pem", directory + "/leaf.key", &error))
      << error;

  const std::string root_pem = ReadFile(directory + "/root.pem");
  EXPECT_EQ(authority.root_certificate_pem(), root_pem);
  bssl::UniquePtr<BIO> bio(BIO_new_mem_buf(root_pem.data(), root_pem.size()));
  bssl::UniquePtr<X509> root(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(root);
  EXPECT_EQ(0, X509_cmp(root.get(), authority.root_certificate()));

  const std::string key_pem = ReadFile(directory + "/leaf.key");
  bio.reset(BIO_new_mem_buf(key_pem.data(), key_pem.size()));
  bssl::UniquePtr<EVP_PKEY> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(key);
  EXPECT_EQ(1, X509_check_private_key(leaf.certificate.get(), key.get()));

  unlink((directory + "/root.pem").c_str());
  unlink((directory + "/leaf.pem").c_str());
  unlink((directory + "/leaf.key").c_str());
  rmdir(directory.c_str());
}

TEST(TestCertificateAuthorityTest, WritingToAMissingDirectoryReportsTheError) {
  TestCertificateAuthority authority;
  std::string error;
  EXPECT_FALSE(authority.WriteRootCertificatePem(
      "/nonexistent-prewarm-dir/root.pem", &error));
  EXPECT_NE(std::string::npos, error.find("/nonexistent-prewarm-dir/root.pem"));
}

}  // namespace
}  // namespace net
