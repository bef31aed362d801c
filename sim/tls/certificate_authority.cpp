#include "tls/certificate_authority.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

#include "tls/openssl_handles.h"

namespace mailscope::tls {
namespace {

constexpr std::string_view kCaCommonName = "MailScope Scenario CA";
// X.509's upper bound for a commonName; longer host names appear in subjectAltName only.
constexpr std::size_t kCommonNameMax = 64;

using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslFree<EVP_MD_CTX, EVP_MD_CTX_free>>;

// Everything that differs between the certificates this file builds.
struct CertificateSpec {
  std::string common_name;
  std::string organisation;
  std::vector<std::string> dns_names;
  CertificateValidity validity;
  std::uint64_t serial = 0;
  bool is_ca = false;
};

Result<EvpPkeyPtr> generate_key(const CryptoContext& crypto) {
  EvpPkeyPtr key(EVP_PKEY_Q_keygen(crypto.native(), nullptr, "EC", "P-256"));
  if (!key) return make_error(take_openssl_errors("cannot generate an EC P-256 key"), "key");
  return key;
}

bool add_name_entry(X509_NAME* name, const char* field, const std::string& value) {
  return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                    0) == 1;
}

bool add_extension(X509* x509, X509V3_CTX* v3, int nid, const std::string& value) {
  X509ExtensionPtr extension(X509V3_EXT_nconf_nid(nullptr, v3, nid, value.c_str()));
  return extension && X509_add_ext(x509, extension.get(), -1) == 1;
}

// Builds and signs a certificate for `subject_key`. A null `issuer` means self-signed.
Result<X509Ptr> build_certificate(const CryptoContext& crypto, const CertificateSpec& spec,
                                  EVP_PKEY* subject_key, X509* issuer, EVP_PKEY* issuer_key) {
  const auto fail = [](std::string_view what) {
    return make_error(take_openssl_errors(what), "certificate");
  };
  X509Ptr x509(X509_new_ex(crypto.native(), nullptr));
  if (!x509) return fail("cannot allocate a certificate");
  X509* x = x509.get();

  if (X509_set_version(x, X509_VERSION_3) != 1 ||
      ASN1_INTEGER_set_uint64(X509_get_serialNumber(x), spec.serial) != 1) {
    return fail("cannot set version and serial number");
  }
  if (ASN1_TIME_set(X509_getm_notBefore(x), static_cast<time_t>(spec.validity.not_before_s)) ==
          nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(x), static_cast<time_t>(spec.validity.not_after_s)) ==
          nullptr) {
    return fail("validity outside what X.509 can express");
  }

  X509_NAME* subject = X509_get_subject_name(x);
  if (!add_name_entry(subject, "O", spec.organisation) ||
      (!spec.common_name.empty() && !add_name_entry(subject, "CN", spec.common_name))) {
    return fail("cannot build the subject name");
  }
  X509* signer_cert = issuer != nullptr ? issuer : x;
  if (X509_set_issuer_name(x, X509_get_subject_name(signer_cert)) != 1 ||
      X509_set_pubkey(x, subject_key) != 1) {
    return fail("cannot set issuer or public key");
  }

