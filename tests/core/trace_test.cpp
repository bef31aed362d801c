#include "core/trace.h"

#include <gtest/gtest.h>

namespace mailscope {
namespace {

TraceEvent sample(Trace& trace, TimeNs t, std::string_view line) {
  TraceEvent e;
  e.time = t;
  e.node = 0;
  e.layer = Layer::Application;
  e.kind = EventKind::Request;
  e.data = trace.store(line);
  return e;
}

TEST(Trace, RecordsEventsWithSharedBytes) {
  Trace trace;
  const NodeId node = trace.add_node("client", "host");
  EXPECT_EQ(trace.node(node).name, "client");
  const EventId a = trace.record(sample(trace, 1, "EHLO client\r\n"));
  TraceEvent child = trace.event(a);
  child.parent = a;
  child.layer = Layer::Transport;
  child.data = trace.slice(child.data, 0, 4);
  const EventId b = trace.record(child);
  EXPECT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace.text(trace.event(b).data), "EHLO");
  EXPECT_EQ(trace.event(b).parent, a);
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
  a.record(sample(a, 1, "QUIT\r\n"));
  b.record(sample(b, 1, "QUIT\r\n"));
  c.record(sample(c, 1, "QUIT\n\n"));
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
