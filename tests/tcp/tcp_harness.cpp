#include "tcp/tcp_harness.h"

#include <sstream>

namespace mailscope::net::testing {

std::string flag_names(std::uint8_t flags) {
  static constexpr std::pair<std::uint8_t, const char*> kNames[] = {
      {kFin, "FIN"}, {kSyn, "SYN"}, {kRst, "RST"}, {kPsh, "PSH"}, {kAck, "ACK"}};
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if ((flags & bit) == 0) continue;
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

std::string describe(const Segment& s) {
  std::ostringstream out;
  out << (s.from == 0 ? "A>B " : "B>A ") << format_time(s.time) << ' ' << flag_names(s.header.flags)
      << " seq=" << s.header.seq << " ack=" << s.header.ack << " win=" << s.header.window;
  if (s.header.mss) out << " mss=" << *s.header.mss;
  out << " len=" << s.payload.size();
  if (s.dropped) out << " (lost)";
  return out.str();
}

TcpPair::TcpPair(Options options)
    : sim(options.seed), m_options(options), m_loss_rng(sim.rng("test/channel/loss")) {
  m_connections[0] = std::make_unique<TcpConnection>(sim, options.a_config, kClient, kServer,
                                                     options.a_isn, hooks_for(0));
  m_connections[1] = std::make_unique<TcpConnection>(sim, options.b_config, kServer, kClient,
                                                     options.b_isn, hooks_for(1));
}

TcpConnection::Hooks TcpPair::hooks_for(int i) {
  SideLog& log = log_of(i);
  TcpConnection::Hooks hooks;
  hooks.transmit = [this, i](const wire::TcpHeader& h, wire::ByteView payload) {
    transmit(i, h, payload);
  };
  hooks.state_changed = [this, &log](TcpState from, TcpState to) {
    if (log.states.empty()) log.states.emplace_back(to_string(from));
    log.states.emplace_back(to_string(to));
    log.state_times.push_back(sim.now());
  };
  hooks.connected = [this, &log, i] {
    ++log.connected;
    if (on_connected[static_cast<std::size_t>(i)]) on_connected[static_cast<std::size_t>(i)]();
  };
  hooks.data = [this, &log, i](wire::ByteView bytes) {
    log.received.insert(log.received.end(), bytes.begin(), bytes.end());
    if (on_data[static_cast<std::size_t>(i)]) on_data[static_cast<std::size_t>(i)](bytes);
  };
  hooks.peer_closed = [this, &log, i] {
    ++log.peer_closed;
    if (on_peer_closed[static_cast<std::size_t>(i)]) on_peer_closed[static_cast<std::size_t>(i)]();
  };
  hooks.closed = [&log] { ++log.closed; };
  hooks.failed = [this, &log](TcpError error) {
    log.error = error;
    log.error_time = sim.now();
  };
  hooks.retransmitted = [&log] { ++log.retransmitted; };
  hooks.writable = [this, i] {
    if (on_writable[static_cast<std::size_t>(i)]) on_writable[static_cast<std::size_t>(i)]();
  };
  return hooks;
}

void TcpPair::transmit(int from, const wire::TcpHeader& header, wire::ByteView payload) {
  Segment s{sim.now(), from, header, wire::Bytes(payload.begin(), payload.end()), false};
  if (on_transmit) on_transmit(s);
  // Draw for every segment, partitioned or not, so that a partition does not shift the
  // losses that follow it.
  const bool lost = m_loss_rng.chance(m_options.loss);
  s.dropped = partitioned || lost || (drop_rule && drop_rule(s));
  segments.push_back(s);
  if (s.dropped) return;
  const int to = 1 - from;
  sim.schedule_after(m_options.latency, [this, to, s = std::move(s)] {
    if (on_deliver) on_deliver(to, s);
    TcpConnection& target = side(to);
    // B plays the listener: its first SYN opens it passively.
    if (to == 1 && !m_b_opened && s.header.flags == kSyn) {
      m_b_opened = true;
      target.open_passive(s.header);
      return;
    }
    target.on_segment(s.header, s.payload);
  });
}

void TcpPair::connect() {
  a().open_active();
  while (!(a().state() == TcpState::Established && b().state() == TcpState::Established)) {
    if (!sim.step()) break;
  }
}

ScriptedPeer::ScriptedPeer(TcpConfig config, std::uint32_t isn) {
  TcpConnection::Hooks hooks;
  hooks.transmit = [this](const wire::TcpHeader& h, wire::ByteView payload) {
    sent.push_back(Segment{sim.now(), 0, h, wire::Bytes(payload.begin(), payload.end()), false});
  };
  hooks.state_changed = [this](TcpState from, TcpState to) {
    if (log.states.empty()) log.states.emplace_back(to_string(from));
    log.states.emplace_back(to_string(to));
    log.state_times.push_back(sim.now());
  };
  hooks.connected = [this] { ++log.connected; };
  hooks.data = [this](wire::ByteView bytes) {
    log.received.insert(log.received.end(), bytes.begin(), bytes.end());
    if (on_data) on_data(bytes);
  };
  hooks.peer_closed = [this] {
    ++log.peer_closed;
    if (on_peer_closed) on_peer_closed();
  };
  hooks.closed = [this] { ++log.closed; };
  hooks.failed = [this](TcpError error) {
    log.error = error;
    log.error_time = sim.now();
  };
  hooks.retransmitted = [this] { ++log.retransmitted; };
  connection =
      std::make_unique<TcpConnection>(sim, config, kClient, kServer, isn, std::move(hooks));
}

wire::TcpHeader ScriptedPeer::segment(std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
                                      std::uint16_t window) const {
  wire::TcpHeader h;
  h.src_port = kServer.port;
  h.dst_port = kClient.port;
  h.seq = seq;
  h.ack = ack;
  h.flags = flags;
  h.window = window;
  return h;
}

void ScriptedPeer::deliver(const wire::TcpHeader& header, wire::ByteView payload) {
  connection->on_segment(header, payload);
}

void ScriptedPeer::deliver(const wire::TcpHeader& header, std::string_view text) {
  deliver(header, wire::as_bytes(text));
}

std::vector<Segment> ScriptedPeer::take_sent() {
  std::vector<Segment> out(sent.begin() + static_cast<std::ptrdiff_t>(m_taken), sent.end());
  m_taken = sent.size();
  return out;
}

void ScriptedPeer::establish_active(std::uint32_t peer_isn, std::optional<std::uint16_t> mss,
                                    std::uint16_t window) {
  connection->open_active();
  wire::TcpHeader syn_ack =
      segment(peer_isn, connection->initial_sequence() + 1, kSyn | kAck, window);
  syn_ack.mss = mss;
  deliver(syn_ack);
  peer_next = peer_isn + 1;
}

void ScriptedPeer::establish_passive(std::uint32_t peer_isn, std::uint16_t window) {
  wire::TcpHeader syn = segment(peer_isn, 0, kSyn, window);
  syn.mss = 1460;
  connection->open_passive(syn);
  deliver(segment(peer_isn + 1, connection->initial_sequence() + 1, kAck, window));
  peer_next = peer_isn + 1;
}

}  // namespace mailscope::net::testing
