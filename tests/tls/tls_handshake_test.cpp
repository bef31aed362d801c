// Handshakes between a client and a server endpoint over an in-memory "wire": message order for
// both TLS versions, negotiated parameters, data both ways, key logs, determinism.

#include <openssl/evp.h>
#include <openssl/ssl.h>

#include <gmock/gmock.h>

#include "tls/handshake_names.h"
#include "tls_test_world.h"

namespace mailscope::tls::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::UnorderedElementsAre;

std::string client_random_of(const TlsEndpoint& endpoint) {
  std::array<std::uint8_t, SSL3_RANDOM_SIZE> random{};
  EXPECT_EQ(SSL_get_client_random(endpoint.native(), random.data(), random.size()), random.size());
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (std::uint8_t b : random) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 15];
  }
  return hex;
}

struct Connected {
  explicit Connected(TlsVersion client_max = TlsVersion::Tls13, std::uint64_t seed = 7)
      : pair(seed),
        credentials(issue(pair.ca, pair.good_request())),
        client(TlsEndpoint::client(pair.crypto,
                                   [&] {
                                     TlsClientConfig config = pair.client_config();
                                     config.max_version = client_max;
                                     return config;
                                   }())),
        server(TlsEndpoint::server(pair.crypto, pair.server_config(credentials))) {
    shuttle(client, server);
  }

  TlsPair pair;
  Credentials credentials;
  RecordingEndpoint client;
  RecordingEndpoint server;
};

TEST(TlsHandshake, Tls13MessagesInOrder) {
  Connected c;
  ASSERT_EQ(c.client.endpoint.state(), TlsState::Established);
  ASSERT_EQ(c.server.endpoint.state(), TlsState::Established);
  // RFC 8446 figure 1, without the optional CertificateRequest; the server's one ticket comes
  // after the handshake.
  EXPECT_THAT(c.client.messages, ElementsAre("sent ClientHello", "received ServerHello",
                                             "received EncryptedExtensions", "received Certificate",
                                             "received CertificateVerify", "received Finished",
                                             "sent Finished", "received NewSessionTicket"));
  EXPECT_THAT(c.server.messages,
              ElementsAre("received ClientHello", "sent ServerHello", "sent EncryptedExtensions",
                          "sent Certificate", "sent CertificateVerify", "sent Finished",
                          "received Finished", "sent NewSessionTicket"));
  EXPECT_THAT(c.client.states, ElementsAre("HANDSHAKING -> ESTABLISHED"));
  EXPECT_THAT(c.server.states, ElementsAre("HANDSHAKING -> ESTABLISHED"));
  EXPECT_TRUE(c.client.alerts.empty());
  EXPECT_TRUE(c.server.alerts.empty());
}

TEST(TlsHandshake, Tls12MessagesInOrderWhenTheClientStopsAt12) {
  Connected c(TlsVersion::Tls12);
  ASSERT_EQ(c.client.endpoint.state(), TlsState::Established);
  // RFC 5246 figure 1 with an ECDHE key exchange; no session ticket (tickets are stateful).
  EXPECT_THAT(c.client.messages,
              ElementsAre("sent ClientHello", "received ServerHello", "received Certificate",
                          "received ServerKeyExchange", "received ServerHelloDone",
                          "sent ClientKeyExchange", "sent ChangeCipherSpec", "sent Finished",
                          "received ChangeCipherSpec", "received Finished"));
  EXPECT_THAT(c.server.messages,
              ElementsAre("received ClientHello", "sent ServerHello", "sent Certificate",
                          "sent ServerKeyExchange", "sent ServerHelloDone",
                          "received ClientKeyExchange", "received ChangeCipherSpec",
                          "received Finished", "sent ChangeCipherSpec", "sent Finished"));
}

