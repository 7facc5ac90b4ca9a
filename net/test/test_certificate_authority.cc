#include "net/test/test_certificate_authority.h"

#include <fstream>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "net/base/check.h"
#include "openssl/bio.h"
#include "openssl/bn.h"
#include "openssl/bytestring.h"
#include "openssl/ec_key.h"
#include "openssl/evp.h"
#include "openssl/nid.h"
#include "openssl/pem.h"
#include "openssl/rand.h"
#include "openssl/x509.h"
#include "openssl/x509v3.h"

namespace net {

namespace {

constexpr long kOneDaySeconds = 24 * 60 * 60;

bssl::UniquePtr<EVP_PKEY> GenerateP256Key() {
  bssl::UniquePtr<EC_KEY> ec_key(
      EC_KEY_new_by_curve_name(NID_X9_62_prime256v1));
  CHECK(ec_key);
  CHECK(EC_KEY_generate_key(ec_key.get()));
  bssl::UniquePtr<EVP_PKEY> key(EVP_PKEY_new());
  CHECK(key);
  CHECK(EVP_PKEY_assign_EC_KEY(key.get(), ec_key.release()));
  return key;
}

bool IsIpLiteral(const std::string& name) {
  // Parse through the same code BoringSSL uses for iPAddress SANs, so what
  // counts as an IP here is exactly what the verifier will compare as one.
  bssl::UniquePtr<ASN1_OCTET_STRING> ip(a2i_IPADDRESS(name.c_str()));
  return ip != nullptr;
}

void AddExtension(X509* certificate,
                  X509* issuer,
                  int nid,
                  const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  bssl::UniquePtr<X509_EXTENSION> extension(
      X509V3_EXT_nconf_nid(nullptr, &context, nid, value.c_str()));
  CHECK(extension);
  CHECK(X509_add_ext(certificate, extension.get(), -1));
}

void SetSubjectCommonName(X509* certificate, const std::string& common_name) {
  X509_NAME* subject = X509_get_subject_name(certificate);
  CHECK(X509_NAME_add_entry_by_txt(
      subject, "CN", MBSTRING_UTF8,
      reinterpret_cast<const uint8_t*>(common_name.data()),
      static_cast<int>(common_name.size()), -1, 0));
}

void SetValidity(X509* certificate,
                 long not_before_offset_seconds,
                 long not_after_offset_seconds) {
  CHECK(X509_gmtime_adj(X509_getm_notBefore(certificate),
                        not_before_offset_seconds));
  CHECK(X509_gmtime_adj(X509_getm_notAfter(certificate),
                        not_after_offset_seconds));
}

std::string CertificateToPem(X509* certificate) {
  bssl::UniquePtr<BIO> bio(BIO_new(BIO_s_mem()));
  CHECK(PEM_write_bio_X509(bio.get(), certificate));
  const uint8_t* contents = nullptr;
  size_t length = 0;
  CHECK(BIO_mem_contents(bio.get(), &contents, &length));
  return std::string(reinterpret_cast<const char*>(contents), length);
}

std::string PrivateKeyToPem(EVP_PKEY* key) {
  bssl::UniquePtr<BIO> bio(BIO_new(BIO_s_mem()));
  CHECK(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr,
                                 nullptr));
  const uint8_t* contents = nullptr;
  size_t length = 0;
  CHECK(BIO_mem_contents(bio.get(), &contents, &length));
  return std::string(reinterpret_cast<const char*>(contents), length);
}

bool WriteFile(const std::string& path,
               const std::string& contents,
               std::string* error) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (file)
    file << contents;
  if (file)
    file.close();
  if (!file) {
    if (error)
      *error = absl::StrCat("cannot write ", path);
    return false;
  }
  return true;
}

}  // namespace

TestCertificateAuthority::Leaf::Leaf() = default;
TestCertificateAuthority::Leaf::Leaf(Leaf&&) = default;
TestCertificateAuthority::Leaf& TestCertificateAuthority::Leaf::operator=(
    Leaf&&) = default;
TestCertificateAuthority::Leaf::~Leaf() = default;

