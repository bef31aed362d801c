#pragma once
// Trace: the append-only record of everything observable in a run. Every output (transcript,
// JSON, pcap, HTML, GUI) is a view over it; nothing reads protocol internals.
//
// An event is small and fixed-size; the bytes it refers to (a frame, a DNS message, an SMTP line)
// live in a BlobStore, and several events may share them: the L2/L3/L4 events of a received frame
// all point into the one copy stored by the L1 event that carried it. Decoded fields are produced
// on demand by the dissectors in sim/wire, so recording costs no formatting.
//
// Parent links follow one application write down the sender's stack (L7 -> L4 -> L3 -> L2 -> L1)
// and a received frame back up the receiver's stack (L1 -> L2 -> L3 -> L4 -> L7).

#include <cassert>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/blob_store.h"
#include "core/chunked_vector.h"
#include "core/time.h"

namespace mailscope {

using NodeId = std::uint32_t;
using EventId = std::uint32_t;
using FlowId = std::uint32_t;
constexpr EventId kNoEvent = UINT32_MAX;
constexpr NodeId kNoNode = UINT32_MAX;
constexpr FlowId kNoFlow = 0;

enum class Layer : std::uint8_t {
  Physical,     // L1: bits on the wire
  Link,         // L2: Ethernet, ARP
  Network,      // L3: IPv4, ICMP
  Transport,    // L4: TCP, UDP
  Tls,          // TLS records and handshake
  Application,  // L7: DNS, SMTP, IMAP, POP3, mail handling, user actions
  Count
};
std::string_view to_string(Layer layer);  // "L1" "L2" "L3" "L4" "TLS" "L7"

enum class EventKind : std::uint8_t {
  Send,           // a PDU leaves this layer downwards (L1: first bit on the wire)
  Receive,        // a PDU arrives at this layer from below (L1: last bit arrived)
  Forward,        // a router moved a packet between interfaces
  Drop,           // a PDU was discarded; detail holds a DropReason
  StateChange,    // a protocol state machine moved; text holds "OLD -> NEW"
  Request,        // an application command or query (SMTP command, DNS query)
  Response,       // an application reply (SMTP reply, DNS response)
  Note,           // anything else worth showing; text says what
  Action,         // a scripted user action started (send mail, fetch, ping)
  Narration,      // teaching text attached to the moment
  MailQueued,     // a message entered an MTA queue
  MailDelivered,  // a message was stored in a mailbox
  MailDeferred,   // a delivery attempt failed temporarily; it stays queued
  MailBounced,    // a delivery failed permanently; a bounce was generated
  Count
};
std::string_view to_string(EventKind kind);

enum class DropReason : std::uint16_t {
  None,
  Loss,             // the link lost it (seeded loss probability)
  QueueFull,        // the interface's transmit queue was full
  TtlExpired,       // IPv4 TTL reached zero at a router
  NoRoute,          // no routing table entry matched
  BadChecksum,      // a header checksum did not verify
  PortUnreachable,  // UDP datagram to a port nobody listens on
  Malformed,        // the bytes did not parse
  NotForUs,         // addressed to another host (MAC or IP)
  ArpTimeout,       // the next hop never answered ARP
  LinkDown,         // the link or interface is down
  NoConnection,     // TCP segment for no connection (answered with RST)
  TooBig,           // larger than the link MTU with DF set
  HostDown,         // the node is switched off or crashed
  Count
};
std::string_view to_string(DropReason reason);

// 32 bytes: a long run records tens of millions of these, so every field is as narrow as it can be.
struct TraceEvent {
  TimeNs time = 0;
  EventId parent = kNoEvent;  // the event one layer up (sender) or down (receiver) that caused this
  NodeId node = kNoNode;
  FlowId flow = kNoFlow;  // transport connection or datagram exchange, when there is one
  Layer layer = Layer::Application;
  EventKind kind = EventKind::Note;
  std::uint16_t detail = 0;  // DropReason for drops; protocol-specific otherwise
  // The PDU as bytes, starting at this layer's header, and a line of text when the bytes alone do
  // not say it, packed into one reference because most events have no text. Trace::record packs
  // them; Trace::data_ref and Trace::text take them apart.
  BlobRef content;
};
static_assert(sizeof(TraceEvent) == 32);

struct NodeInfo {
  std::string name;  // "smtp.outlook.com"
  std::string kind;  // "host", "router", "switch", "mail-server", "dns-server", ...
};

struct FlowInfo {
  NodeId client = kNoNode;  // the side that opened it
  NodeId server = kNoNode;
  std::string transport;    // "tcp", "udp", "icmp", "arp"
  std::string application;  // "smtp", "dns", ... (empty until known)
  std::string label;        // "10.0.1.10:49152 -> 10.0.2.25:25"
};

class Trace {
 public:
  Trace();