TEST(TlsHandshake, NegotiatedParametersAndPeerCertificate) {
  struct Case {
    TlsVersion client_max;
    const char* version;
    const char* cipher;
  };
  const Case cases[] = {
      {TlsVersion::Tls13, "TLSv1.3", "TLS_AES_256_GCM_SHA384"},
      // An ECDSA certificate selects an ECDHE-ECDSA suite.
      {TlsVersion::Tls12, "TLSv1.2", "ECDHE-ECDSA-AES256-GCM-SHA384"},
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(test.version);
    Connected c(test.client_max);
    for (RecordingEndpoint* side : {&c.client, &c.server}) {
      EXPECT_EQ(side->endpoint.info().version, test.version);
      EXPECT_EQ(side->endpoint.info().cipher, test.cipher);
      EXPECT_EQ(side->endpoint.info().group, "x25519");
      EXPECT_EQ(side->endpoint.info().server_name, "mx.example.test");  // SNI arrived
      EXPECT_EQ(side->endpoint.info().client_random_hex, client_random_of(side->endpoint));
    }
    const TlsInfo& info = c.client.endpoint.info();
    EXPECT_EQ(info.role, TlsRole::Client);
    EXPECT_TRUE(info.verification.ok());
    EXPECT_EQ(info.verification.message, "ok");
    EXPECT_TRUE(info.verification.problems.empty());
    ASSERT_TRUE(info.peer_certificate.has_value());
    EXPECT_EQ(*info.peer_certificate, c.credentials.certificate.summary());
    EXPECT_EQ(info.peer_certificate->issuer, "CN=MailScope Scenario CA, O=Tests");
    // The server checks no certificate (no client certificates in MailScope).
    EXPECT_FALSE(c.server.endpoint.info().verification.checked);
    EXPECT_FALSE(c.server.endpoint.info().peer_certificate.has_value());
  }
}

TEST(TlsHandshake, DataBothWaysIsByteExact) {
  for (TlsVersion version : {TlsVersion::Tls13, TlsVersion::Tls12}) {
    SCOPED_TRACE(to_string(version));
    Connected c(version);
    const std::string greeting = "220 mx.example.test ESMTP MailScope\r\n";
    const std::string command = "EHLO client.example.test\r\n";
    EXPECT_EQ(c.server.endpoint.write(wire::as_bytes(greeting)), greeting.size());
    EXPECT_EQ(c.client.endpoint.write(wire::as_bytes(command)), command.size());
    shuttle(c.client, c.server);
    EXPECT_EQ(as_text(c.client.received), greeting);
    EXPECT_EQ(as_text(c.server.received), command);

    // 100 KiB, more than six records, with every byte value at every record offset.
    wire::Bytes big(100 * 1024);
    for (std::size_t i = 0; i < big.size(); ++i)
      big[i] = static_cast<std::uint8_t>(i * 7 + i / 251);
    c.client.received.clear();
    c.server.received.clear();
    EXPECT_EQ(c.client.endpoint.write(big), big.size());
    EXPECT_EQ(c.server.endpoint.write(big), big.size());
    shuttle(c.client, c.server);
    EXPECT_EQ(c.server.received, big);
    EXPECT_EQ(c.client.received, big);
  }
}

TEST(TlsHandshake, CiphertextOnTheWireDoesNotContainThePlaintext) {
  Connected c;
  const std::string secret = "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n";
  c.client.endpoint.write(wire::as_bytes(secret));
  shuttle(c.client, c.server);
  EXPECT_EQ(as_text(c.server.received), secret);
  const std::string wire_text = as_text(c.client.wire_out);
  EXPECT_EQ(wire_text.find("AUTH PLAIN"), std::string::npos);
  // Every record is application_data (23) or handshake (22) with version 0x0303.
  ASSERT_GE(c.client.wire_out.size(), 5u);
  EXPECT_EQ(c.client.wire_out[0], 22);  // the ClientHello record
}

