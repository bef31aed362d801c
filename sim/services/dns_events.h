#pragma once
// How the DNS services write to the trace (docs/trace-events.md): every message sent is an L7
// Request (query) or Response event on the sender's node holding the whole message, with its
// tshark-style summary as text; every message received is an L7 Receive event on the receiver,
// parented to the L4 event that delivered it; decisions (cache hit, referral, retry, SERVFAIL)
// are L7 notes in words a student understands.

#include <string_view>

#include "core/trace.h"
#include "net/host.h"
#include "wire/address.h"
#include "wire/dns_message.h"

namespace mailscope::services {

// The flow a datagram from `host`'s `local_port` to (dst, dst_port) will use, marked as DNS.
// Looked up before sending so that the L7 event can carry it. kNoFlow when there is no route.
FlowId dns_udp_flow(net::Host& host, std::uint16_t local_port, wire::Ipv4Addr dst,
                    std::uint16_t dst_port);
// Marks `flow` as a DNS conversation; `server` is filled in when it is still unknown.
void mark_dns_flow(Trace& trace, FlowId flow, NodeId server = kNoNode);

// An L7 Request (a query) or Response event on `host` holding `bytes`, the message as sent.
EventId record_dns_sent(net::Host& host, const wire::DnsMessage& message, wire::ByteView bytes,
                        EventId parent, FlowId flow);
// An L7 Receive event on `host` for a message that arrived; `message` is null when the bytes
// did not parse, and `error` then says why.
EventId record_dns_received(net::Host& host, const wire::DnsMessage* message, wire::ByteView bytes,
                            EventId l4_event, FlowId flow, std::string_view error = {});
// An L7 note on `host`.
EventId dns_note(net::Host& host, std::string_view text, EventId parent = kNoEvent,
                 FlowId flow = kNoFlow);

}  // namespace mailscope::services
