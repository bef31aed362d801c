// Submission on 587 (STARTTLS + AUTH), 465 (implicit TLS) and in plaintext, and same-domain
// delivery: the MSA stores the message straight into the recipient's mailbox.

#include <gtest/gtest.h>

#include <algorithm>

#include "mail_world.h"

namespace mailscope::services {
namespace {

using testing::contains;
using testing::dialogue;
using testing::events_of;
using testing::MailWorld;

const std::vector<std::string> kEhloBeforeTls = {
    "S: 250-mail.a.test", "S: 250-PIPELINING",          "S: 250-SIZE 10240000",
    "S: 250-STARTTLS",    "S: 250-ENHANCEDSTATUSCODES", "S: 250 8BITMIME",
};
const std::vector<std::string> kEhloAfterTls = {
    "S: 250-mail.a.test",      "S: 250-PIPELINING",          "S: 250-SIZE 10240000",
    "S: 250-AUTH PLAIN LOGIN", "S: 250-ENHANCEDSTATUSCODES", "S: 250 8BITMIME",
};

std::vector<std::string> concat(std::initializer_list<std::vector<std::string>> parts) {
  std::vector<std::string> out;
  for (const auto& part : parts)
    out.insert(out.end(), part.begin(), part.end());
  return out;
}

// The first L7 event of a kind whose bytes start with `prefix`, or kNoEvent.
EventId find_l7(const Trace& trace, EventKind kind, std::string_view prefix) {
  for (EventId id = 0; id < trace.size(); ++id) {
    const TraceEvent& e = trace.event(id);
    if (e.layer == Layer::Application && e.kind == kind &&
        testing::event_text(trace, e).starts_with(prefix)) {
      return id;
    }
  }
  return kNoEvent;
}

TEST(Submission, SameDomainDeliveryOverStartTlsAndAuth) {
  MailWorld w;
  auto result = w.submit({"carol@a.test"}, "Lunch");
  w.sim.run();
  ASSERT_TRUE(result->accepted) << result->report.finished.reason;
  EXPECT_EQ(result->reply, smtp::make_reply(250, "2.0.0", "Ok: queued as 0000000001"));

  // The whole dialogue, as each side's program saw it (the pcap shows ciphertext after STARTTLS).
  const auto expected = concat({
      {"S: 220 mail.a.test ESMTP MailScope", "C: EHLO pc.a.test"},
      kEhloBeforeTls,
      {"C: STARTTLS", "S: 220 2.0.0 Ready to start TLS", "C: EHLO pc.a.test"},
      kEhloAfterTls,
      {"C: AUTH PLAIN AGFsaWNlAGFsaWNlLXNlY3JldA==", "S: 235 2.7.0 Authentication successful",
       "C: MAIL FROM:<alice@a.test> SIZE=220", "C: RCPT TO:<carol@a.test>", "C: DATA",
       "S: 250 2.1.0 Ok", "S: 250 2.1.5 Ok", "S: 354 End data with <CR><LF>.<CR><LF>",
       "C: <content>", "S: 250 2.0.0 Ok: queued as 0000000001", "C: QUIT", "S: 221 2.0.0 Bye"},
  });
  EXPECT_EQ(dialogue(w.sim.trace(), *w.alice_pc, *w.mail_a), expected);

  // Same domain: stored at once, no second server, no relay attempt.
  EXPECT_EQ(events_of(w.sim.trace(), EventKind::MailDelivered, w.mail_a),
            std::vector<std::string>{"0000000001 delivered to carol@a.test INBOX uid=1 size=494"});
  for (const auto& note : events_of(w.sim.trace(), EventKind::Note, w.mail_a))
    EXPECT_FALSE(contains(note, "connecting to")) << note;
  for (FlowId f = 1; f < w.sim.trace().flow_count(); ++f)
    EXPECT_NE(w.sim.trace().flow(f).client, w.mail_a->id()) << "the MSA opened a connection";
  EXPECT_EQ(w.storage_a.queue().size(), 0u);

  // The stored message: Return-Path and Received on top, Date and Message-ID added by the MSA,
  // the body unchanged (the lone dot survived dot-stuffing both ways).
  const auto inbox = w.inbox(w.storage_a, "carol");
  ASSERT_EQ(inbox.size(), 1u);
  const mail::Message stored = mail::Message::parse(*inbox[0].bytes);
  ASSERT_GE(stored.fields().size(), 4u);
  EXPECT_EQ(stored.fields()[0].name, "Return-Path");
  EXPECT_EQ(stored.fields()[0].value, "<alice@a.test>");
  EXPECT_EQ(stored.fields()[1].name, "Received");
  EXPECT_EQ(stored.fields()[1].value,
            "from pc.a.test (pc.a.test [10.0.1.10])\tby mail.a.test with ESMTPSA id 0000000001"
            "\tfor <carol@a.test>; Thu, 01 Jan 2026 09:00:00 +0000");
  ASSERT_NE(stored.field("Date"), nullptr);
  EXPECT_EQ(stored.field("Date")->value, "Thu, 01 Jan 2026 09:00:00 +0000");
  ASSERT_NE(stored.field("Message-ID"), nullptr);
  EXPECT_TRUE(contains(stored.field("Message-ID")->value, "@mail.a.test>"));
  EXPECT_EQ(stored.body_bytes(),
            "Hello,\r\nthis is a test.\r\n.\r\nA line with a lone dot above.\r\n");
}

TEST(Submission, L7TlsAndL4EventsAreLinked) {
  MailWorld w;
  auto result = w.submit({"carol@a.test"}, "Links");
  w.sim.run();
  ASSERT_TRUE(result->accepted);
  const Trace& trace = w.sim.trace();
  const EventId auth = find_l7(trace, EventKind::Request, "AUTH PLAIN ");
  ASSERT_NE(auth, kNoEvent);
  EXPECT_EQ(trace.event(auth).detail & kDetailSecret, kDetailSecret) << "AUTH carries a password";
  EXPECT_EQ(trace.event(auth).node, w.alice_pc->id());
  EXPECT_EQ(trace.event(find_l7(trace, EventKind::Request, "EHLO ")).detail, 0);
  // AUTH (L7) -> one TLS record (TLS send, data = the record) -> the L4 segment carrying it.
  EventId record = kNoEvent;
  for (EventId id = auth + 1; id < trace.size() && record == kNoEvent; ++id) {
    const TraceEvent& e = trace.event(id);
    if (e.layer == Layer::Tls && e.kind == EventKind::Send && e.parent == auth) record = id;
  }
  ASSERT_NE(record, kNoEvent);
  const auto record_bytes = trace.message(trace.event(record));
  ASSERT_GE(record_bytes.size(), 5u);
  EXPECT_EQ(record_bytes[0], 23) << "application_data record";
  bool carried = false;
  for (EventId id = record + 1; id < trace.size(); ++id) {
    const TraceEvent& e = trace.event(id);
    carried |= e.layer == Layer::Transport && e.kind == EventKind::Send && e.parent == record;
  }
  EXPECT_TRUE(carried);
  // The server's 235 answers the segment that delivered the AUTH: its parent is an L4 receive.
  const EventId ok = find_l7(trace, EventKind::Response, "235 ");
  ASSERT_NE(ok, kNoEvent);
  const TraceEvent& cause = trace.event(trace.event(ok).parent);
  EXPECT_EQ(cause.layer, Layer::Transport);
  EXPECT_EQ(cause.kind, EventKind::Receive);
  EXPECT_EQ(cause.node, w.mail_a->id());
  // Each side recorded the handshake and "TLS established" once.
  const auto tls_states = [&](const net::Host& node) {
    std::vector<std::string> out;
    for (const TraceEvent& e : trace.events()) {
      if (e.layer == Layer::Tls && e.kind == EventKind::StateChange && e.node == node.id())
        out.emplace_back(trace.text(e));
    }
    return out;
  };
  EXPECT_EQ(
      tls_states(*w.alice_pc),
      (std::vector<std::string>{"TLS established: TLSv1.3 TLS_AES_256_GCM_SHA384", "TLS closed"}));
  EXPECT_EQ(tls_states(*w.mail_a), tls_states(*w.alice_pc));
  EXPECT_EQ(trace.flow(trace.event(auth).flow).application, "smtp");
  // Secrets for Wireshark: five TLS 1.3 lines per connection, collected by the world.
  EXPECT_EQ(w.tls->key_log.lines().size(), 10u) << "client and server each log five";
}

TEST(Submission, CertificateVerifiesAgainstTheScenarioCa) {
  MailWorld w;
  auto result = w.submit({"carol@a.test"}, "Trust");
  w.sim.run();
  ASSERT_TRUE(result->report.tls.has_value());
  const tls::TlsInfo& info = *result->report.tls;
  EXPECT_TRUE(info.verification.ok()) << info.verification.message;
  ASSERT_TRUE(info.peer_certificate.has_value());
  EXPECT_EQ(info.peer_certificate->subject, "CN=mail.a.test, O=Mail tests");
  EXPECT_EQ(info.peer_certificate->issuer, "CN=MailScope Scenario CA, O=Mail tests");
  EXPECT_EQ(info.peer_certificate->dns_names, std::vector<std::string>{"mail.a.test"});
  bool noted = false;
  for (const TraceEvent& e : w.sim.trace().events()) {
    noted |= e.layer == Layer::Tls && e.kind == EventKind::Note && e.node == w.alice_pc->id() &&
             w.sim.trace().text(e) ==
                 "certificate CN=mail.a.test, O=Mail tests issued by CN=MailScope Scenario CA, "
                 "O=Mail tests: verified for mail.a.test";
  }
  EXPECT_TRUE(noted);
}

TEST(Submission, ImplicitTlsOnPort465) {
  MailWorld w;
  auto result =
      w.submit({"carol@a.test"}, "Implicit", w.alice_submission(SubmissionSecurity::ImplicitTls));
  w.sim.run();
  ASSERT_TRUE(result->accepted) << result->report.finished.reason;
  const auto expected = concat({
      {"S: 220 mail.a.test ESMTP MailScope", "C: EHLO pc.a.test"},
      kEhloAfterTls,
      {"C: AUTH PLAIN AGFsaWNlAGFsaWNlLXNlY3JldA==", "S: 235 2.7.0 Authentication successful",
       "C: MAIL FROM:<alice@a.test> SIZE=223", "C: RCPT TO:<carol@a.test>", "C: DATA",
       "S: 250 2.1.0 Ok", "S: 250 2.1.5 Ok", "S: 354 End data with <CR><LF>.<CR><LF>",
       "C: <content>", "S: 250 2.0.0 Ok: queued as 0000000001", "C: QUIT", "S: 221 2.0.0 Bye"},
  });
  EXPECT_EQ(dialogue(w.sim.trace(), *w.alice_pc, *w.mail_a), expected);
  // TLS came first: the ClientHello left before any SMTP byte, on port 465.
  const Trace& trace = w.sim.trace();
  const EventId greeting = find_l7(trace, EventKind::Response, "220 ");
  ASSERT_NE(greeting, kNoEvent);
  bool hello_before = false;
  for (EventId id = 0; id < greeting; ++id) {
    const TraceEvent& e = trace.event(id);
    hello_before |= e.layer == Layer::Tls && trace.text(e) == "ClientHello";
  }
  EXPECT_TRUE(hello_before);
  EXPECT_TRUE(contains(trace.flow(trace.event(greeting).flow).label, ":465"));
  const auto inbox = w.inbox(w.storage_a, "carol");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_TRUE(contains(*inbox[0].bytes, "with ESMTPSA id 0000000001"));
}

TEST(Submission, PlaintextAuthWhenTheLessonAllowsIt) {
  testing::WorldOptions options;
  options.adjust_a = [](MailServerOptions& o) { o.allow_plaintext_auth = true; };
  MailWorld w(1, options);
  auto result =
      w.submit({"carol@a.test"}, "Naked", w.alice_submission(SubmissionSecurity::Plaintext));
  w.sim.run();
  ASSERT_TRUE(result->accepted) << result->report.finished.reason;
  EXPECT_FALSE(result->report.tls.has_value());
  const auto lines = dialogue(w.sim.trace(), *w.alice_pc, *w.mail_a);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "C: AUTH PLAIN AGFsaWNlAGFsaWNlLXNlY3JldA=="),
            lines.end());
  for (const TraceEvent& e : w.sim.trace().events())
    EXPECT_NE(e.layer, Layer::Tls);
  const auto inbox = w.inbox(w.storage_a, "carol");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_TRUE(contains(*inbox[0].bytes, "with ESMTPA id")) << "authenticated, no TLS";
}

