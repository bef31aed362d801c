// Cross-domain delivery: the sender's server queues the message, finds the recipient domain's
// mail exchangers and relays server to server; retries, fallbacks, bounces and refusals.

#include <gtest/gtest.h>

#include <algorithm>

#include "mail_world.h"
#include "services/smtp_client_connection.h"

namespace mailscope::services {
namespace {

using testing::contains;
using testing::dialogue;
using testing::events_of;
using testing::MailWorld;
using testing::WorldOptions;

std::vector<std::string> received_by(const mail::Message& message) {
  std::vector<std::string> out;
  for (const mail::HeaderField* f : message.fields_named("Received")) {
    const std::size_t by = f->value.find("by ");
    out.push_back(f->value.substr(by, f->value.find(" id ") - by));
  }
  return out;
}

std::size_t index_of(const Trace& trace, EventKind kind, const net::Host& node,
                     std::string_view prefix) {
  for (EventId id = 0; id < trace.size(); ++id) {
    const TraceEvent& e = trace.event(id);
    if (e.kind == kind && e.node == node.id() &&
        testing::event_text(trace, e).starts_with(prefix)) {
      return id;
    }
  }
  return SIZE_MAX;
}

TEST(Relay, CrossDomainThroughMx) {
  MailWorld w;
  auto result = w.submit({"bob@b.test"}, "Across");
  w.sim.run();
  ASSERT_TRUE(result->accepted);

  // The message was in the queue before the 250 to DATA.
  const Trace& trace = w.sim.trace();
  const std::size_t queued = index_of(trace, EventKind::MailQueued, *w.mail_a, "queued 0000000001");
  const std::size_t ok = index_of(trace, EventKind::Response, *w.mail_a, "250 2.0.0 Ok: queued");
  ASSERT_NE(queued, SIZE_MAX);
  EXPECT_LT(queued, ok);

  // Server to server: port 25, opportunistic STARTTLS, no AUTH.
  const std::vector<std::string> expected = {
      "S: 220 mx1.b.test ESMTP MailScope",
      "C: EHLO mail.a.test",
      "S: 250-mx1.b.test",
      "S: 250-PIPELINING",
      "S: 250-SIZE 10240000",
      "S: 250-STARTTLS",
      "S: 250-ENHANCEDSTATUSCODES",
      "S: 250 8BITMIME",
      "C: STARTTLS",
      "S: 220 2.0.0 Ready to start TLS",
      "C: EHLO mail.a.test",
      "S: 250-mx1.b.test",
      "S: 250-PIPELINING",
      "S: 250-SIZE 10240000",
      "S: 250-ENHANCEDSTATUSCODES",
      "S: 250 8BITMIME",
      "C: MAIL FROM:<alice@a.test> SIZE=463",
      "C: RCPT TO:<bob@b.test>",
      "C: DATA",
      "S: 250 2.1.0 Ok",
      "S: 250 2.1.5 Ok",
      "S: 354 End data with <CR><LF>.<CR><LF>",
      "C: <content>",
      "S: 250 2.0.0 Ok: queued as 0000000001",
      "C: QUIT",
      "S: 221 2.0.0 Bye",
  };
  EXPECT_EQ(dialogue(trace, *w.mail_a, *w.mx1_b), expected);
  EXPECT_EQ(events_of(trace, EventKind::Note, w.mail_a),
            (std::vector<std::string>{
                "0000000001: connecting to mx1.b.test[10.0.2.25]:25, MX 10 of b.test",
                "0000000001 to=<bob@b.test> relayed to mx1.b.test[10.0.2.25] with TLSv1.3: 250 "
                "2.0.0 Ok: queued as 0000000001"}));
  EXPECT_EQ(events_of(trace, EventKind::MailDelivered, w.mx1_b).size(), 1u);
  EXPECT_EQ(w.storage_a.queue().size(), 0u);
  EXPECT_EQ(w.storage_b1.queue().size(), 0u);

  // One Received: per hop, newest first, and the Return-Path of final delivery.
  const auto inbox = w.inbox(w.storage_b1, "bob");
  ASSERT_EQ(inbox.size(), 1u);
  const mail::Message stored = mail::Message::parse(*inbox[0].bytes);
  EXPECT_EQ(stored.fields()[0].value, "<alice@a.test>");
  EXPECT_EQ(received_by(stored),
            (std::vector<std::string>{"by mx1.b.test with ESMTPS", "by mail.a.test with ESMTPSA"}));
  EXPECT_TRUE(contains(stored.fields_named("Received")[0]->value,
                       "from mail.a.test (mail.a.test [10.0.1.25])"));
  // The relay verified mx1's certificate (opportunistic TLS, noted in the trace).
  bool verified = false;
  for (const TraceEvent& e : trace.events()) {
    verified |= e.layer == Layer::Tls && e.kind == EventKind::Note && e.node == w.mail_a->id() &&
                contains(std::string(trace.text(e)), "verified for mx1.b.test");
  }
  EXPECT_TRUE(verified);
}

TEST(Relay, FallsBackToTheSecondaryWhenThePrimaryIsDown) {
  WorldOptions options;
  options.backup_mx = true;
  options.retry.first_retry_ns = 5 * kMinute;
  MailWorld w(1, options);
  w.server_b1->crash();
  w.sim.schedule_at(3 * kMinute, [&] { w.server_b1->restart(); });
  auto result = w.submit({"bob@b.test"}, "Backup");
  w.sim.run();
  ASSERT_TRUE(result->accepted);
  const Trace& trace = w.sim.trace();
  // mail.a.test: mx1 timed out (its SYNs went unanswered for 63 s), then mx2 took the message.
  const auto notes = events_of(trace, EventKind::Note, w.mail_a);
  ASSERT_EQ(notes.size(), 3u);
  EXPECT_EQ(notes[0], "0000000001: connecting to mx1.b.test[10.0.2.25]:25, MX 10 of b.test");
  EXPECT_EQ(notes[1], "0000000001: connecting to mx2.b.test[10.0.2.26]:25, MX 20 of b.test");
  EXPECT_TRUE(notes[2].starts_with("0000000001 to=<bob@b.test> relayed to mx2.b.test[10.0.2.26]"));
  EXPECT_TRUE(events_of(trace, EventKind::MailDeferred, w.mail_a).empty());
  // mx2 is a backup: it passes the message on to mx1 only (never to itself), after mx1 is back.
  const auto deferred = events_of(trace, EventKind::MailDeferred, w.mx2_b);
  ASSERT_EQ(deferred.size(), 1u);
  EXPECT_EQ(deferred[0],
            "0000000001 to=<bob@b.test> deferred: connect to mx1.b.test[10.0.2.25]:25: "
            "connection timed out (next attempt in 5 min)");
  const auto inbox = w.inbox(w.storage_b1, "bob");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_GE(inbox[0].internal_date, 5 * kMinute);
  EXPECT_EQ(received_by(mail::Message::parse(*inbox[0].bytes)),
            (std::vector<std::string>{"by mx1.b.test with ESMTPS", "by mx2.b.test with ESMTPS",
                                      "by mail.a.test with ESMTPSA"}));
  EXPECT_EQ(w.storage_b2.queue().size(), 0u);
}

TEST(Relay, GreylistedThenAccepted) {
  WorldOptions options;
  options.retry.first_retry_ns = 2 * kMinute;
  options.adjust_b = [](MailServerOptions& o) {
    o.faults.greylisting = true;
    o.faults.greylist_delay_ns = 1 * kMinute;
  };
  MailWorld w(1, options);
  auto result = w.submit({"bob@b.test"}, "Grey");
  w.sim.run();
  ASSERT_TRUE(result->accepted);
  EXPECT_EQ(events_of(w.sim.trace(), EventKind::MailDeferred, w.mail_a),
            std::vector<std::string>{
                "0000000001 to=<bob@b.test> deferred: 451 4.7.1 <bob@b.test>: Recipient address "
                "rejected: Greylisted, try again later (next attempt in 2 min)"});
  const auto inbox = w.inbox(w.storage_b1, "bob");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_GE(inbox[0].internal_date, 2 * kMinute);
  // Two sessions to mx1: the first refused at RCPT, the second delivered.
  const auto lines = dialogue(w.sim.trace(), *w.mail_a, *w.mx1_b);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "C: EHLO mail.a.test"), 4);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "C: <content>"), 1);
}