TEST(TlsHandshake, DataWrittenDuringTheHandshakeIsSentAfterIt) {
  TlsPair pair;
  const Credentials credentials = issue(pair.ca, pair.good_request());
  RecordingEndpoint client(TlsEndpoint::client(pair.crypto, pair.client_config()));
  RecordingEndpoint server(TlsEndpoint::server(pair.crypto, pair.server_config(credentials)));
  const std::string early = "QUIT\r\n";
  EXPECT_EQ(client.endpoint.write(wire::as_bytes(early)), early.size());
  EXPECT_EQ(client.endpoint.state(), TlsState::Handshaking);
  shuttle(client, server);
  EXPECT_EQ(as_text(server.received), early);
}

TEST(TlsHandshake, WriteAcceptsAtMostTheOutgoingLimit) {
  TlsPair pair;
  RecordingEndpoint client(TlsEndpoint::client(pair.crypto, pair.client_config()));
  const wire::Bytes too_much(TlsEndpoint::kOutgoingMax + 10, 'x');
  EXPECT_EQ(client.endpoint.write(too_much), TlsEndpoint::kOutgoingMax);
  EXPECT_EQ(client.endpoint.write(too_much), 0u);  // full until the handshake drains it
}

TEST(TlsHandshake, UnreadPlaintextStopsAtItsLimitAndTheRestFollowsOnRead) {
  Connected c;
  // Two full writes, more than the client keeps decrypted while nobody reads.
  wire::Bytes sent;
  for (int i = 0; i < 2; ++i) {
    const wire::Bytes chunk(TlsEndpoint::kOutgoingMax, static_cast<std::uint8_t>('a' + i));
    ASSERT_EQ(c.server.endpoint.write(chunk), chunk.size());
    c.client.endpoint.feed(c.server.endpoint.take_outgoing());
    sent.insert(sent.end(), chunk.begin(), chunk.end());
  }
  const wire::Bytes first = c.client.endpoint.read();
  EXPECT_EQ(first.size(), TlsEndpoint::kPlaintextInMax);
  wire::Bytes all = first;
  const wire::Bytes rest = c.client.endpoint.read();  // decrypted when the first read made room
  all.insert(all.end(), rest.begin(), rest.end());
  EXPECT_EQ(all, sent);
  EXPECT_TRUE(c.client.endpoint.read().empty());
}

TEST(TlsHandshake, HookMayWriteWhenTheServerIsEstablished) {
  // An SMTPS server sends its greeting as soon as TLS is up, from the state hook.
  TlsPair pair;
  const Credentials credentials = issue(pair.ca, pair.good_request());
  RecordingEndpoint client(TlsEndpoint::client(pair.crypto, pair.client_config()));
  auto created = TlsEndpoint::server(pair.crypto, pair.server_config(credentials));
  ASSERT_TRUE(created.ok());
  RecordingEndpoint server(std::move(created));
  TlsHooks hooks;
  TlsEndpoint* endpoint = &server.endpoint;
  hooks.on_state_change = [endpoint](TlsState, TlsState to) {
    if (to == TlsState::Established) endpoint->write(wire::as_bytes("220 ready\r\n"));
  };
  server.endpoint.set_hooks(std::move(hooks));
  shuttle(client, server);
  EXPECT_EQ(as_text(client.received), "220 ready\r\n");
}

