#pragma once
// Certificates and private keys as shared, immutable handles on OpenSSL objects. A handle keeps
// its CryptoContext alive; copying one shares the object (OpenSSL reference counting does the
// rest when an SSL_CTX takes its own reference).

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tls/crypto_context.h"

namespace mailscope::tls {

// A validity window in seconds since the Unix epoch (UTC). RFC 5280 makes both ends inclusive;
// OpenSSL 3.0 treats the notAfter second itself as already expired.
struct CertificateValidity {
  std::int64_t not_before_s = 0;
  std::int64_t not_after_s = 0;

  friend bool operator==(const CertificateValidity&, const CertificateValidity&) = default;
};

// What a student wants to see of a certificate, as plain values.
struct CertificateSummary {
  std::string subject;                 // "CN=mx.example.org, O=Two domains"
  std::string issuer;                  // "CN=MailScope Scenario CA, O=Two domains"
  std::vector<std::string> dns_names;  // subjectAltName DNS entries, in certificate order
  CertificateValidity validity;
  std::uint64_t serial = 0;
  bool is_ca = false;  // basicConstraints CA:TRUE

  friend bool operator==(const CertificateSummary&, const CertificateSummary&) = default;
};

class Certificate {
 public:
  // Takes one reference to `x509` (the caller keeps its own), tied to `crypto`'s lifetime.
  static Certificate share(const CryptoContext& crypto, X509* x509);

  std::string pem() const;
  CertificateSummary summary() const;
  X509* native() const { return m_x509.get(); }

 private:
  explicit Certificate(std::shared_ptr<X509> x509) : m_x509(std::move(x509)) {}

  std::shared_ptr<X509> m_x509;  // never null
};

class PrivateKey {
 public:
  // Takes ownership of `key`, tied to `crypto`'s lifetime.
  static PrivateKey adopt(const CryptoContext& crypto, EVP_PKEY* key);

  // PKCS#8, unencrypted: these keys exist only inside a simulation.
  std::string pem() const;
  EVP_PKEY* native() const { return m_key.get(); }

 private:
  explicit PrivateKey(std::shared_ptr<EVP_PKEY> key) : m_key(std::move(key)) {}

  std::shared_ptr<EVP_PKEY> m_key;  // never null
};

// What a TLS server presents: its certificate and the matching private key.
struct Credentials {
  Certificate certificate;
  PrivateKey key;
};

// The summary of any certificate OpenSSL hands over (the peer's, in a verify callback).
CertificateSummary summarize_certificate(X509* x509);

// Formats a DN the way students read it: most specific first, "CN=a, O=b".
std::string format_name(const X509_NAME* name);

}  // namespace mailscope::tls