TestCertificateAuthority::TestCertificateAuthority(const std::string& name)
    : root_key_(GenerateP256Key()), root_certificate_(X509_new()) {
  // A random suffix keeps subject names unique, so a verifier that trusts
  // another test CA cannot even find a candidate issuer for our leaves by name.
  uint8_t suffix[8];
  RAND_bytes(suffix, sizeof(suffix));
  const std::string common_name =
      absl::StrCat(name, " ",
                   absl::BytesToHexString(absl::string_view(
                       reinterpret_cast<const char*>(suffix), sizeof(suffix))));

  X509* root = root_certificate_.get();
  CHECK(root);
  CHECK(X509_set_version(root, X509_VERSION_3));
  CHECK(ASN1_INTEGER_set(X509_get_serialNumber(root), 1));
  SetSubjectCommonName(root, common_name);
  CHECK(X509_set_issuer_name(root, X509_get_subject_name(root)));
  SetValidity(root, -kOneDaySeconds, 365 * kOneDaySeconds);
  CHECK(X509_set_pubkey(root, root_key_.get()));
  AddExtension(root, root, NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(root, root, NID_key_usage, "critical,keyCertSign,cRLSign");
  AddExtension(root, root, NID_subject_key_identifier, "hash");
  CHECK(X509_sign(root, root_key_.get(), EVP_sha256()));
  root_pem_ = CertificateToPem(root);
}

TestCertificateAuthority::~TestCertificateAuthority() = default;

TestCertificateAuthority::Leaf TestCertificateAuthority::IssueLeaf(
    const std::vector<std::string>& names,
    Validity validity) const {
  CHECK(!names.empty());
  Leaf leaf;
  leaf.private_key = GenerateP256Key();
  leaf.certificate.reset(X509_new());
  X509* certificate = leaf.certificate.get();
  CHECK(certificate);
  CHECK(X509_set_version(certificate, X509_VERSION_3));
  CHECK(ASN1_INTEGER_set(X509_get_serialNumber(certificate), next_serial_++));
  SetSubjectCommonName(certificate, names.front());
  CHECK(X509_set_issuer_name(certificate,
                             X509_get_subject_name(root_certificate_.get())));
  switch (validity) {
    case Validity::kValid:
      SetValidity(certificate, -kOneDaySeconds, 30 * kOneDaySeconds);
      break;
    case Validity::kExpired:
      SetValidity(certificate, -30 * kOneDaySeconds, -kOneDaySeconds);
      break;
    case Validity::kNotYetValid:
      SetValidity(certificate, kOneDaySeconds, 30 * kOneDaySeconds);
      break;
  }
  CHECK(X509_set_pubkey(certificate, leaf.private_key.get()));

  std::vector<std::string> alt_names;
  for (const std::string& name : names)
    alt_names.push_back(absl::StrCat(IsIpLiteral(name) ? "IP:" : "DNS:", name));
  AddExtension(certificate, root_certificate_.get(), NID_subject_alt_name,
               absl::StrJoin(alt_names, ","));
  AddExtension(certificate, root_certificate_.get(), NID_basic_constraints,
               "critical,CA:FALSE");
  AddExtension(certificate, root_certificate_.get(), NID_key_usage,
               "critical,digitalSignature");
  AddExtension(certificate, root_certificate_.get(), NID_ext_key_usage,
               "serverAuth");
  AddExtension(certificate, root_certificate_.get(),
               NID_authority_key_identifier, "keyid:always");
  CHECK(X509_sign(certificate, root_key_.get(), EVP_sha256()));

  leaf.certificate_pem = CertificateToPem(certificate);
  leaf.private_key_pem = PrivateKeyToPem(leaf.private_key.get());
  return leaf;
}

bool TestCertificateAuthority::WriteRootCertificatePem(
    const std::string& path,
    std::string* error) const {
  return WriteFile(path, root_pem_, error);
}

// static
bool TestCertificateAuthority::WriteLeafPems(
    const Leaf& leaf,
    const std::string& certificate_path,
    const std::string& private_key_path,
    std::string* error) {
  return WriteFile(certificate_path, leaf.certificate_pem, error) &&
         WriteFile(private_key_path, leaf.private_key_pem, error);
}

}  // namespace net
