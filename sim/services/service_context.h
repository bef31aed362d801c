#pragma once
// ServiceContext: what every service of one simulated world shares — the simulator (clock, trace,
// seeded randomness), the world's TLS library context and scenario CA, the key log that lets
// Wireshark decrypt the capture, and the calendar date of virtual time zero.
//
// The world owns all of these; services keep a reference, so the world must outlive them.
// ScenarioTls bundles the TLS parts for worlds (and tests) that do not build them elsewhere.

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/result.h"
#include "core/simulator.h"
#include "mail/date_time.h"
#include "tls/certificate_authority.h"
#include "tls/crypto_context.h"
#include "tls/key_log.h"

namespace mailscope::services {

struct ServiceContext {
  Simulator& sim;
  const tls::CryptoContext& crypto;
  tls::CertificateAuthority& ca;
  tls::KeyLog* key_log = nullptr;  // null: secrets are not collected
  mail::MailClock clock;

  // The virtual date in Unix seconds, for certificate checks and mail dates.
  std::int64_t unix_seconds() const { return clock.unix_seconds(sim.now()); }
};

// A certificate window that contains the whole lesson: from 30 days before virtual time zero to
// a year after it.
tls::CertificateValidity server_certificate_validity(const mail::MailClock& clock);

// The TLS half of a world: one library context keyed from the simulator's seed, the scenario CA
// and an empty key log.
struct ScenarioTls {
  tls::CryptoContext crypto;
  tls::CertificateAuthority ca;
  tls::KeyLog key_log;

  static Result<std::unique_ptr<ScenarioTls>> create(Simulator& sim, std::string_view scenario_name,
                                                     const mail::MailClock& clock);
};

}  // namespace mailscope::services
