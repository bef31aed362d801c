// The soak's invariant checker must be able to fail: a small generated world without faults runs
// clean, then each test doctors its mailboxes, queues or trace and expects exactly the violation
// that the doctoring causes.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "mail/mail_queue.h"
#include "services/duplicate_mark.h"
#include "services/mail_text.h"
#include "soak/checker.h"
#include "soak/soak.h"
#include "world/world.h"

namespace mailscope::soak {
namespace {

SoakSizes calm_sizes() {
  SoakSizes sizes;
  sizes.domains = 3;
  sizes.users_per_domain = 2;
  sizes.messages = 12;
  sizes.fault_intensity = 0;  // no loss, no partitions, no crashes: everything is delivered
  sizes.message_interval_s = 1;
  return sizes;
}

struct CalmWorld {
  GeneratedSoak generated = generate_soak(5, calm_sizes());
  std::unique_ptr<world::World> world;

  CalmWorld() {
    auto built = build_soak_world(generated);
    EXPECT_TRUE(built.ok()) << (built.ok() ? "" : built.error().to_string());
    world = std::move(built).value();
    world->run();
  }

  // The first message with a single recipient in another domain than its sender's.
  const SoakMessage& remote_message() const {
    for (const SoakMessage& m : generated.messages) {
      if (m.recipients.size() == 1 &&
          services::domain_of(m.recipients[0]) != services::domain_of(m.from))
        return m;
    }
    ADD_FAILURE() << "no remote single-recipient message";
    return generated.messages.front();
  }
  mail::MailStore& store_of(const std::string& address) {
    return world->mailbox_host(address)->storage->store();
  }
  std::vector<mail::MessageInfo> inbox(const std::string& address) {
    auto box = store_of(address).messages(services::local_part_of(address), "INBOX");
    EXPECT_TRUE(box.ok());
    return box.ok() ? *box : std::vector<mail::MessageInfo>{};
  }
  // The copy of message m in the mailbox of address.
  mail::MessageInfo copy_of(const SoakMessage& m, const std::string& address) {
    for (const mail::MessageInfo& info : inbox(address)) {
      if (info.bytes->find("Subject: " + m.token + "\r\n") != std::string::npos) return info;
    }
    ADD_FAILURE() << m.token << " not in " << address;
    return {};
  }
  void deliver(const std::string& address, const std::string& bytes) {
    ASSERT_TRUE(
        store_of(address).deliver(services::local_part_of(address), bytes, world->sim().now()));
  }
  void remove(const std::string& address, mail::Uid uid) {
    const mail::Uid uids[] = {uid};
    ASSERT_TRUE(store_of(address).remove(services::local_part_of(address), "INBOX", uids));
  }
  SoakCheck check() { return check_soak(*world, generated.messages); }
};

std::vector<ViolationKind> kinds(const SoakCheck& check) {
  std::vector<ViolationKind> out;
  for (const Violation& v : check.violations)
    out.push_back(v.kind);
  return out;
}

TEST(SoakChecker, CalmWorldHasNoViolations) {
  CalmWorld w;
  const SoakCheck check = w.check();
  EXPECT_TRUE(check.violations.empty())
      << to_string(check.violations.front().kind) << " " << check.violations.front().detail;
  EXPECT_EQ(check.counts.messages, 12u);
  EXPECT_EQ(check.counts.accepted, 12u);
  EXPECT_EQ(check.counts.delivered, check.counts.recipients_checked);
  EXPECT_EQ(check.counts.bounced, 0u);
  EXPECT_EQ(check.counts.duplicates, 0u);
  EXPECT_EQ(check.counts.queue_left, 0u);
  EXPECT_EQ(check.crashes.crashes, 0u);
}

TEST(SoakChecker, MissingMessage) {
  CalmWorld w;
  const SoakMessage& m = w.remote_message();
  w.remove(m.recipients[0], w.copy_of(m, m.recipients[0]).uid);
  const SoakCheck check = w.check();
  ASSERT_EQ(kinds(check), std::vector{ViolationKind::Missing});
  EXPECT_EQ(check.violations[0].message, m.token);
  EXPECT_EQ(check.violations[0].recipient, m.recipients[0]);
}

TEST(SoakChecker, DuplicateWithoutTheWindowAndWithoutTheMark) {
  CalmWorld w;
  const SoakMessage& m = w.remote_message();
  w.deliver(m.recipients[0], *w.copy_of(m, m.recipients[0]).bytes);
  const SoakCheck check = w.check();
  EXPECT_EQ(kinds(check),
            (std::vector{ViolationKind::DuplicateWithoutWindow, ViolationKind::UnmarkedDuplicate}));
  EXPECT_EQ(check.counts.duplicates, 1u);
  EXPECT_EQ(check.counts.duplicates_marked, 0u);
}

TEST(SoakChecker, MarkedDuplicateInsideTheWindowIsAllowed) {
  CalmWorld w;
  const SoakMessage& m = w.remote_message();
  const std::string& to = m.recipients[0];
  const mail::MessageInfo first = w.copy_of(m, to);
  const std::string id = services::message_id_of(*first.bytes);
  w.deliver(to, *first.bytes);
  const mail::Uid second = w.inbox(to).back().uid;
  // Doctor the trace as a lost reply would have written it: the RFC 1047 note on the relay's
  // flow (after its message transfer) and the receiving server's mark.
  Trace& trace = w.world->trace();
  const TraceFacts facts = read_trace_facts(trace);
  const Transfer* relay = nullptr;
  for (const Transfer& t : facts.transfers)
    if (!t.submission && t.message_id == id) relay = &t;
  ASSERT_NE(relay, nullptr);
  TraceEvent note;
  note.time = w.world->sim().now();
  note.node = relay->client;
  note.flow = relay->flow;
  trace.record(
      note, {},
      trace.store(std::string_view("RFC 1047: the connection was lost after the final dot")));
  TraceEvent mark;
  mark.time = note.time;
  mark.node = w.world->mailbox_host(to)->host->id();
  trace.record(mark, {},
               trace.store(services::format_duplicate_mark(
                   99, services::DuplicateMark{to, second, first.uid, id})));

  const SoakCheck check = w.check();
  EXPECT_TRUE(check.violations.empty()) << to_string(check.violations.front().kind);
  EXPECT_EQ(check.counts.duplicates, 1u);
  EXPECT_EQ(check.counts.duplicates_marked, 1u);
  EXPECT_EQ(check.counts.windows, 1u);
}

TEST(SoakChecker, TruncatedBody) {
  CalmWorld w;
  const SoakMessage& m = w.remote_message();
  const std::string& to = m.recipients[0];
  const mail::MessageInfo copy = w.copy_of(m, to);
  // The copy loses its closing line, as a transfer cut short would.
  const std::string& bytes = *copy.bytes;
  const std::string cut = bytes.substr(0, bytes.rfind("end of ", bytes.size()));
  w.remove(to, copy.uid);
  w.deliver(to, cut);
  const SoakCheck check = w.check();
  ASSERT_EQ(kinds(check), std::vector{ViolationKind::Truncated});
  EXPECT_NE(check.violations[0].detail.find("(cut short)"), std::string::npos)
      << check.violations[0].detail;
}

TEST(SoakChecker, CopyInTheWrongMailbox) {
  CalmWorld w;
  const SoakMessage& m = w.remote_message();
  const std::string bytes = *w.copy_of(m, m.recipients[0]).bytes;
  std::string stranger;
  for (const scenario::User& user : w.world->scenario().users)
    if (user.address != m.recipients[0] && stranger.empty()) stranger = user.address;
  w.deliver(stranger, bytes);
  EXPECT_EQ(kinds(w.check()), std::vector{ViolationKind::Misdelivered});
}

TEST(SoakChecker, DeliveredAndBouncedTwice) {
  CalmWorld w;
  const SoakMessage& m = w.remote_message();
  const std::string& to = m.recipients[0];
  mail::BounceRequest request;
  request.id = 1;
  request.reverse_path = m.from;
  mail::QueueRecipient failed;
  failed.address = to;
  failed.state = mail::RecipientState::Failed;
  failed.last_reply = "550 5.1.1 no such user";
  request.recipients = {failed};
  request.message = w.copy_of(m, to).bytes;
  mail::BounceContext context;
  context.reporting_mta = "mail.test";
  context.message_id = "<bounce@mail.test>";
  context.boundary = "b";
  const std::string bounce = mail::build_bounce(request, context);
  w.deliver(m.from, bounce);
  EXPECT_EQ(kinds(w.check()), std::vector{ViolationKind::DeliveredAndBounced});
  w.deliver(m.from, bounce);
  EXPECT_EQ(kinds(w.check()),
            (std::vector{ViolationKind::DeliveredAndBounced, ViolationKind::DuplicateBounce}));
}

TEST(SoakChecker, QueueEntryPastItsGiveUpTime) {
  CalmWorld w;
  world::MailHost& host = *w.world->mail_hosts().front();
  const std::string recipients[] = {"nobody@example.test"};
  // Queued at time zero and never tried: by the end of the run its give-up time is long past.
  ASSERT_TRUE(host.storage->enqueue("u0@d0.test", recipients, "Subject: x\r\n\r\nx\r\n", 0));
  // The delivery agent was not told, and a quiet world has nothing else to do: a day passes.
  ASSERT_TRUE(w.world->sim().idle());
  w.world->sim().run_until(w.world->sim().now() + kDay);
  const SoakCheck check = w.check();
  ASSERT_EQ(kinds(check), std::vector{ViolationKind::StuckQueueEntry});
  EXPECT_EQ(check.counts.queue_left, 1u);
  EXPECT_EQ(check.violations[0].message.rfind(host.host->name(), 0), 0u);
}

TEST(SoakChecker, ExpectedBodyUsesCrlf) {
  EXPECT_EQ(expected_body("a\n.b\n"), "a\r\n.b\r\n");
  EXPECT_EQ(expected_body("a\r\nb"), "a\r\nb\r\n");  // CRLF kept, a last line end added
  EXPECT_EQ(expected_body(""), "");
}

}  // namespace
}  // namespace mailscope::soak
