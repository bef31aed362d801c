#pragma once
// CertificateAuthority: the scenario CA. Each simulated world makes one, issues its servers'
// certificates from it and gives its certificate to the clients as their trust anchor, the way
// an operating system ships root certificates. Lessons can also issue certificates that fail
// verification on purpose: for the wrong host name, expired, not yet valid, or self-signed.
//
// Keys are EC P-256 (quick to generate, small on the wire). Serial numbers come from a counter
// starting at 1 for the CA itself, so a given scenario always yields the same certificates.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "tls/certificate.h"
#include "tls/crypto_context.h"

namespace mailscope::tls {

enum class CertificateSigner {
  ScenarioCa,  // signed by the scenario CA: verifies for clients that trust it
  SelfSigned,  // signed by its own key: no client can build a chain to a trust anchor
};

struct CertificateRequest {
  std::vector<std::string> dns_names;  // subjectAltName entries; the first is also the CN
  CertificateValidity validity;
  CertificateSigner signer = CertificateSigner::ScenarioCa;
};

class CertificateAuthority {
 public:
  // Host names: letters, digits, '-' and '.', an optional leading "*." wildcard, at most
  // kHostnameMax characters; a certificate carries at most kDnsNamesMax of them.
  static constexpr std::size_t kHostnameMax = 253;
  static constexpr std::size_t kDnsNamesMax = 16;

  // A self-signed CA certificate "CN=MailScope Scenario CA, O=<scenario_name>". The scenario
  // name must be 1 to kOrganisationMax bytes of UTF-8 (the X.509 limit for O=).
  static constexpr std::size_t kOrganisationMax = 64;
  static Result<CertificateAuthority> create(const CryptoContext& crypto,
                                             std::string_view scenario_name,
                                             CertificateValidity validity);

  // Server credentials for `hostname` (subjectAltName DNS:<hostname>, serverAuth), signed by
  // this CA. Issuing for a name the server does not have is how a lesson shows a mismatch.
  Result<Credentials> issue(std::string_view hostname, CertificateValidity validity);
  Result<Credentials> issue(const CertificateRequest& request);

  const Certificate& certificate() const { return m_ca.certificate; }
  // For `--ca-out`: the file a real client (swaks, openssl s_client) needs to trust the world.
  std::string certificate_pem() const { return m_ca.certificate.pem(); }
  const std::string& scenario_name() const { return m_scenario_name; }

 private:
  CertificateAuthority(CryptoContext crypto, Credentials ca, std::string scenario_name)
      : m_crypto(std::move(crypto)),
        m_ca(std::move(ca)),
        m_scenario_name(std::move(scenario_name)) {}

  CryptoContext m_crypto;
  Credentials m_ca;
  std::string m_scenario_name;      // the O= of every certificate issued here
  std::uint64_t m_next_serial = 2;  // the CA's own certificate has serial 1
};

// Checks a host name against the rules above; the Error names the field "hostname".
std::optional<Error> check_hostname(std::string_view hostname);

}  // namespace mailscope::tls
