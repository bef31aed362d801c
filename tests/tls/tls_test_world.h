#pragma once
// Shared fixtures for the TLS tests: a world (seeded crypto context and scenario CA), endpoints
// that record what their hooks report, and a loop that shuttles bytes between two endpoints the
// way a lossless TCP connection would.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/rng.h"
#include "tls/certificate_authority.h"
#include "tls/crypto_context.h"
#include "tls/key_log.h"
#include "tls/tls_endpoint.h"

namespace mailscope::tls::testing {

// 2026-01-01T00:00:00Z, the scenarios' virtual date in these tests.
constexpr std::int64_t kNow = 1'767'225'600;
constexpr std::int64_t kDay = 86'400;
constexpr CertificateValidity kOneYear{kNow - 30 * kDay, kNow + 335 * kDay};

inline CryptoContext make_crypto(std::uint64_t seed) {
  Rng rng(seed);
  auto crypto = CryptoContext::create(rng);
  EXPECT_TRUE(crypto.ok()) << (crypto.ok() ? "" : crypto.error().to_string());
  return std::move(crypto).value();
}

inline CertificateAuthority make_ca(const CryptoContext& crypto, std::string_view name) {
  auto ca = CertificateAuthority::create(crypto, name, CertificateValidity{0, kNow + 3650 * kDay});
  EXPECT_TRUE(ca.ok()) << (ca.ok() ? "" : ca.error().to_string());
  return std::move(ca).value();
}

inline Credentials issue(CertificateAuthority& ca, const CertificateRequest& request) {
  auto credentials = ca.issue(request);
  EXPECT_TRUE(credentials.ok()) << (credentials.ok() ? "" : credentials.error().to_string());
  return std::move(credentials).value();
}

// An endpoint with every hook recorded as a line of text: "sent ClientHello",
// "received alert fatal certificate expired", "state HANDSHAKING -> ESTABLISHED".
struct RecordingEndpoint {
  explicit RecordingEndpoint(Result<TlsEndpoint> created) : endpoint(std::move(created).value()) {
    TlsHooks hooks;
    hooks.on_message = [this](TlsDirection d, std::string_view name) {
      messages.push_back(std::string(to_string(d)) + " " + std::string(name));
    };
    hooks.on_alert = [this](TlsDirection d, const TlsAlert& alert) {
      alerts.push_back(std::string(to_string(d)) + (alert.fatal ? " fatal " : " warning ") +
                       alert.name);
    };
    hooks.on_keylog = keylog.collector();
    hooks.on_state_change = [this](TlsState from, TlsState to) {
      states.push_back(std::string(to_string(from)) + " -> " + std::string(to_string(to)));
    };
    endpoint.set_hooks(std::move(hooks));
  }

  TlsEndpoint endpoint;
  std::vector<std::string> messages;
  std::vector<std::string> alerts;
  std::vector<std::string> states;
  KeyLog keylog;
  wire::Bytes received;  // plaintext read so far
  wire::Bytes wire_out;  // every ciphertext byte this endpoint put on the wire
};

// Moves bytes both ways until neither side has anything to send; returns the number of rounds.
inline int shuttle(RecordingEndpoint& client, RecordingEndpoint& server) {
  constexpr int kRoundsMax = 1000;
  for (int round = 0; round < kRoundsMax; ++round) {
    const wire::Bytes to_server = client.endpoint.take_outgoing();
    const wire::Bytes to_client = server.endpoint.take_outgoing();
    client.wire_out.insert(client.wire_out.end(), to_server.begin(), to_server.end());
    server.wire_out.insert(server.wire_out.end(), to_client.begin(), to_client.end());
    if (!to_server.empty()) server.endpoint.feed(to_server);
    if (!to_client.empty()) client.endpoint.feed(to_client);
    for (RecordingEndpoint* side : {&client, &server}) {
      const wire::Bytes data = side->endpoint.read();
      side->received.insert(side->received.end(), data.begin(), data.end());
    }
    if (to_server.empty() && to_client.empty()) return round;
  }
  ADD_FAILURE() << "endpoints never went quiet";
  return kRoundsMax;
}

inline std::string as_text(const wire::Bytes& bytes) {
  return std::string(bytes.begin(), bytes.end());
}

// A client/server pair in one world: the server has a certificate for "mx.example.test" from
// the scenario CA, and the client trusts that CA and expects that name.
struct TlsPair {
  explicit TlsPair(std::uint64_t seed = 7)
      : crypto(make_crypto(seed)), ca(make_ca(crypto, "Tests")) {}

  CertificateRequest good_request() const {
    return CertificateRequest{{"mx.example.test"}, kOneYear, CertificateSigner::ScenarioCa};
  }
  TlsClientConfig client_config() const {
    TlsClientConfig config;
    config.trusted_cas = {ca.certificate()};
    config.server_name = "mx.example.test";
    config.verify_time_s = kNow;
    return config;
  }
  TlsServerConfig server_config(const Credentials& credentials) const {
    TlsServerConfig config{credentials};
    return config;
  }

  CryptoContext crypto;
  CertificateAuthority ca;
};

}  // namespace mailscope::tls::testing