TEST(Relay, UnknownUserBouncesToTheSender) {
  MailWorld w;
  auto result = w.submit({"nobody@b.test"}, "Who are you?");
  w.sim.run();
  ASSERT_TRUE(result->accepted) << "mail.a.test took it; mx1 refuses it later";
  const Trace& trace = w.sim.trace();
  const std::string refusal =
      "550 5.1.1 <nobody@b.test>: Recipient address rejected: User unknown in local recipient "
      "table";
  EXPECT_EQ(events_of(trace, EventKind::MailBounced, w.mail_a),
            std::vector<std::string>{"0000000001 to=<nobody@b.test> bounced: " + refusal});
  EXPECT_TRUE(w.inbox(w.storage_b1, "bob").empty());

  // The bounce: queued with the null reverse path, delivered to alice's INBOX on her server.
  const auto queued = events_of(trace, EventKind::MailQueued, w.mail_a);
  ASSERT_EQ(queued.size(), 2u);
  EXPECT_TRUE(queued[1].starts_with("queued 0000000002 from=<> to=<alice@a.test>")) << queued[1];
  const auto inbox = w.inbox(w.storage_a, "alice");
  ASSERT_EQ(inbox.size(), 1u);
  const mail::Message dsn = mail::Message::parse(*inbox[0].bytes);
  EXPECT_EQ(dsn.fields()[0].value, "<>");
  ASSERT_NE(dsn.field("Subject"), nullptr);
  EXPECT_EQ(dsn.field("Subject")->value, "Undelivered Mail Returned to Sender");
  EXPECT_EQ(dsn.field("From")->value, "Mail Delivery System <MAILER-DAEMON@mail.a.test>");
  const mail::MimePart& root = dsn.root();
  ASSERT_TRUE(root.content_type.is("multipart", "report"));
  EXPECT_EQ(root.content_type.param("report-type"), "delivery-status");
  ASSERT_EQ(root.children.size(), 3u);
  EXPECT_TRUE(root.children[0].content_type.is("text", "plain"));
  EXPECT_TRUE(root.children[1].content_type.is("message", "delivery-status"));
  EXPECT_TRUE(root.children[2].content_type.is("text", "rfc822-headers"));
  const std::string bytes = dsn.bytes();
  const auto body = [&](const mail::MimePart& part) {
    return bytes.substr(part.body_offset, part.body_size);
  };
  const std::string status = body(root.children[1]);
  EXPECT_TRUE(contains(status, "Reporting-MTA: dns; mail.a.test\r\n")) << status;
  EXPECT_TRUE(contains(status, "Final-Recipient: rfc822; nobody@b.test\r\n"));
  EXPECT_TRUE(contains(status, "Action: failed\r\n"));
  EXPECT_TRUE(contains(status, "Status: 5.1.1\r\n"));
  EXPECT_TRUE(contains(status, "Remote-MTA: dns; mx1.b.test\r\n"));
  EXPECT_TRUE(contains(status, "Diagnostic-Code: smtp; " + refusal + "\r\n"));
  const std::string headers = body(root.children[2]);
  EXPECT_TRUE(contains(headers, "Subject: Who are you?\r\n"));
  EXPECT_TRUE(contains(headers, "To: nobody@b.test\r\n"));
  EXPECT_EQ(w.storage_a.queue().size(), 0u);
}

