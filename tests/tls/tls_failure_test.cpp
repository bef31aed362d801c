// What goes wrong on the wire: bytes that are not TLS, damaged records, bad configurations, and
// the orderly end of a connection with close_notify.

#include <gmock/gmock.h>

#include "tls_test_world.h"

namespace mailscope::tls::testing {
namespace {

using ::testing::ElementsAre;

struct Established {
  Established()
      : credentials(issue(pair.ca, pair.good_request())),
        client(TlsEndpoint::client(pair.crypto, pair.client_config())),
        server(TlsEndpoint::server(pair.crypto, pair.server_config(credentials))) {
    shuttle(client, server);
    EXPECT_EQ(client.endpoint.state(), TlsState::Established);
    EXPECT_EQ(server.endpoint.state(), TlsState::Established);
  }

  TlsPair pair;
  Credentials credentials;
  RecordingEndpoint client;
  RecordingEndpoint server;
};

TEST(TlsGarbage, ServerFedSomethingOtherThanAClientHello) {
  struct Case {
    const char* title;
    wire::Bytes input;
    TlsState state;
    const char* failure;
    std::vector<std::string> alerts;  // what the server sends back
  };
  const auto bytes = [](std::string_view text) { return wire::Bytes(text.begin(), text.end()); };
  const Case cases[] = {
      // A plaintext SMTP client talking to port 465.
      {"plaintext SMTP",
       bytes("EHLO client.example.test\r\n"),
       TlsState::Failed,
       "wrong version number",
       {}},
      // A handshake record header announcing more than 2^14 + 2048 bytes.
      {"oversized record",
       {0x16, 0x03, 0x01, 0xff, 0xff},
       TlsState::Failed,
       "packet length too long",
       {"sent fatal record_overflow"}},
      // A well-formed record holding a handshake message that is not a ClientHello.
      {"Finished first",
       {0x16, 0x03, 0x01, 0x00, 0x04, 20, 0, 0, 0},
       TlsState::Failed,
       "unexpected message",
       {"sent fatal unexpected_message"}},
      // Too short to judge: the server waits for more.
      {"one byte", {0x16}, TlsState::Handshaking, "", {}},
      // Nothing at all.
      {"empty", {}, TlsState::Handshaking, "", {}},
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(test.title);
    TlsPair pair;
    const Credentials credentials = issue(pair.ca, pair.good_request());
    RecordingEndpoint server(TlsEndpoint::server(pair.crypto, pair.server_config(credentials)));
    server.endpoint.feed(test.input);
    server.endpoint.take_outgoing();
    EXPECT_EQ(server.endpoint.state(), test.state);
    EXPECT_EQ(server.endpoint.info().failure, test.failure);
    EXPECT_EQ(server.alerts, test.alerts);
    EXPECT_TRUE(server.endpoint.read().empty());
  }
}

TEST(TlsGarbage, ClientFedGarbageInsteadOfAServerHello) {
  TlsPair pair;
  RecordingEndpoint client(TlsEndpoint::client(pair.crypto, pair.client_config()));
  EXPECT_FALSE(client.endpoint.take_outgoing().empty());  // the ClientHello
  client.endpoint.feed(wire::as_bytes("220 mx.example.test ESMTP\r\n"));
  EXPECT_EQ(client.endpoint.state(), TlsState::Failed);
  EXPECT_EQ(client.endpoint.info().failure, "wrong version number");
  EXPECT_THAT(client.states, ElementsAre("HANDSHAKING -> FAILED"));
}

TEST(TlsGarbage, DamagedRecordFailsTheConnection) {
  Established e;
  e.client.endpoint.write(wire::as_bytes("DATA\r\n"));
  wire::Bytes record = e.client.endpoint.take_outgoing();
  ASSERT_GT(record.size(), 10u);
  record[record.size() - 3] ^= 0x01;  // inside the AEAD tag
  e.server.endpoint.feed(record);
  EXPECT_EQ(e.server.endpoint.state(), TlsState::Failed);
  EXPECT_EQ(e.server.endpoint.info().failure, "decryption failed or bad record mac");
  EXPECT_THAT(e.server.alerts, ElementsAre("sent fatal bad_record_mac"));
  EXPECT_TRUE(e.server.endpoint.read().empty());  // nothing of the damaged record leaks out
  // A failed endpoint ignores input and accepts no data.
  e.server.endpoint.feed(wire::as_bytes("more"));
  EXPECT_EQ(e.server.endpoint.write(wire::as_bytes("x")), 0u);
  // The client hears the alert and fails too.
  e.client.endpoint.feed(e.server.endpoint.take_outgoing());
  EXPECT_EQ(e.client.endpoint.state(), TlsState::Failed);
  EXPECT_EQ(e.client.endpoint.info().failure, "sslv3 alert bad record mac");  // OpenSSL's wording
}

TEST(TlsClose, ClientClosesFirst) {
  Established e;
  e.client.endpoint.write(wire::as_bytes("QUIT\r\n"));
  e.client.endpoint.close();
  EXPECT_EQ(e.client.endpoint.state(), TlsState::Closing);
  EXPECT_EQ(e.client.endpoint.write(wire::as_bytes("late")), 0u);
  shuttle(e.client, e.server);
  // Data written before close() arrives before the close_notify.
  EXPECT_EQ(as_text(e.server.received), "QUIT\r\n");
  EXPECT_EQ(e.server.endpoint.state(), TlsState::Closed);
  EXPECT_EQ(e.client.endpoint.state(), TlsState::Closed);
  EXPECT_THAT(e.client.alerts,
              ElementsAre("sent warning close_notify", "received warning close_notify"));
  EXPECT_THAT(e.server.alerts,
              ElementsAre("received warning close_notify", "sent warning close_notify"));
  EXPECT_THAT(e.client.states, ElementsAre("HANDSHAKING -> ESTABLISHED", "ESTABLISHED -> CLOSING",
                                           "CLOSING -> CLOSED"));
  EXPECT_THAT(e.server.states, ElementsAre("HANDSHAKING -> ESTABLISHED", "ESTABLISHED -> CLOSED"));
  for (RecordingEndpoint* side : {&e.client, &e.server}) {
    EXPECT_TRUE(side->endpoint.info().close_notify_sent);
    EXPECT_TRUE(side->endpoint.info().close_notify_received);
    EXPECT_TRUE(side->endpoint.info().failure.empty());
  }
}

TEST(TlsClose, ServerClosesFirstAndTheClientStillReadsWhatCameBefore) {
  for (TlsVersion version : {TlsVersion::Tls13, TlsVersion::Tls12}) {
    SCOPED_TRACE(to_string(version));
    TlsPair pair;
    const Credentials credentials = issue(pair.ca, pair.good_request());
    TlsClientConfig config = pair.client_config();
    config.max_version = version;
    RecordingEndpoint client(TlsEndpoint::client(pair.crypto, config));
    RecordingEndpoint server(TlsEndpoint::server(pair.crypto, pair.server_config(credentials)));
    shuttle(client, server);
    server.endpoint.write(wire::as_bytes("221 bye\r\n"));
    server.endpoint.close();
    shuttle(client, server);
    EXPECT_EQ(as_text(client.received), "221 bye\r\n");
    EXPECT_EQ(client.endpoint.state(), TlsState::Closed);
    EXPECT_EQ(server.endpoint.state(), TlsState::Closed);
  }
}

TEST(TlsClose, ClosingDuringTheHandshakeSendsNothing) {
  TlsPair pair;
  RecordingEndpoint client(TlsEndpoint::client(pair.crypto, pair.client_config()));
  client.endpoint.close();
  EXPECT_EQ(client.endpoint.state(), TlsState::Closed);
  EXPECT_TRUE(client.endpoint.take_outgoing().empty());  // not even a ClientHello
  EXPECT_EQ(client.endpoint.write(wire::as_bytes("x")), 0u);
  EXPECT_FALSE(client.endpoint.info().close_notify_sent);
}

TEST(TlsConfig, InvalidConfigurationsAreErrors) {
  TlsPair pair;
  const Credentials credentials = issue(pair.ca, pair.good_request());
  const Credentials other = issue(pair.ca, pair.good_request());

  TlsClientConfig inverted = pair.client_config();
  inverted.min_version = TlsVersion::Tls13;
  inverted.max_version = TlsVersion::Tls12;
  auto client = TlsEndpoint::client(pair.crypto, inverted);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().where, "min_version");

