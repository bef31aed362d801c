#include "net/tcp_stack.h"

#include <cstring>
#include <string>

#include "net/host.h"
#include "net/network.h"

namespace mailscope::net {
namespace {

constexpr std::size_t kMarksMax = 512;
constexpr std::uint16_t kEphemeralFirst = 32768;
constexpr std::uint16_t kEphemeralCount = 28232;  // 32768..60999, Linux's default range

constexpr auto kTcp = static_cast<std::uint8_t>(wire::IpProtocol::Tcp);

}  // namespace

// ---- TcpStream ----

TcpStream::TcpStream(TcpStack& stack, TcpEndpoint local, TcpEndpoint remote, FlowId flow,
                     std::uint32_t isn)
    : m_stack(stack), m_local(local), m_remote(remote), m_flow(flow), m_next_app_seq(isn + 1) {}

TcpStream::~TcpStream() = default;

Host& TcpStream::host() {
  return m_stack.host();
}

std::size_t TcpStream::send(wire::ByteView bytes, EventId parent) {
  if (!m_connection) return 0;
  const std::size_t accepted = m_connection->send(bytes);
  if (accepted > 0 && parent != kNoEvent) {
    m_marks.push_back(
        Mark{m_next_app_seq, m_next_app_seq + static_cast<std::uint32_t>(accepted), parent});
    if (m_marks.size() > kMarksMax) m_marks.pop_front();
  }
  m_next_app_seq += static_cast<std::uint32_t>(accepted);
  return accepted;
}

void TcpStream::close() {
  if (m_connection) m_connection->close();
}

void TcpStream::abort() {
  if (m_connection) m_connection->abort();
}

EventId TcpStream::parent_for(std::uint32_t seq, std::size_t length) const {
  if (length == 0) return m_rx_event;  // a pure ACK/SYN/FIN answers what we just received
  // Newest first: new data is at the back, retransmissions are rarer.
  for (auto it = m_marks.rbegin(); it != m_marks.rend(); ++it) {
    if (seq - it->start < it->end - it->start) return it->parent;
  }
  return kNoEvent;
}

// ---- TcpListener ----

TcpListener::TcpListener(TcpStack& stack, std::uint16_t port, AcceptFn accept)
    : m_stack(stack), m_port(port), m_accept(std::move(accept)) {}

TcpListener::~TcpListener() {
  const auto it = m_stack.m_listeners.find(m_port);
  if (it != m_stack.m_listeners.end() && it->second == this) m_stack.m_listeners.erase(it);
  for (auto& [key, stream] : m_stack.m_streams) {
    if (stream->m_listener == this) stream->m_listener = nullptr;
  }
}

// ---- TcpStack ----

TcpStack::TcpStack(Host& host)
    : m_host(host),
      m_rng(host.sim().rng("tcp/" + host.name())),
      m_next_ephemeral(static_cast<std::uint16_t>(kEphemeralFirst + m_rng.below(kEphemeralCount))) {
}

TcpStack::~TcpStack() = default;

std::uint16_t TcpStack::ephemeral_port(wire::Ipv4Addr remote, std::uint16_t remote_port) {
  for (std::uint32_t tries = 0; tries < kEphemeralCount; ++tries) {
    const std::uint16_t port = m_next_ephemeral;
    m_next_ephemeral = static_cast<std::uint16_t>(
        kEphemeralFirst + (m_next_ephemeral - kEphemeralFirst + 1) % kEphemeralCount);
    const Key key{m_host.source_for(remote).value_or(wire::Ipv4Addr::any()).value, port,
                  remote.value, remote_port};
    if (!m_streams.contains(key) && !m_listeners.contains(port)) return port;
  }
  return 0;
}

std::shared_ptr<TcpStream> TcpStack::create(TcpEndpoint local, TcpEndpoint remote) {
  const std::uint32_t isn = m_rng.next_u32();
  const FlowId flow = m_host.network().flows().lookup(kTcp, local.address, local.port,
                                                      remote.address, remote.port, m_host.id());
  auto stream = std::make_shared<TcpStream>(*this, local, remote, flow, isn);
  TcpStream* raw = stream.get();
  TcpConnection::Hooks hooks;
  hooks.transmit = [this, raw](const wire::TcpHeader& h, wire::ByteView payload) {
    transmit(*raw, h, payload);
  };
  hooks.state_changed = [this, raw](TcpState from, TcpState to) {
    const std::string text = std::string(to_string(from)) + " -> " + std::string(to_string(to));
    m_host.record(Layer::Transport, EventKind::StateChange, {}, raw->m_rx_event, raw->m_flow, 0,
                  m_host.sim().trace().store(text));
    if (to == TcpState::Closed) retire(*raw);
  };
  hooks.connected = [raw] {
    if (raw->m_listener != nullptr) {
      TcpListener* listener = raw->m_listener;
      raw->m_listener = nullptr;
      if (listener->m_half_open > 0) --listener->m_half_open;
      listener->m_accept(raw->shared_from_this());
    }
    if (raw->m_callbacks.connected) raw->m_callbacks.connected();
  };
  hooks.data = [raw](wire::ByteView bytes) {
    if (raw->m_callbacks.data) raw->m_callbacks.data(bytes, raw->m_rx_event);
  };
  hooks.writable = [raw] {
    if (raw->m_callbacks.writable) raw->m_callbacks.writable();
  };
  hooks.peer_closed = [raw] {
    if (raw->m_callbacks.peer_closed) raw->m_callbacks.peer_closed();
  };
  hooks.closed = [raw] {
    if (raw->m_callbacks.closed) raw->m_callbacks.closed();
  };
  hooks.failed = [this, raw](TcpError error) {
    m_host.note(Layer::Transport,
                "connection " + raw->m_local.address.to_string() + ":" +
                    std::to_string(raw->m_local.port) + " -> " + raw->m_remote.address.to_string() +
                    ":" + std::to_string(raw->m_remote.port) + ": " + std::string(to_string(error)),
                raw->m_rx_event, raw->m_flow);
    if (raw->m_callbacks.failed) raw->m_callbacks.failed(error);
    retire(*raw);
  };
  hooks.retransmitted = [this, raw] {
    m_host.note(Layer::Transport, "retransmission (timeout or duplicate ACKs)", raw->m_rx_event,
                raw->m_flow);
  };
  stream->m_connection =
      std::make_unique<TcpConnection>(m_host.sim(), m_config, local, remote, isn, std::move(hooks));
  m_streams[key_of(*stream)] = stream;
  return stream;
}

std::shared_ptr<TcpStream> TcpStack::connect(wire::Ipv4Addr dst, std::uint16_t port,
                                             TcpStream::Callbacks callbacks,
                                             std::uint16_t local_port) {
  const wire::Ipv4Addr src = m_host.source_for(dst).value_or(m_host.address());
  if (local_port == 0) local_port = ephemeral_port(dst, port);
  auto stream = create(TcpEndpoint{src, local_port}, TcpEndpoint{dst, port});
  stream->set_callbacks(std::move(callbacks));
  stream->m_connection->open_active();
  return stream;
}

std::unique_ptr<TcpListener> TcpStack::listen(std::uint16_t port, TcpListener::AcceptFn accept) {
  if (m_listeners.contains(port)) return nullptr;
  auto listener = std::make_unique<TcpListener>(*this, port, std::move(accept));
  m_listeners[port] = listener.get();
  return listener;
}

void TcpStack::transmit(TcpStream& stream, const wire::TcpHeader& header, wire::ByteView payload) {
  if (!m_host.is_up()) return;
  m_segment.resize(header.header_length() + payload.size());
  // An empty payload may have a null data pointer, which memcpy must not be given.
  if (!payload.empty())
    std::memcpy(m_segment.data() + header.header_length(), payload.data(), payload.size());
  header.emit(m_segment, stream.m_local.address, stream.m_remote.address);
  m_host.send_ip(stream.m_local.address, stream.m_remote.address, wire::IpProtocol::Tcp, m_segment,
                 stream.parent_for(header.seq, payload.size()), stream.m_flow);
}

void TcpStack::on_segment(const wire::Ipv4Header& ip, BlobRef segment, EventId l3_event,
                          FlowId flow) {
  const wire::ByteView bytes = m_host.sim().trace().bytes(segment, m_received);
  wire::ByteView payload;
  const auto header = wire::TcpHeader::parse(bytes, &payload);
  if (!header) {
    m_host.record_drop(Layer::Transport, DropReason::Malformed, segment, l3_event, flow);
    return;
  }
  if (!wire::TcpHeader::checksum_ok(bytes, ip.src, ip.dst)) {
    m_host.record_drop(Layer::Transport, DropReason::BadChecksum, segment, l3_event, flow);
    return;
  }
  const EventId l4 =
      m_host.record(Layer::Transport, EventKind::Receive, segment, l3_event, flow, kTcp);

  const Key key{ip.dst.value, header->dst_port, ip.src.value, header->src_port};
  if (const auto it = m_streams.find(key); it != m_streams.end()) {
    // Hold a reference: the segment may close the connection and retire the stream.
    const std::shared_ptr<TcpStream> stream = it->second;
    if (stream->m_connection) {
      stream->m_rx_event = l4;
      stream->m_connection->on_segment(*header, payload);
      stream->m_rx_event = kNoEvent;
    }
    return;
  }

  const bool bare_syn = header->has(wire::tcp_flags::kSyn) && !header->has(wire::tcp_flags::kAck) &&
                        !header->has(wire::tcp_flags::kRst);
  const auto listener = m_listeners.find(header->dst_port);
  if (bare_syn && listener != m_listeners.end()) {
    TcpListener& l = *listener->second;
    if (l.m_half_open >= m_config.syn_backlog_max) {
      m_host.record_drop(Layer::Transport, DropReason::QueueFull, segment, l4, flow);
      return;
    }
    ++l.m_half_open;
    auto stream =
        create(TcpEndpoint{ip.dst, header->dst_port}, TcpEndpoint{ip.src, header->src_port});
    stream->m_listener = &l;
    stream->m_rx_event = l4;
    stream->m_connection->open_passive(*header);
    stream->m_rx_event = kNoEvent;
    return;
  }
  const EventId drop =
      m_host.record_drop(Layer::Transport, DropReason::NoConnection, segment, l4, flow);
  if (!header->has(wire::tcp_flags::kRst)) send_reset(ip, *header, payload.size(), drop, flow);
}

void TcpStack::send_reset(const wire::Ipv4Header& ip, const wire::TcpHeader& segment,
                          std::size_t payload_len, EventId parent, FlowId flow) {
  // RFC 9293 3.10.7.1: take the sequence number from the ACK, or acknowledge what came.
  wire::TcpHeader reset;
  reset.src_port = segment.dst_port;
  reset.dst_port = segment.src_port;
  if (segment.has(wire::tcp_flags::kAck)) {
    reset.seq = segment.ack;
    reset.flags = wire::tcp_flags::kRst;
  } else {
    const auto length = static_cast<std::uint32_t>(payload_len) +
                        (segment.has(wire::tcp_flags::kSyn) ? 1u : 0u) +
                        (segment.has(wire::tcp_flags::kFin) ? 1u : 0u);
    reset.seq = 0;
    reset.ack = segment.seq + length;
    reset.flags = wire::tcp_flags::kRst | wire::tcp_flags::kAck;
  }
  m_segment.assign(reset.header_length(), 0);
  reset.emit(m_segment, ip.dst, ip.src);
  m_host.send_ip(ip.dst, ip.src, wire::IpProtocol::Tcp, m_segment, parent, flow);
}

void TcpStack::retire(TcpStream& stream) {
  // Called from inside the connection's own callbacks: destroy it only after they return.
  const Key key = key_of(stream);
  const auto it = m_streams.find(key);
  if (it == m_streams.end() || it->second.get() != &stream) return;
  std::shared_ptr<TcpStream> keep = it->second;
  m_streams.erase(it);
  if (stream.m_listener != nullptr && stream.m_listener->m_half_open > 0)
    --stream.m_listener->m_half_open;
  stream.m_listener = nullptr;
  m_host.sim().schedule_after(0, [keep] { keep->m_connection.reset(); });
}

void TcpStack::reset_all() {
  std::map<Key, std::shared_ptr<TcpStream>> streams = std::move(m_streams);
  m_streams.clear();
  for (auto& [key, stream] : streams) {
    stream->m_connection.reset();
    stream->m_listener = nullptr;
  }
}

}  // namespace mailscope::net