TEST(Submission, PlaintextIsRefusedByDefault) {
  MailWorld w;
  auto result =
      w.submit({"carol@a.test"}, "Naked", w.alice_submission(SubmissionSecurity::Plaintext));
  w.sim.run();
  // AUTH is not even offered before STARTTLS, so the password never leaves the client.
  EXPECT_FALSE(result->accepted);
  EXPECT_EQ(result->reply.code, 530);
  EXPECT_EQ(find_l7(w.sim.trace(), EventKind::Request, "AUTH"), kNoEvent);
  EXPECT_TRUE(w.inbox(w.storage_a, "carol").empty());
}

TEST(Submission, WrongPasswordIsAnsweredAfterThePenalty) {
  MailWorld w;
  SubmissionOptions options = w.alice_submission();
  options.credentials = smtp::Credentials{"alice", "guess"};
  auto result = w.submit({"carol@a.test"}, "Guess", options);
  w.sim.run();
  EXPECT_FALSE(result->accepted);
  EXPECT_EQ(result->reply.code, 535);
  const Trace& trace = w.sim.trace();
  const EventId auth = find_l7(trace, EventKind::Request, "AUTH PLAIN");
  const EventId refused = find_l7(trace, EventKind::Response, "535 ");
  ASSERT_NE(auth, kNoEvent);
  ASSERT_NE(refused, kNoEvent);
  // The 535 left a full second after the AUTH arrived (the first failure's penalty).
  EXPECT_GE(trace.event(refused).time - trace.event(auth).time, 1 * kSecond);
  EXPECT_LT(trace.event(refused).time - trace.event(auth).time, 1 * kSecond + 10 * kMillisecond);
  EXPECT_TRUE(w.inbox(w.storage_a, "carol").empty());
}

TEST(Submission, UnknownLocalUserIsRefusedAtRcpt) {
  MailWorld w;
  auto result = w.submit({"nobody@a.test"}, "Hello?");
  w.sim.run();
  EXPECT_FALSE(result->accepted);
  ASSERT_EQ(result->report.recipients.size(), 1u);
  EXPECT_EQ(result->report.recipients[0].reply.code, 550);
  EXPECT_EQ(result->report.recipients[0].reply.enhanced, "5.1.1");
  EXPECT_EQ(w.storage_a.queue().size(), 0u);
  EXPECT_TRUE(events_of(w.sim.trace(), EventKind::MailQueued).empty());
}

}  // namespace
}  // namespace mailscope::services
