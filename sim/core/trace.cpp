#include "core/trace.h"

#include <array>

namespace mailscope {
namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(Layer::Count)> kLayerNames = {
    "L1", "L2", "L3", "L4", "TLS", "L7"};

constexpr std::array<std::string_view, static_cast<std::size_t>(EventKind::Count)> kKindNames = {
    "send",        "receive",        "forward",       "drop",        "state",
    "request",     "response",       "note",          "action",      "narration",
    "mail-queued", "mail-delivered", "mail-deferred", "mail-bounced"};

constexpr std::array<std::string_view, static_cast<std::size_t>(DropReason::Count)> kDropNames = {
    "none",
    "loss",
    "queue full",
    "TTL expired",
    "no route",
    "bad checksum",
    "port unreachable",
    "malformed",
    "not for us",
    "ARP timeout",
    "link down",
    "no connection",
    "larger than MTU",
    "host down"};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, Enum value) {
  const auto index = static_cast<std::size_t>(value);
  return index < N ? names[index] : std::string_view("unknown");
}

struct Fnv {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  void add(std::span<const std::uint8_t> bytes) {
    for (std::uint8_t b : bytes) {
      hash ^= b;
      hash *= 0x100000001b3ULL;
    }
  }
  template <typename T>
  void add_value(T value) {
    add(std::span(reinterpret_cast<const std::uint8_t*>(&value), sizeof value));
  }
};

}  // namespace

std::string_view to_string(Layer layer) {
  return name_of(kLayerNames, layer);
}
std::string_view to_string(EventKind kind) {
  return name_of(kKindNames, kind);
}
std::string_view to_string(DropReason reason) {
  return name_of(kDropNames, reason);
}

Trace::Trace() {
  m_flows.emplace_back();
}

NodeId Trace::add_node(std::string name, std::string kind) {
  m_nodes.push_back(NodeInfo{std::move(name), std::move(kind)});
  return static_cast<NodeId>(m_nodes.size() - 1);
}

FlowId Trace::add_flow(FlowInfo info) {
  m_flows.push_back(std::move(info));
  return static_cast<FlowId>(m_flows.size() - 1);
}

EventId Trace::record(TraceEvent event, BlobRef data, BlobRef text) {
  event.content = m_blobs.pair(data, text);
  m_events.push_back(event);
  const auto id = static_cast<EventId>(m_events.size() - 1);
  if (m_observer && !m_observing) {
    m_observing = true;
    m_observer(id);
    m_observing = false;
  }
  return id;
}

std::uint64_t Trace::digest() const {
  Fnv fnv;
  Scratch scratch;
  for (const TraceEvent& e : m_events) {
    fnv.add_value(e.time);
    fnv.add_value(e.parent);
    fnv.add_value(e.node);
    fnv.add_value(e.flow);
    fnv.add_value(static_cast<std::uint8_t>(e.layer));
    fnv.add_value(static_cast<std::uint16_t>(e.kind));
    fnv.add_value(e.detail);
    // Sizes as 32-bit values, as digests were computed before references were packed.
    const auto [data_ref, text_ref] = m_blobs.unpair(e.content);
    const auto data = bytes(data_ref, scratch);
    fnv.add_value(static_cast<std::uint32_t>(data.size()));
    fnv.add(data);
    const auto text = m_blobs.prefix(text_ref);
    fnv.add_value(static_cast<std::uint32_t>(text.size()));
    fnv.add(text);
  }
  return fnv.hash;
}

std::size_t Trace::memory_bytes() const {
  return m_events.memory_bytes() + m_blobs.bytes_reserved();
}

}  // namespace mailscope