  X509V3_CTX v3;
  X509V3_set_ctx(&v3, signer_cert, x, nullptr, nullptr, 0);
  bool ok = true;
  if (spec.is_ca) {
    ok = add_extension(x, &v3, NID_basic_constraints, "critical,CA:TRUE") &&
         add_extension(x, &v3, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    std::string alt_names;
    for (const std::string& name : spec.dns_names) {
      alt_names += (alt_names.empty() ? "DNS:" : ",DNS:") + name;
    }
    ok = add_extension(x, &v3, NID_basic_constraints, "critical,CA:FALSE") &&
         add_extension(x, &v3, NID_key_usage, "critical,digitalSignature") &&
         add_extension(x, &v3, NID_ext_key_usage, "serverAuth") &&
         add_extension(x, &v3, NID_subject_alt_name, alt_names);
  }
  // The key identifiers let a verifier match a certificate to its issuer; the subject's must
  // exist before the authority's is derived from it in the self-signed case.
  ok = ok && add_extension(x, &v3, NID_subject_key_identifier, "hash") &&
       add_extension(x, &v3, NID_authority_key_identifier, "keyid:always");
  if (!ok) return fail("cannot add certificate extensions");

  EvpMdCtxPtr md(EVP_MD_CTX_new());
  if (!md ||
      EVP_DigestSignInit_ex(md.get(), nullptr, "SHA256", crypto.native(), nullptr, issuer_key,
                            nullptr) != 1 ||
      X509_sign_ctx(x, md.get()) <= 0) {
    return fail("cannot sign the certificate");
  }
  return x509;
}

std::optional<Error> check_validity(const CertificateValidity& validity) {
  if (validity.not_before_s > validity.not_after_s) {
    return make_error("not_before is after not_after", "validity");
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> check_hostname(std::string_view hostname) {
  if (hostname.empty()) return make_error("host name is empty", "hostname");
  if (hostname.size() > CertificateAuthority::kHostnameMax) {
    return make_error("host name is longer than 253 characters", "hostname");
  }
  std::string_view rest = hostname;
  if (rest.starts_with("*.")) rest.remove_prefix(2);
  if (rest.empty() || rest.front() == '.' || rest.back() == '.' ||
      rest.find("..") != std::string_view::npos) {
    return make_error("host name has an empty label: '" + std::string(hostname) + "'", "hostname");
  }
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!allowed) {
      return make_error("host name has a character other than letters, digits, '-' and '.'",
                        "hostname", hostname.size() - rest.size() + i);
    }
  }
  return std::nullopt;
}

Result<CertificateAuthority> CertificateAuthority::create(const CryptoContext& crypto,
                                                          std::string_view scenario_name,
                                                          CertificateValidity validity) {
  if (scenario_name.empty() || scenario_name.size() > kOrganisationMax) {
    return make_error("scenario name must be 1 to 64 bytes long", "scenario_name");
  }
  if (auto error = check_validity(validity)) return *error;
  auto key = generate_key(crypto);
  if (!key) return key.error();

  CertificateSpec spec;
  spec.common_name = std::string(kCaCommonName);
  spec.organisation = std::string(scenario_name);
  spec.validity = validity;
  spec.serial = 1;
  spec.is_ca = true;
  auto x509 = build_certificate(crypto, spec, key->get(), nullptr, key->get());
  if (!x509) return x509.error();

  Credentials ca{Certificate::share(crypto, x509->get()),
                 PrivateKey::adopt(crypto, key->release())};
  return CertificateAuthority(crypto, std::move(ca), std::string(scenario_name));
}

Result<Credentials> CertificateAuthority::issue(std::string_view hostname,
                                                CertificateValidity validity) {
  CertificateRequest request;
  request.dns_names.emplace_back(hostname);
  request.validity = validity;
  return issue(request);
}

Result<Credentials> CertificateAuthority::issue(const CertificateRequest& request) {
  if (request.dns_names.empty()) return make_error("at least one host name is needed", "dns_names");
  if (request.dns_names.size() > kDnsNamesMax) {
    return make_error("more than 16 host names", "dns_names");
  }
  for (const std::string& name : request.dns_names) {
    if (auto error = check_hostname(name)) return *error;
  }
  if (auto error = check_validity(request.validity)) return *error;
  auto key = generate_key(m_crypto);
  if (!key) return key.error();

  CertificateSpec spec;
  const std::string& first = request.dns_names.front();
  spec.common_name = first.size() <= kCommonNameMax ? first : std::string();
  spec.organisation = m_scenario_name;
  spec.dns_names = request.dns_names;
  spec.validity = request.validity;
  spec.serial = m_next_serial++;
  const bool self_signed = request.signer == CertificateSigner::SelfSigned;
  X509* issuer = self_signed ? nullptr : m_ca.certificate.native();
  EVP_PKEY* issuer_key = self_signed ? key->get() : m_ca.key.native();
  auto x509 = build_certificate(m_crypto, spec, key->get(), issuer, issuer_key);
  if (!x509) return x509.error();

  return Credentials{Certificate::share(m_crypto, x509->get()),
                     PrivateKey::adopt(m_crypto, key->release())};
}

}  // namespace mailscope::tls