TEST(Relay, GivesUpAfterTheRetryBudgetAndBounces) {
  WorldOptions options;
  options.retry.first_retry_ns = 1 * kMinute;
  options.retry.backoff_factor = 2;
  options.retry.give_up_after_ns = 5 * kMinute;
  MailWorld w(1, options);
  // c.test's only exchanger is a machine where nothing listens on port 25.
  w.router.add("c.test", MailExchange{10, "pc.b.test", {w.bob_pc->address()}});
  auto result = w.submit({"dave@c.test"}, "Anyone there?");
  w.sim.run();
  ASSERT_TRUE(result->accepted);
  const std::string refused = "connect to pc.b.test[10.0.2.10]:25: connection refused";
  // Attempts at 0, 1 and 3 minutes; the next would be at 7, after the 5-minute budget.
  EXPECT_EQ(events_of(w.sim.trace(), EventKind::MailDeferred, w.mail_a),
            (std::vector<std::string>{
                "0000000001 to=<dave@c.test> deferred: " + refused + " (next attempt in 1 min)",
                "0000000001 to=<dave@c.test> deferred: " + refused + " (next attempt in 2 min)",
                "0000000001 to=<dave@c.test> deferred: " + refused + " (next attempt in 4 min)"}));
  EXPECT_EQ(events_of(w.sim.trace(), EventKind::MailBounced, w.mail_a),
            std::vector<std::string>{"0000000001 to=<dave@c.test> bounced: " + refused +
                                     " (delivery time expired)"});
  const auto inbox = w.inbox(w.storage_a, "alice");
  ASSERT_EQ(inbox.size(), 1u);
  // Given up five minutes after the message arrived (it arrived 38 ms into the run).
  EXPECT_GE(inbox[0].internal_date, 5 * kMinute);
  EXPECT_LT(inbox[0].internal_date, 5 * kMinute + 1 * kSecond);
  const std::string& dsn = *inbox[0].bytes;
  EXPECT_TRUE(contains(dsn, "Status: 4.4.7\r\n")) << "expired without any server's reply";
  EXPECT_TRUE(contains(dsn, "Diagnostic-Code: X-MailScope; " + refused + "\r\n"));
  EXPECT_TRUE(contains(dsn, "Subject: Anyone there?\r\n"));
  EXPECT_EQ(w.storage_a.queue().size(), 0u);
}

