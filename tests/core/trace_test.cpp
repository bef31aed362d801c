#include "core/trace.h"

#include <gtest/gtest.h>

namespace mailscope {
namespace {

EventId record_sample(Trace& trace, TimeNs t, std::string_view line, std::string_view text = {}) {
  TraceEvent e;
  e.time = t;
  e.node = 0;
  e.layer = Layer::Application;
  e.kind = EventKind::Request;
  return trace.record(e, trace.store(line), trace.store(text));
}

TEST(Trace, RecordsEventsWithSharedBytes) {
  Trace trace;
  const NodeId node = trace.add_node("client", "host");
  EXPECT_EQ(trace.node(node).name, "client");
  const EventId a = record_sample(trace, 1, "EHLO client\r\n");
  TraceEvent child = trace.event(a);
  child.parent = a;
  child.layer = Layer::Transport;
  const EventId b = trace.record(child, trace.slice(trace.data_ref(trace.event(a)), 0, 4));
  EXPECT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace.text(trace.data_ref(trace.event(b))), "EHLO");
  EXPECT_EQ(trace.event(b).parent, a);
}

// Bytes and text are packed into one reference; each comes back on its own, either may be empty.
TEST(Trace, KeepsAnEventsBytesAndTextApart) {
  Trace trace;
  const EventId both = record_sample(trace, 1, "query bytes", "A? example.com");
  const EventId bytes_only = record_sample(trace, 2, "QUIT\r\n");
  const EventId text_only = record_sample(trace, 3, "", "SYN_SENT -> ESTABLISHED");
  EXPECT_EQ(trace.message(trace.event(both)).size(), 11u);
  EXPECT_EQ(trace.text(trace.event(both)), "A? example.com");
  EXPECT_EQ(trace.text(trace.data_ref(trace.event(bytes_only))), "QUIT\r\n");
  EXPECT_EQ(trace.text(trace.event(bytes_only)), "");
  EXPECT_TRUE(trace.data_ref(trace.event(text_only)).empty());
  EXPECT_EQ(trace.text(trace.event(text_only)), "SYN_SENT -> ESTABLISHED");
}

TEST(Trace, FlowZeroMeansNone) {
  Trace trace;
  EXPECT_EQ(trace.flow_count(), 1u);
  const FlowId f = trace.add_flow(FlowInfo{0, 1, "tcp", "smtp", "a -> b"});
  EXPECT_EQ(f, 1u);
  EXPECT_EQ(trace.flow(f).application, "smtp");
}

TEST(Trace, DigestChangesWithAnyByte) {
  Trace a, b, c;
  record_sample(a, 1, "QUIT\r\n");
  record_sample(b, 1, "QUIT\r\n");
  record_sample(c, 1, "QUIT\n\n");
  EXPECT_EQ(a.digest(), b.digest());
  EXPECT_NE(a.digest(), c.digest());
}

TEST(Trace, NamesOfEnums) {
  EXPECT_EQ(to_string(Layer::Physical), "L1");
  EXPECT_EQ(to_string(Layer::Tls), "TLS");
  EXPECT_EQ(to_string(Layer::Application), "L7");
  EXPECT_EQ(to_string(EventKind::MailBounced), "mail-bounced");
  EXPECT_EQ(to_string(DropReason::TtlExpired), "TTL expired");
  EXPECT_EQ(to_string(DropReason::NoConnection), "no connection");
}

}  // namespace
}  // namespace mailscope