TEST(TlsKeyLog, Tls13LinesCarryTheClientRandom) {
  Connected c;
  const std::string random = client_random_of(c.client.endpoint);
  std::vector<std::string> labels;
  for (const std::string& line : c.client.keylog.lines()) {
    auto parsed = parse_key_log_line(line);
    ASSERT_TRUE(parsed.ok()) << line;
    EXPECT_EQ(parsed->client_random, random);
    EXPECT_EQ(parsed->secret.size(), 96u);  // SHA-384 sized secrets for TLS_AES_256_GCM_SHA384
    labels.push_back(parsed->label);
  }
  EXPECT_THAT(labels, UnorderedElementsAre(
                          "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                          "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET"));
  // Both ends derive the same secrets.
  EXPECT_THAT(c.server.keylog.lines(),
              ::testing::UnorderedElementsAreArray(c.client.keylog.lines()));
}

TEST(TlsKeyLog, Tls12HasOneClientRandomLineWithTheMasterSecret) {
  Connected c(TlsVersion::Tls12);
  ASSERT_EQ(c.client.keylog.lines().size(), 1u);
  auto parsed = parse_key_log_line(c.client.keylog.lines()[0]);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->label, "CLIENT_RANDOM");
  EXPECT_EQ(parsed->client_random, client_random_of(c.client.endpoint));
  EXPECT_EQ(parsed->client_random, client_random_of(c.server.endpoint));
  EXPECT_EQ(parsed->secret.size(), 96u);  // the 48-byte master secret
  EXPECT_EQ(c.server.keylog.lines(), c.client.keylog.lines());
}

TEST(TlsDeterminism, SameSeedSameBytesOnTheWire) {
  auto run = [](std::uint64_t seed) {
    Connected c(TlsVersion::Tls13, seed);
    c.client.endpoint.write(wire::as_bytes("EHLO a\r\n"));
    c.server.endpoint.write(wire::as_bytes("250 b\r\n"));
    shuttle(c.client, c.server);
    c.client.endpoint.close();
    shuttle(c.client, c.server);
    return std::make_tuple(c.client.wire_out, c.server.wire_out, c.client.keylog.text(),
                           c.pair.ca.certificate_pem());
  };
  const auto first = run(11);
  const auto second = run(11);
  const auto other = run(12);
  EXPECT_EQ(first, second);
  EXPECT_NE(std::get<0>(first), std::get<0>(other));
  EXPECT_NE(std::get<3>(first), std::get<3>(other));
}

TEST(HandshakeNames, TypesAndHelloRetryRequest) {
  struct Case {
    wire::Bytes message;
    const char* name;
  };
  wire::Bytes hrr = {2, 0, 0, 38, 3, 3};
  const std::array<std::uint8_t, 32> magic = {0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11,
                                              0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
                                              0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E,
                                              0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};
  hrr.insert(hrr.end(), magic.begin(), magic.end());
  // The constant is SHA-256("HelloRetryRequest"), as RFC 8446 defines it.
  std::array<std::uint8_t, 32> digest{};
  const std::string_view label = "HelloRetryRequest";
  ASSERT_EQ(EVP_Digest(label.data(), label.size(), digest.data(), nullptr, EVP_sha256(), nullptr),
            1);
  EXPECT_EQ(digest, magic);
  wire::Bytes plain_server_hello = hrr;
  plain_server_hello[10] ^= 1;
  const Case cases[] = {
      {{1, 0, 0, 0}, "ClientHello"},
      {plain_server_hello, "ServerHello"},
      {hrr, "HelloRetryRequest"},           // RFC 8446 4.1.3 magic random
      {{2, 0, 0, 2, 3, 3}, "ServerHello"},  // too short to hold a random
      {{8}, "EncryptedExtensions"},
      {{11}, "Certificate"},
      {{12}, "ServerKeyExchange"},
      {{14}, "ServerHelloDone"},
      {{15}, "CertificateVerify"},
      {{16}, "ClientKeyExchange"},
      {{20}, "Finished"},
      {{4}, "NewSessionTicket"},
      {{24}, "KeyUpdate"},
      {{99}, "Handshake(99)"},  // unassigned type
      {{}, "Handshake"},        // nothing at all
  };
  for (const Case& test : cases)
    EXPECT_EQ(handshake_message_name(test.message), test.name);
}

TEST(HandshakeNames, AlertNamesFollowTheRfc) {
  EXPECT_EQ(alert_name(0), "close_notify");
  EXPECT_EQ(alert_name(42), "bad_certificate");
  EXPECT_EQ(alert_name(48), "unknown_ca");
  EXPECT_EQ(alert_name(116), "certificate_required");  // TLS 1.3 only
  EXPECT_EQ(alert_name(255), "alert(255)");            // unassigned
}

}  // namespace
}  // namespace mailscope::tls::testing
