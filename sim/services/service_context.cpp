#include "services/service_context.h"

namespace mailscope::services {
namespace {

constexpr std::int64_t kDaySeconds = 86'400;

}  // namespace

tls::CertificateValidity server_certificate_validity(const mail::MailClock& clock) {
  return tls::CertificateValidity{clock.epoch_seconds - 30 * kDaySeconds,
                                  clock.epoch_seconds + 365 * kDaySeconds};
}

Result<std::unique_ptr<ScenarioTls>> ScenarioTls::create(Simulator& sim,
                                                         std::string_view scenario_name,
                                                         const mail::MailClock& clock) {
  Rng rng = sim.rng("tls/crypto");
  auto crypto = tls::CryptoContext::create(rng);
  if (!crypto) return crypto.error();
  // The CA outlives every certificate it issues: a year before time zero to ten years after.
  const tls::CertificateValidity ca_validity{clock.epoch_seconds - 365 * kDaySeconds,
                                             clock.epoch_seconds + 3650 * kDaySeconds};
  auto ca = tls::CertificateAuthority::create(*crypto, scenario_name, ca_validity);
  if (!ca) return ca.error();
  return std::unique_ptr<ScenarioTls>(
      new ScenarioTls{std::move(crypto).value(), std::move(ca).value(), tls::KeyLog{}});
}

}  // namespace mailscope::services