TEST(Relay, OpenRelayAttemptIsRefusedAndNothingQueued) {
  MailWorld w;
  // Someone on the Internet asks alice's server to carry mail between two strangers.
  SmtpClientConnectionOptions options;
  options.engine.helo_name = "spammer.example";
  options.tls.verify_mode = tls::TlsVerifyMode::Report;  // it upgrades, trusting nobody
  smtp::OutgoingMessage message{
      "spam@evil.example", {"victim@c.test"}, "Subject: buy\r\n\r\nnow\r\n"};
  SmtpClientReport report;
  auto handle =
      SmtpClientConnection::start(*w.context, *w.bob_pc, w.mail_a->address(), 25, options,
                                  {message}, [&](const SmtpClientReport& r) { report = r; });
  w.sim.run();
  ASSERT_EQ(report.recipients.size(), 1u);
  EXPECT_EQ(report.recipients[0].reply,
            smtp::make_reply(554, "5.7.1", "<victim@c.test>: Relay access denied"));
  ASSERT_EQ(report.messages.size(), 1u);
  EXPECT_EQ(report.messages[0].status, smtp::MessageStatus::PermanentFailure);
  EXPECT_EQ(w.storage_a.queue().size(), 0u);
  EXPECT_TRUE(events_of(w.sim.trace(), EventKind::MailQueued).empty());
  // The same stranger may still write to a.test's own users: that is what port 25 is for.
  smtp::OutgoingMessage fan{"fan@evil.example", {"alice@a.test"}, "Subject: hi\r\n\r\nhi\r\n"};
  auto second = SmtpClientConnection::start(*w.context, *w.bob_pc, w.mail_a->address(), 25, options,
                                            {fan}, [&](const SmtpClientReport& r) { report = r; });
  w.sim.run();
  ASSERT_EQ(report.messages.size(), 1u);
  EXPECT_EQ(report.messages[0].status, smtp::MessageStatus::Delivered);
  EXPECT_EQ(w.inbox(w.storage_a, "alice").size(), 1u);
}

struct QuotaCase {
  QuotaReply reply;
  const char* expected;  // the event on mail.a.test
  EventKind kind;
};

class RelayQuota : public ::testing::TestWithParam<QuotaCase> {};

TEST_P(RelayQuota, FullMailboxIsRefusedAtRcpt) {
  const QuotaCase c = GetParam();
  WorldOptions options;
  options.retry.first_retry_ns = 10 * kMinute;
  options.retry.give_up_after_ns = 15 * kMinute;
  options.adjust_b = [c](MailServerOptions& o) { o.faults.over_quota = c.reply; };
  MailWorld w(1, options);
  ASSERT_TRUE(w.storage_b1.store().set_quota("bob", 100).ok());
  auto result = w.submit({"bob@b.test"}, "Big");
  w.sim.run_until(1 * kMinute);
  ASSERT_TRUE(result->accepted);
  const auto events = events_of(w.sim.trace(), c.kind, w.mail_a);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0], c.expected);
  EXPECT_TRUE(w.inbox(w.storage_b1, "bob").empty());
}

INSTANTIATE_TEST_SUITE_P(
    Replies, RelayQuota,
    ::testing::Values(
        // 452: the sender's server keeps the message and tries again later.
        QuotaCase{QuotaReply::Temporary,
                  "0000000001 to=<bob@b.test> deferred: 452 4.2.2 <bob@b.test>: Recipient "
                  "address rejected: Mailbox full (next attempt in 10 min)",
                  EventKind::MailDeferred},
        // 552: final; the sender gets a bounce at once.
        QuotaCase{QuotaReply::Permanent,
                  "0000000001 to=<bob@b.test> bounced: 552 5.2.2 <bob@b.test>: Recipient "
                  "address rejected: Mailbox full",
                  EventKind::MailBounced}));

TEST(Relay, ServerThatRefusesAtGreetingIsSkipped) {
  WorldOptions options;
  options.backup_mx = true;
  options.retry.first_retry_ns = 10 * kMinute;
  options.adjust_b = [](MailServerOptions& o) { o.faults.refuse_connections = true; };
  MailWorld w(1, options);
  auto result = w.submit({"bob@b.test"}, "Busy");
  w.sim.run_until(1 * kMinute);
  ASSERT_TRUE(result->accepted);
  const auto lines = dialogue(w.sim.trace(), *w.mail_a, *w.mx1_b);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0],
            "S: 421 4.3.2 mx1.b.test Service not available, closing transmission channel");
  const auto notes = events_of(w.sim.trace(), EventKind::Note, w.mail_a);
  ASSERT_EQ(notes.size(), 3u);
  EXPECT_TRUE(notes[2].starts_with("0000000001 to=<bob@b.test> relayed to mx2.b.test")) << notes[2];
  // The fault can be lifted while the world runs: mx2's retry then reaches mx1.
  w.server_b1->faults().refuse_connections = false;
  w.sim.run();
  EXPECT_EQ(w.inbox(w.storage_b1, "bob").size(), 1u);
}

}  // namespace
}  // namespace mailscope::services