  NodeId add_node(std::string name, std::string kind);
  const NodeInfo& node(NodeId id) const { return m_nodes.at(id); }
  std::size_t node_count() const { return m_nodes.size(); }

  FlowId add_flow(FlowInfo info);
  FlowInfo& flow(FlowId id) { return m_flows.at(id); }
  const FlowInfo& flow(FlowId id) const { return m_flows.at(id); }
  std::size_t flow_count() const { return m_flows.size(); }

  // Appends `event` with its bytes and text (the event's own content is replaced).
  EventId record(TraceEvent event, BlobRef data = {}, BlobRef text = {});
  // Called after each event is recorded, with its id (the World attaches narration this way).
  // Events the observer records itself are not shown to it again.
  using Observer = std::function<void(EventId)>;
  void set_observer(Observer observer) { m_observer = std::move(observer); }

  const TraceEvent& event(EventId id) const { return m_events[id]; }
  // Every event in order; a random-access range (range-for, size(), operator[]).
  const ChunkedVector<TraceEvent>& events() const { return m_events; }
  std::size_t size() const { return m_events.size(); }

  // Bytes are stored once and shared: see BlobStore. A forwarded frame is spliced (new headers
  // before the segment it carried), so reading a blob whole takes a scratch buffer that is only
  // used, and the returned span only points into it, when the blob is spliced.
  using Scratch = std::vector<std::uint8_t>;
  BlobRef store(std::span<const std::uint8_t> bytes) { return m_blobs.store(bytes); }
  BlobRef store(std::string_view text) { return m_blobs.store(text); }
  BlobRef splice(std::span<const std::uint8_t> head, BlobRef tail) {
    return m_blobs.splice(head, tail);
  }
  std::span<const std::uint8_t> bytes(BlobRef ref, Scratch& scratch) const {
    return m_blobs.bytes(ref, scratch);
  }
  // The leading bytes stored together (all of them unless the blob is spliced): enough for
  // headers.
  std::span<const std::uint8_t> prefix(BlobRef ref) const { return m_blobs.prefix(ref); }
  std::string_view text(BlobRef ref) const { return m_blobs.text(ref); }
  std::size_t size(BlobRef ref) const { return m_blobs.size(ref); }
  BlobRef slice(BlobRef ref, std::size_t from, std::size_t length = SIZE_MAX) {
    return m_blobs.slice(ref, from, length);
  }
  // An event's bytes (empty when it has none).
  BlobRef data_ref(const TraceEvent& e) const { return m_blobs.unpair(e.content).first; }
  std::span<const std::uint8_t> data(const TraceEvent& e, Scratch& scratch) const {
    return m_blobs.bytes(data_ref(e), scratch);
  }
  // The bytes of an event above the network layer (L4, TLS, L7), read in place: only frames and
  // packets are ever spliced, so these are always stored in one piece.
  std::span<const std::uint8_t> message(const TraceEvent& e) const {
    const BlobRef data = data_ref(e);
    assert(e.layer >= Layer::Transport && !m_blobs.spliced(data));
    return m_blobs.prefix(data);
  }
  std::string_view text(const TraceEvent& e) const {
    return m_blobs.text(m_blobs.unpair(e.content).second);
  }

  // A 64-bit digest over every event and every byte it refers to: equal digests mean equal runs.
  std::uint64_t digest() const;
  // Where the trace's memory comes from; the simulation's other large buffers come from there too.
  const std::shared_ptr<BlockSupply>& block_supply() const { return m_supply; }
  // Memory held by the trace, for benchmarks.
  std::size_t memory_bytes() const;
  // Bytes the blobs hold (headers of spliced blobs included), without the arena's unused room.
  std::size_t bytes_stored() const { return m_blobs.bytes_stored(); }

 private:
  // First, so that it outlives the two arenas it feeds; on the heap, so that a moved Trace's arenas
  // still point at it; shared with the simulation's BufferPool.
  std::shared_ptr<BlockSupply> m_supply = std::make_shared<BlockSupply>();
  std::vector<NodeInfo> m_nodes;
  std::vector<FlowInfo> m_flows;                       // index 0 is kNoFlow
  ChunkedVector<TraceEvent> m_events{m_supply.get()};  // never reallocated: recording stays O(1)
  BlobStore m_blobs{m_supply.get()};
  Observer m_observer;       // may be empty
  bool m_observing = false;  // true while the observer runs
};

}  // namespace mailscope