  TlsClientConfig bad_name = pair.client_config();
  bad_name.server_name = "mx example";
  client = TlsEndpoint::client(pair.crypto, bad_name);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().where, "server_name");

  // A certificate with the key of another certificate.
  auto server = TlsEndpoint::server(
      pair.crypto, TlsServerConfig{Credentials{credentials.certificate, other.key}});
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.error().where, "credentials");
}

TEST(TlsConfig, ClientAtLeast13AgainstServerAtMost12) {
  TlsPair pair;
  const Credentials credentials = issue(pair.ca, pair.good_request());
  TlsClientConfig config = pair.client_config();
  config.min_version = TlsVersion::Tls13;
  TlsServerConfig server_config = pair.server_config(credentials);
  server_config.max_version = TlsVersion::Tls12;
  RecordingEndpoint client(TlsEndpoint::client(pair.crypto, config));
  RecordingEndpoint server(TlsEndpoint::server(pair.crypto, server_config));
  shuttle(client, server);
  EXPECT_EQ(server.endpoint.state(), TlsState::Failed);
  EXPECT_EQ(server.endpoint.info().failure, "unsupported protocol");
  EXPECT_THAT(server.alerts, ElementsAre("sent fatal protocol_version"));
  EXPECT_EQ(client.endpoint.state(), TlsState::Failed);
}

}  // namespace
}  // namespace mailscope::tls::testing
