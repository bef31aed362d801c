// Real sockets against the simulated mail servers: raw SMTP dialogues through the bridge.

#include <gtest/gtest.h>

#include <algorithm>

#include "bridge_world.h"
#include "real_client.h"

namespace mailscope::bridge::testing {
namespace {

// Exposes mx.b.test:25 on a free port and runs the world.
struct Port25 {
  BridgeWorld world;
  std::uint16_t port = 0;
  Port25() {
    auto exposed = world.bridge->expose(*world.mx_b, 25, 0);
    EXPECT_TRUE(exposed.ok()) << (exposed.ok() ? "" : exposed.error().to_string());
    port = exposed.ok() ? *exposed : 0;
    world.run();
  }
};

// The SMTP lines of the trace on flows from the external client, "C: " / "S: " prefixed.
std::vector<std::string> dialogue(BridgeWorld& world) {
  return world.on_loop([&] {
    std::vector<std::string> out;
    const Trace& trace = world.sim.trace();
    const NodeId client = world.bridge->client_host().id();
    for (const TraceEvent& e : trace.events()) {
      if (e.layer != Layer::Application || e.flow == kNoFlow) continue;
      if (e.kind != EventKind::Request && e.kind != EventKind::Response) continue;
      const FlowInfo& flow = trace.flow(e.flow);
      if (flow.application != "smtp" || flow.client != client) continue;
      const auto bytes = trace.message(e);
      std::string text(bytes.begin(), bytes.end());
      if (text.size() > 2) text.resize(text.size() - 2);  // the last CRLF
      out.push_back((e.kind == EventKind::Request ? "C: " : "S: ") + text);
    }
    return out;
  });
}

TEST(SmtpBridge, RawDialogueGetsTheServersExactRepliesAndStoresTheMessage) {
  Port25 t;
  RealClient c(t.port);
  ASSERT_TRUE(c.connected());
  EXPECT_EQ(c.reply(), "220 mx.b.test ESMTP MailScope\r\n");
  EXPECT_EQ(c.command("EHLO student.example\r\n"),
            "250-mx.b.test\r\n"
            "250-PIPELINING\r\n"
            "250-SIZE 10240000\r\n"
            "250-STARTTLS\r\n"
            "250-ENHANCEDSTATUSCODES\r\n"
            "250 8BITMIME\r\n");
  EXPECT_EQ(c.command("MAIL FROM:<alice@a.test>\r\n"), "250 2.1.0 Ok\r\n");
  EXPECT_EQ(c.command("RCPT TO:<bob@b.test>\r\n"), "250 2.1.5 Ok\r\n");
  EXPECT_EQ(c.command("DATA\r\n"), "354 End data with <CR><LF>.<CR><LF>\r\n");
  const std::string reply = c.command(
      "From: alice@a.test\r\nTo: bob@b.test\r\nSubject: over the bridge\r\n\r\nHi Bob.\r\n.\r\n");
  EXPECT_EQ(reply, "250 2.0.0 Ok: queued as 0000000001\r\n");
  EXPECT_EQ(c.command("QUIT\r\n"), "221 2.0.0 Bye\r\n");
  // The server closed after 221; the bridge passes its FIN on, and ours back.
  EXPECT_TRUE(c.at_end());
  c.close();

  ASSERT_TRUE(t.world.wait_for([&] { return t.world.bridge->connection_count() == 0; }));
  const auto inbox = t.world.inbox(t.world.storage_b, "bob");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_NE(inbox[0].find("Subject: over the bridge\r\n"), std::string::npos);
  EXPECT_NE(inbox[0].find("\r\n\r\nHi Bob.\r\n"), std::string::npos);

  // The trace holds the session like a simulated one, the real client's lines included.
  const auto lines = dialogue(t.world);
  ASSERT_GE(lines.size(), 12u);
  EXPECT_EQ(lines[0], "S: 220 mx.b.test ESMTP MailScope");
  EXPECT_EQ(lines[1], "C: EHLO student.example");
  EXPECT_EQ(lines.back(), "S: 221 2.0.0 Bye");
}

TEST(SmtpBridge, RelayThroughPort25IsDenied) {
  Port25 t;
  RealClient c(t.port);
  ASSERT_TRUE(c.connected());
  c.reply();
  c.command("EHLO spammer.example\r\n");
  EXPECT_EQ(c.command("MAIL FROM:<spammer@evil.example>\r\n"), "250 2.1.0 Ok\r\n");
  // An unauthenticated client asks the MTA to pass mail on to another domain.
  EXPECT_EQ(c.command("RCPT TO:<victim@elsewhere.example>\r\n"),
            "554 5.7.1 <victim@elsewhere.example>: Relay access denied\r\n");
  EXPECT_EQ(c.command("QUIT\r\n"), "221 2.0.0 Bye\r\n");
}

TEST(SmtpBridge, ClientThatVanishesMidDataLosesNothingAlreadyAccepted) {
  Port25 t;
  RealClient c(t.port);
  ASSERT_TRUE(c.connected());
  c.reply();
  c.command("EHLO student.example\r\n");
  c.command("MAIL FROM:<alice@a.test>\r\n");
  c.command("RCPT TO:<bob@b.test>\r\n");
  c.command("DATA\r\n");
  EXPECT_EQ(c.command("Subject: first\r\n\r\nkept\r\n.\r\n").substr(0, 3), "250");
  c.command("MAIL FROM:<alice@a.test>\r\n");
  c.command("RCPT TO:<bob@b.test>\r\n");
  EXPECT_EQ(c.command("DATA\r\n").substr(0, 3), "354");
  ASSERT_TRUE(c.send("Subject: second\r\n\r\nhalf a message, and then the laptop lid clo"));
  c.reset();  // the client is gone without a word

  ASSERT_TRUE(t.world.wait_for([&] {
    return t.world.bridge->connection_count() == 0 && t.world.server_b->session_count() == 0;
  }));
  const auto inbox = t.world.inbox(t.world.storage_b, "bob");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_NE(inbox[0].find("Subject: first\r\n"), std::string::npos);
}

TEST(SmtpBridge, LargeMessageFromAFastClientArrivesWhole) {
  Port25 t;
  RealClient c(t.port);
  ASSERT_TRUE(c.connected());
  c.reply();
  c.command("EHLO student.example\r\n");
  c.command("MAIL FROM:<alice@a.test>\r\n");
  c.command("RCPT TO:<bob@b.test>\r\n");
  c.command("DATA\r\n");
  // 2 MB at once: far more than the virtual send buffer, so the bridge must hold the client back.
  std::string body = "Subject: big\r\n\r\n";
  for (int i = 0; i < 20'000; ++i)
    body += std::string(98, 'a' + static_cast<char>(i % 26)) + "\r\n";
  ASSERT_TRUE(c.send(body + ".\r\n"));
  EXPECT_EQ(c.reply().substr(0, 3), "250");
  EXPECT_EQ(c.command("QUIT\r\n"), "221 2.0.0 Bye\r\n");
  const auto inbox = t.world.inbox(t.world.storage_b, "bob");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_NE(inbox[0].find(body.substr(16)), std::string::npos);
}

TEST(SmtpBridge, TwoHundredSimultaneousConnections) {
  Port25 t;
  constexpr int kClients = 200;
  std::vector<std::unique_ptr<RealClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<RealClient>(t.port));
    ASSERT_TRUE(clients.back()->connected()) << i;
  }
  // Every step goes to all clients before any reply is read, so all sessions are open at once.
  const auto step = [&](const std::function<std::string(int)>& text, const std::string& expect) {
    for (int i = 0; i < kClients; ++i) {
      if (!text(i).empty()) {
        ASSERT_TRUE(clients[i]->send(text(i)));
      }
    }
    for (int i = 0; i < kClients; ++i) {
      ASSERT_EQ(clients[i]->reply().substr(0, expect.size()), expect) << "client " << i;
    }
  };
  step([](int) { return std::string(); }, "220 mx.b.test");
  EXPECT_EQ(t.world.on_loop([&] { return t.world.server_b->session_count(); }),
            std::size_t{kClients});
  step([](int i) { return "HELO c" + std::to_string(i) + ".example\r\n"; }, "250 mx.b.test");
  step([](int) { return "MAIL FROM:<alice@a.test>\r\n"; }, "250 2.1.0");
  step([](int) { return "RCPT TO:<bob@b.test>\r\n"; }, "250 2.1.5");
  step([](int) { return "DATA\r\n"; }, "354");
  step([](int i) { return "Subject: n" + std::to_string(i) + "\r\n\r\nx\r\n.\r\n"; }, "250 2.0.0");
  step([](int) { return "QUIT\r\n"; }, "221");
  EXPECT_EQ(t.world.inbox_size(t.world.storage_b, "bob"), std::size_t{kClients});
  EXPECT_EQ(t.world.on_loop([&] { return t.world.bridge->stats().accepted; }), kClients);
}

TEST(SmtpBridge, ConnectionToAClosedVirtualPortIsResetForTheRealClient) {
  BridgeWorld world;
  // Nothing listens on mx.b.test:2525: the virtual SYN is answered with RST.
  auto exposed = world.bridge->expose("mx.b.test:2525", world.mx_b->address(), 2525, 0, "");
  ASSERT_TRUE(exposed.ok());
  world.run();
  RealClient c(*exposed);
  ASSERT_TRUE(c.connected());
  EXPECT_EQ(c.line(), "");
  EXPECT_TRUE(world.wait_for([&] { return world.bridge->connection_count() == 0; }));
}

TEST(SmtpBridge, GracefulStopClosesSessionsThroughTheServer) {
  Port25 t;
  RealClient c(t.port);
  ASSERT_TRUE(c.connected());
  EXPECT_EQ(c.reply(), "220 mx.b.test ESMTP MailScope\r\n");
  std::promise<void> stopped;
  boost::asio::post(t.world.io, [&] {
    t.world.bridge->shut_down(std::chrono::seconds(30), [&] { stopped.set_value(); });
  });
  // The virtual connection closes first (the server answers our FIN with its own); then the real
  // client sees the end of the stream.
  EXPECT_TRUE(c.at_end());
  EXPECT_EQ(stopped.get_future().wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_EQ(t.world.on_loop([&] { return t.world.bridge->connection_count(); }), 0u);
  // No new connections are accepted.
  RealClient late(t.port);
  EXPECT_FALSE(late.connected() && !late.at_end());
}

// Notes the bridge recorded on the external client.
std::vector<std::string> bridge_notes(BridgeWorld& world) {
  return world.on_loop([&] {
    std::vector<std::string> out;
    const Trace& trace = world.sim.trace();
    for (const TraceEvent& e : trace.events()) {
      if (e.node == world.bridge->client_host().id() && e.kind == EventKind::Note) {
        out.emplace_back(trace.text(e));
      }
    }
    return out;
  });
}

bool has_note(const std::vector<std::string>& notes, const std::string& text) {
  return std::find(notes.begin(), notes.end(), text) != notes.end();
}

TEST(SmtpBridge, SilentClientIsResetAfterTheIdleTimeout) {
  WorldOptions options;
  options.bridge.idle_timeout = std::chrono::milliseconds(300);
  BridgeWorld world(options);
  const auto port = world.bridge->expose(*world.mx_b, 25, 0);
  ASSERT_TRUE(port.ok());
  world.run();
  RealClient c(*port);
  EXPECT_EQ(c.reply(), "220 mx.b.test ESMTP MailScope\r\n");
  // The client says nothing more; the bridge gives up on it, well before the server's 5 minutes.
  EXPECT_EQ(c.line(), "");
  ASSERT_TRUE(world.wait_for([&] { return world.bridge->connection_count() == 0; }));
  EXPECT_TRUE(has_note(bridge_notes(world),
                       "no traffic for 300 ms of wall time: the bridge reset the connection"));
  // The RST crosses the virtual LAN; then the server forgets the session too.
  EXPECT_TRUE(world.wait_for([&] { return world.server_b->session_count() == 0; }));
}

// The idle deadline moves with each read and write rather than re-arming the timer: a client
// that keeps talking outlives several idle periods, and is reset once it falls silent.
TEST(SmtpBridge, ClientThatKeepsTalkingOutlivesTheIdleTimeout) {
  WorldOptions options;
  options.bridge.idle_timeout = std::chrono::milliseconds(300);
  BridgeWorld world(options);
  const auto port = world.bridge->expose(*world.mx_b, 25, 0);
  ASSERT_TRUE(port.ok());
  world.run();
  RealClient c(*port);
  EXPECT_EQ(c.reply(), "220 mx.b.test ESMTP MailScope\r\n");
  // Six NOOPs 120 ms apart: 720 ms of traffic, more than two idle periods, never 300 ms silent.
  for (int i = 0; i < 6; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(120));
    EXPECT_EQ(c.command("NOOP\r\n"), "250 2.0.0 Ok\r\n") << i;
  }
  EXPECT_FALSE(has_note(bridge_notes(world),
                        "no traffic for 300 ms of wall time: the bridge reset the connection"));
  // Silence now: the reset follows.
  EXPECT_EQ(c.line(), "");
  ASSERT_TRUE(world.wait_for([&] { return world.bridge->connection_count() == 0; }));
  EXPECT_TRUE(has_note(bridge_notes(world),
                       "no traffic for 300 ms of wall time: the bridge reset the connection"));
}

TEST(SmtpBridge, ServerOutputBeyondTheCapResetsTheConnection) {
  WorldOptions options;
  // Room for the greeting (31 bytes) but not for the EHLO reply (about 110).
  options.bridge.to_client_bytes_max = 100;
  BridgeWorld world(options);
  const auto port = world.bridge->expose(*world.mx_b, 25, 0);
  ASSERT_TRUE(port.ok());
  world.run();
  RealClient c(*port);
  EXPECT_EQ(c.reply(), "220 mx.b.test ESMTP MailScope\r\n");
  EXPECT_EQ(c.command("EHLO student.example\r\n"), "");
  ASSERT_TRUE(world.wait_for([&] { return world.bridge->connection_count() == 0; }));
  EXPECT_TRUE(has_note(bridge_notes(world),
                       "the real client reads too slowly (more than 100 bytes waiting): reset"));
}

}  // namespace
}  // namespace mailscope::bridge::testing
