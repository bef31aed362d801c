#include "services/dns_events.h"

#include "net/network.h"
#include "wire/dns_format.h"
#include "wire/ipv4.h"

namespace mailscope::services {

FlowId dns_udp_flow(net::Host& host, std::uint16_t local_port, wire::Ipv4Addr dst,
                    std::uint16_t dst_port) {
  const auto src = host.source_for(dst);
  if (!src) return kNoFlow;
  const FlowId flow = host.network().flows().lookup(
      static_cast<std::uint8_t>(wire::IpProtocol::Udp), *src, local_port, dst, dst_port, host.id());
  mark_dns_flow(host.sim().trace(), flow);
  return flow;
}

void mark_dns_flow(Trace& trace, FlowId flow, NodeId server) {
  if (flow == kNoFlow) return;
  FlowInfo& info = trace.flow(flow);
  info.application = "dns";
  if (server != kNoNode && info.server == kNoNode && info.client != server) info.server = server;
}

EventId record_dns_sent(net::Host& host, const wire::DnsMessage& message, wire::ByteView bytes,
                        EventId parent, FlowId flow) {
  Trace& trace = host.sim().trace();
  const EventKind kind = message.is_response() ? EventKind::Response : EventKind::Request;
  return host.record(Layer::Application, kind, trace.store(bytes), parent, flow, 0,
                     trace.store(wire::summarize(message)));
}

EventId record_dns_received(net::Host& host, const wire::DnsMessage* message, wire::ByteView bytes,
                            EventId l4_event, FlowId flow, std::string_view error) {
  Trace& trace = host.sim().trace();
  const std::string text = message != nullptr ? wire::summarize(*message)
                                              : "malformed DNS message: " + std::string(error);
  return host.record(Layer::Application, EventKind::Receive, trace.store(bytes), l4_event, flow, 0,
                     trace.store(text));
}

EventId dns_note(net::Host& host, std::string_view text, EventId parent, FlowId flow) {
  return host.note(Layer::Application, text, parent, flow);
}

}  // namespace mailscope::services
