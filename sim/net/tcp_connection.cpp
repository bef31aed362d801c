#include "net/tcp_connection.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "net/tcp_seq.h"

namespace mailscope::net {

using wire::ByteView;
using wire::TcpHeader;
namespace flags = wire::tcp_flags;

namespace {

// ssthresh starts "arbitrarily high" (RFC 5681 3.1), so the peer's window limits slow start.
constexpr std::uint32_t kInitialSsthresh = 0x7fffffff;
// cwnd never grows past this, so that adding to it cannot overflow 32 bits.
constexpr std::uint32_t kCwndMax = 1u << 30;
// RFC 6298 5.7: when the SYN had to be repeated, RTO starts again from 3 s once data flows.
constexpr TimeNs kRtoAfterSynLoss = 3 * kSecond;
// A repeated SYN is answered with a SYN-ACK at most this often, like Linux's limit on answers to
// out-of-window segments (tcp_invalid_ratelimit), so that our own retransmission timer and the
// peer's repeated SYN do not produce two SYN-ACKs at once.
constexpr TimeNs kSynAckAnswerInterval = 500 * kMillisecond;

}  // namespace

// ---------------------------------------------------------------------------------------------
// Names and construction

std::string_view to_string(TcpState state) {
  switch (state) {
    case TcpState::Closed:
      return "CLOSED";
    case TcpState::Listen:
      return "LISTEN";
    case TcpState::SynSent:
      return "SYN_SENT";
    case TcpState::SynReceived:
      return "SYN_RECEIVED";
    case TcpState::Established:
      return "ESTABLISHED";
    case TcpState::FinWait1:
      return "FIN_WAIT_1";
    case TcpState::FinWait2:
      return "FIN_WAIT_2";
    case TcpState::CloseWait:
      return "CLOSE_WAIT";
    case TcpState::Closing:
      return "CLOSING";
    case TcpState::LastAck:
      return "LAST_ACK";
    case TcpState::TimeWait:
      return "TIME_WAIT";
  }
  return "UNKNOWN";
}

std::string_view to_string(TcpError error) {
  switch (error) {
    case TcpError::Refused:
      return "connection refused";
    case TcpError::Reset:
      return "connection reset";
    case TcpError::TimedOut:
      return "connection timed out";
  }
  return "unknown error";
}

TcpConnection::TcpConnection(Simulator& sim, const TcpConfig& config, TcpEndpoint local,
                             TcpEndpoint remote, std::uint32_t initial_sequence, Hooks hooks)
    : m_sim(sim),
      m_config(config),
      m_local(local),
      m_remote(remote),
      m_hooks(std::move(hooks)),
      m_iss(initial_sequence),
      m_snd_una(initial_sequence),
      m_snd_nxt(initial_sequence),
      m_snd_max(initial_sequence),
      m_send_buffer(sim.buffers()),
      m_send_buffer_seq(initial_sequence + 1),
      m_mss(std::max<std::uint16_t>(1, std::min(config.mss, kDefaultPeerMss))),
      m_rto(config.rto_initial, config.rto_min, config.rto_max),
      m_reassembly(config.receive_buffer) {}

TcpConnection::~TcpConnection() {
  cancel_timers();
  *m_alive = false;
}

// ---------------------------------------------------------------------------------------------
// The application's calls

void TcpConnection::open_active() {
  // A connection object is opened once; after it closed, the owner makes a new one.
  if (m_state != TcpState::Closed || m_snd_max != m_iss) return;
  m_active_open = true;
  if (!enter_state(TcpState::SynSent)) return;
  m_snd_nxt = m_snd_max = m_iss + 1;
  send_syn();
  start_rtt(m_iss + 1);
  arm_retransmit();
}

void TcpConnection::open_passive(const TcpHeader& syn) {
  if (m_state != TcpState::Closed || m_snd_max != m_iss) return;
  if (!syn.has(flags::kSyn) || syn.has(flags::kAck) || syn.has(flags::kRst)) return;
  if (syn.src_port != m_remote.port || syn.dst_port != m_local.port) return;
  m_state = TcpState::Listen;
  m_irs = syn.seq;
  m_rcv_nxt = syn.seq + 1;
  m_rcv_adv = m_rcv_nxt;
  learn_peer_mss(syn.mss);
  m_snd_wnd = m_snd_wnd_max = syn.window;
  m_snd_wl1 = syn.seq;
  m_snd_wl2 = m_iss;
  // Data or FIN on the SYN are not kept; the peer sends them again after the handshake.
  if (!enter_state(TcpState::SynReceived) || m_state != TcpState::SynReceived) return;
  m_snd_nxt = m_snd_max = m_iss + 1;
  send_syn();
  start_rtt(m_iss + 1);
  arm_retransmit();
}

std::size_t TcpConnection::send(ByteView bytes) {
  const bool open = m_state == TcpState::SynSent || m_state == TcpState::SynReceived ||
                    m_state == TcpState::Established || m_state == TcpState::CloseWait;
  if (!open || m_fin_queued || bytes.empty()) return 0;
  const std::size_t accepted = std::min(bytes.size(), send_buffer_free());
  if (accepted < bytes.size()) m_send_blocked = true;
  m_send_buffer.append(bytes.first(accepted));
  if (!m_in_segment) output();
  return accepted;
}

void TcpConnection::close() {
  switch (m_state) {
    case TcpState::SynSent:
      finish_closed();
      return;
    case TcpState::SynReceived:
      m_fin_queued = true;  // establish() moves on to FIN_WAIT_1
      return;
    case TcpState::Established:
      m_fin_queued = true;
      if (!enter_state(TcpState::FinWait1)) return;
      break;
    case TcpState::CloseWait:
      m_fin_queued = true;
      if (!enter_state(TcpState::LastAck)) return;
      break;
    default:
      return;  // not open, or closing already
  }
  if (!m_in_segment) output();
}

void TcpConnection::abort() {
  switch (m_state) {
    case TcpState::Closed:
      return;
    case TcpState::SynReceived:
    case TcpState::Established:
    case TcpState::FinWait1:
    case TcpState::FinWait2:
    case TcpState::CloseWait:
      send_reset_ack();
      break;
    default:
      // LISTEN and SYN_SENT: the peer holds nothing for us. CLOSING, LAST_ACK, TIME_WAIT: we
      // have closed already and RFC 9293 (3.10.5) sends nothing.
      break;
  }
  cancel_timers();
  m_closed_notified = true;
  enter_state(TcpState::Closed);
}

std::size_t TcpConnection::bytes_unsent() const {
  const std::uint32_t end = data_end();
  return seq_lt(m_snd_nxt, end) ? end - m_snd_nxt : 0;
}

std::size_t TcpConnection::send_buffer_free() const {
  return m_config.send_buffer > m_send_buffer.size() ? m_config.send_buffer - m_send_buffer.size()
                                                     : 0;
}

std::uint32_t TcpConnection::receive_window() const {
  const std::uint32_t buffer = std::min(m_config.receive_buffer, kMaxWindow);
  const auto held = static_cast<std::uint32_t>(m_reassembly.buffered_bytes());
  std::uint32_t window = buffer > held ? buffer - held : 0;
  // RFC 9293 3.8.6.2.2: do not take back window we offered before.
  if (seq_gt(m_rcv_adv, m_rcv_nxt)) window = std::max(window, m_rcv_adv - m_rcv_nxt);
  return std::min(window, kMaxWindow);
}

// ---------------------------------------------------------------------------------------------
// State and hooks

bool TcpConnection::enter_state(TcpState to) {
  if (to == m_state) return true;
  const TcpState from = m_state;
  m_state = to;
  if (!m_hooks.state_changed) return true;
  const std::shared_ptr<bool> alive = m_alive;
  const auto hook = m_hooks.state_changed;  // a copy: the owner may destroy us inside
  hook(from, to);
  return *alive;
}

template <typename Hook, typename... Args>
bool TcpConnection::notify(const Hook& hook, Args&&... args) {
  if (hook) {
    const std::shared_ptr<bool> alive = m_alive;
    const Hook copy = hook;  // the hook may abort us, which lets the owner destroy us
    copy(std::forward<Args>(args)...);
    if (!*alive) return false;
  }
  return m_state != TcpState::Closed;
}

bool TcpConnection::notify_closed() {
  if (m_closed_notified) return m_state != TcpState::Closed;
  m_closed_notified = true;
  return notify(m_hooks.closed);
}

void TcpConnection::finish_closed() {
  cancel_timers();
  if (!enter_state(TcpState::Closed)) return;
  notify_closed();
}

void TcpConnection::fail(TcpError error) {
  cancel_timers();
  m_closed_notified = true;
  if (!enter_state(TcpState::Closed)) return;
  notify(m_hooks.failed, error);
}

TcpConnection::Step TcpConnection::establish(HandshakeAck handshake_ack) {
  // RFC 5681 3.1 and RFC 6928: start with one segment when the SYN or SYN-ACK was repeated.
  const std::uint64_t segments =
      m_syn_retransmitted ? 1 : std::max<std::uint32_t>(1, m_config.initial_cwnd_segments);
  m_cwnd = static_cast<std::uint32_t>(std::min<std::uint64_t>(segments * m_mss, kCwndMax));
  m_ssthresh = kInitialSsthresh;
  if (m_syn_retransmitted && !m_rto.has_sample()) m_rto.reset_to(kRtoAfterSynLoss);
  if (!enter_state(TcpState::Established)) return Step::Gone;
  if (m_state != TcpState::Established) return Step::Gone;
  // The third segment of the handshake goes out on its own, before anything the application
  // sends from `connected`, so a capture always shows SYN, SYN-ACK, ACK.
  if (handshake_ack == HandshakeAck::Send) send_ack();
  if (!notify(m_hooks.connected)) return Step::Gone;
  if (m_fin_queued && m_state == TcpState::Established) {
    if (!enter_state(TcpState::FinWait1)) return Step::Gone;
  }
  return Step::Continue;
}

// ---------------------------------------------------------------------------------------------
// Segment arrival (RFC 9293 3.10.7)

void TcpConnection::on_segment(const TcpHeader& h, ByteView payload) {
  if (h.src_port != m_remote.port || h.dst_port != m_local.port) return;
  if (m_state == TcpState::Closed || m_state == TcpState::Listen) return;
  const std::shared_ptr<bool> alive = m_alive;
  m_in_segment = true;
  const Step step = m_state == TcpState::SynSent ? on_syn_sent(h) : on_synchronized(h, payload);
  if (!*alive) return;
  m_in_segment = false;
  if (step == Step::Gone || m_state == TcpState::Closed) return;
  // Whatever the application queued while the segment was processed goes out now, carrying
  // the acknowledgement; only if nothing did is a pure ACK sent.
  output();
  if (m_ack_needed) send_ack();
}

TcpConnection::Step TcpConnection::on_syn_sent(const TcpHeader& h) {
  const bool has_ack = h.has(flags::kAck);
  if (has_ack && (seq_le(h.ack, m_iss) || seq_gt(h.ack, m_snd_max))) {
    // An ACK for something we never sent: a stale connection on the peer's side.
    if (!h.has(flags::kRst)) send_reset(h.ack);
    return Step::Drop;
  }
  if (h.has(flags::kRst)) {
    if (!has_ack) return Step::Drop;  // cannot be matched to our SYN
    fail(TcpError::Refused);
    return Step::Gone;
  }
  if (!h.has(flags::kSyn)) return Step::Drop;
  m_irs = h.seq;
  m_rcv_nxt = h.seq + 1;
  m_rcv_adv = m_rcv_nxt;
  learn_peer_mss(h.mss);
  m_snd_wnd = m_snd_wnd_max = h.window;
  m_snd_wl1 = h.seq;
  m_snd_wl2 = h.ack;
  if (has_ack) {
    take_rtt_sample(h.ack);
    m_snd_una = h.ack;
    disarm_retransmit();
    m_retries = 0;
    // Data on a SYN-ACK is not kept: our ACK does not cover it, so the peer repeats it.
    return establish(HandshakeAck::Send);
  }
  // Simultaneous open (RFC 9293 figure 8): the peer's SYN crossed ours.
  if (!enter_state(TcpState::SynReceived)) return Step::Gone;
  send_syn();
  arm_retransmit();
  return Step::Drop;
}

TcpConnection::Step TcpConnection::on_synchronized(const TcpHeader& h, ByteView payload) {
  const std::uint32_t length = static_cast<std::uint32_t>(payload.size()) +
                               (h.has(flags::kSyn) ? 1 : 0) + (h.has(flags::kFin) ? 1 : 0);
  // The peer repeated its SYN: our SYN-ACK was lost. Answer at once, as Linux does.
  if (m_state == TcpState::SynReceived && h.flags == flags::kSyn && h.seq == m_irs) {
    if (m_sim.now() - m_syn_sent_at >= kSynAckAnswerInterval) {
      send_syn();
      note_retransmission(m_iss);
    }
    return Step::Drop;
  }
  if (!acceptable(h.seq, length)) {
    if (!h.has(flags::kRst)) {
      m_ack_needed = true;  // tells the peer where we are (old duplicate, or beyond the window)
      if (m_state == TcpState::TimeWait && h.has(flags::kFin)) restart_time_wait();
    }
    return Step::Drop;
  }
  if (h.has(flags::kRst)) return on_reset(h);
  if (h.has(flags::kSyn)) {
    m_ack_needed = true;  // RFC 5961 4.2: a SYN on a synchronized connection gets a challenge ACK
    return Step::Drop;
  }
  if (!h.has(flags::kAck)) return Step::Drop;
  if (m_state == TcpState::SynReceived) {
    if (seq_le(h.ack, m_snd_una) || seq_gt(h.ack, m_snd_max)) {
      send_reset(h.ack);
      return Step::Drop;
    }
    take_rtt_sample(h.ack);
    m_snd_una = h.ack;
    disarm_retransmit();
    m_retries = 0;
    m_snd_wnd = h.window;
    m_snd_wnd_max = std::max(m_snd_wnd_max, m_snd_wnd);
    m_snd_wl1 = h.seq;
    m_snd_wl2 = h.ack;
    const Step step = establish(HandshakeAck::None);
    if (step != Step::Continue) return step;
  }
  const Step step = on_ack(h, payload.size());
  if (step != Step::Continue) return step;
  return on_text(h, payload);
}

bool TcpConnection::acceptable(std::uint32_t seq, std::uint32_t length) const {
  const std::uint32_t window = receive_window();
  if (length == 0) {
    if (window == 0) return seq == m_rcv_nxt;
    // The right edge itself is allowed (as Linux does): a pure ACK from a peer whose data
    // filled our window carries exactly that sequence number.
    return seq_le(m_rcv_nxt, seq) && seq_le(seq, m_rcv_nxt + window);
  }
  if (window == 0) return false;
  const std::uint32_t end = m_rcv_nxt + window;
  return seq_in(seq, m_rcv_nxt, end) || seq_in(seq + length - 1, m_rcv_nxt, end);
}

TcpConnection::Step TcpConnection::on_reset(const TcpHeader& h) {
  // RFC 5961 3.2: only a RST at exactly rcv_nxt resets; one elsewhere in the window may be
  // forged, so we answer with a challenge ACK that a real peer will answer with a proper RST.
  if (h.seq != m_rcv_nxt) {
    m_ack_needed = true;
    return Step::Drop;
  }
  switch (m_state) {
    case TcpState::SynReceived:
      fail(m_active_open ? TcpError::Refused : TcpError::Reset);
      break;
    case TcpState::TimeWait:
      // `closed` already fired: just end TIME_WAIT early (RFC 9293 3.10.7.4).
      cancel_timers();
      enter_state(TcpState::Closed);
      break;
    default:
      fail(TcpError::Reset);
      break;
  }
  return Step::Gone;
}

// ---------------------------------------------------------------------------------------------
// Acknowledgements and congestion control (RFC 5681, RFC 6582)

TcpConnection::Step TcpConnection::on_ack(const TcpHeader& h, std::size_t payload_size) {
  if (seq_gt(h.ack, m_snd_max)) {
    m_ack_needed = true;  // acknowledges data we never sent
    return Step::Drop;
  }
  if (seq_lt(h.ack, m_snd_una - m_snd_wnd_max)) {
    m_ack_needed = true;  // RFC 5961 5.2: far too old to be real
    return Step::Drop;
  }
  const bool advances = seq_gt(h.ack, m_snd_una);
  // RFC 5681 2: a duplicate ACK carries no data and no new window while data is outstanding.
  const bool duplicate = !advances && h.ack == m_snd_una && payload_size == 0 &&
                         !h.has(flags::kFin) && h.window == m_snd_wnd && m_snd_max != m_snd_una &&
                         m_persist_interval == 0;
  update_window(h);
  m_probes = 0;
  if (advances) {
    on_new_ack(h.ack);
  } else if (duplicate) {
    on_duplicate_ack();
  }
  if (m_snd_wnd > 0 && m_persist_interval != 0) {
    cancel(m_persist_timer);  // the window opened: output() resumes normal sending
    m_persist_interval = 0;
  }
  switch (m_state) {
    case TcpState::FinWait1:
      if (fin_acked()) {
        if (!enter_state(TcpState::FinWait2)) return Step::Gone;
        restart_fin_wait2();
      }
      break;
    case TcpState::Closing:
      if (fin_acked()) {
        if (enter_time_wait() == Step::Continue) notify_closed();
        return Step::Gone;
      }
      break;
    case TcpState::LastAck:
      if (fin_acked()) {
        finish_closed();
        return Step::Gone;
      }
      break;
    default:
      break;
  }
  if (m_send_blocked && send_buffer_free() > 0) {
    m_send_blocked = false;
    if (!notify(m_hooks.writable)) return Step::Gone;
  }
  return Step::Continue;
}

void TcpConnection::update_window(const TcpHeader& h) {
  // RFC 9293 3.10.7.4: only a segment newer than the last update may change the window.
  if (seq_lt(m_snd_wl1, h.seq) || (m_snd_wl1 == h.seq && seq_le(m_snd_wl2, h.ack))) {
    m_snd_wnd = h.window;
    m_snd_wnd_max = std::max(m_snd_wnd_max, m_snd_wnd);
    m_snd_wl1 = h.seq;
    m_snd_wl2 = h.ack;
  }
}

void TcpConnection::on_new_ack(std::uint32_t ack) {
  const std::uint32_t acked = ack - m_snd_una;
  if (seq_gt(ack, m_send_buffer_seq)) {
    const std::size_t count = std::min<std::size_t>(ack - m_send_buffer_seq, m_send_buffer.size());
    m_send_buffer.consume(count);
    m_send_buffer_seq += static_cast<std::uint32_t>(count);
  }
  m_snd_una = ack;
  if (seq_lt(m_snd_nxt, m_snd_una)) m_snd_nxt = m_snd_una;
  m_retries = 0;
  take_rtt_sample(ack);

  const std::uint32_t mss = m_mss;
  if (m_in_recovery) {
    if (seq_ge(ack, m_recover)) {
      // Full acknowledgement: leave recovery with cwnd deflated (RFC 6582 3.2 step 3).
      const std::uint32_t flight = m_snd_nxt - m_snd_una;
      m_cwnd = std::min(m_ssthresh, std::max(flight, mss) + mss);
      m_in_recovery = false;
      m_duplicate_acks = 0;
    } else {
      // Partial acknowledgement: the next segment was lost as well (RFC 6582 3.2 step 4).
      retransmit_head();
      m_cwnd = m_cwnd > acked ? m_cwnd - acked : 0;
      if (acked >= mss) m_cwnd += mss;
      m_cwnd = std::max(m_cwnd, mss);
    }
  } else {
    m_duplicate_acks = 0;
    if (m_cwnd < m_ssthresh) {
      m_cwnd += std::min(acked, mss);  // slow start
    } else {
      m_cwnd += std::max<std::uint32_t>(1, mss * mss / m_cwnd);  // congestion avoidance
    }
    m_cwnd = std::min(m_cwnd, kCwndMax);
  }
  // RFC 6298 5.2 and 5.3: stop the timer when all is acknowledged, else restart it.
  if (m_snd_una == m_snd_max) {
    disarm_retransmit();
  } else {
    arm_retransmit();
  }
}

void TcpConnection::on_duplicate_ack() {
  ++m_duplicate_acks;
  const std::uint32_t mss = m_mss;
  if (m_in_recovery) {
    // Each further duplicate means a segment left the network: inflate (RFC 5681 3.2 step 4).
    if (m_duplicate_acks > 3) m_cwnd = std::min(m_cwnd + mss, kCwndMax);
    return;
  }
  if (m_duplicate_acks != 3) return;
  // RFC 6582 4.1: duplicates for data sent before the last loss event start nothing new.
  if (m_recover_set && seq_lt(m_snd_una, m_recover)) return;
  const std::uint32_t flight = m_snd_max - m_snd_una;
  m_ssthresh = std::max(flight / 2, 2 * mss);
  m_recover = m_snd_max;
  m_recover_set = true;
  m_in_recovery = true;
  retransmit_head();  // fast retransmit
  m_cwnd = m_ssthresh + 3 * mss;
}

// ---------------------------------------------------------------------------------------------
// Received data and FIN

TcpConnection::Step TcpConnection::on_text(const TcpHeader& h, ByteView payload) {
  const bool fin = h.has(flags::kFin);
  if (payload.empty() && !fin) return Step::Continue;
  // After the peer's FIN (CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT) nothing more can come.
  if (m_state != TcpState::Established && m_state != TcpState::FinWait1 &&
      m_state != TcpState::FinWait2) {
    return Step::Continue;
  }
  m_ack_needed = true;  // every segment with data or FIN is acknowledged at once
  if (m_state == TcpState::FinWait2) restart_fin_wait2();

  // Positions relative to rcv_nxt; the front may repeat old bytes, the back may pass the window.
  const std::int64_t rel = static_cast<std::int32_t>(h.seq - m_rcv_nxt);
  const auto size = static_cast<std::int64_t>(payload.size());
  const std::int64_t window = receive_window();
  const std::int64_t begin = std::max<std::int64_t>(rel, 0);
  const std::int64_t end = std::min<std::int64_t>(rel + size, window);
  const std::uint64_t base = m_reassembly.next();
  if (fin && !m_fin_offset && rel + size >= 0 && rel + size <= window) {
    m_fin_offset = base + static_cast<std::uint64_t>(rel + size);
  }

  ByteView direct;
  if (begin < end) {
    const ByteView in_window = payload.subspan(static_cast<std::size_t>(begin - rel),
                                               static_cast<std::size_t>(end - begin));
    if (begin == 0) {
      direct = in_window;
      m_reassembly.skip(direct.size());
    } else {
      m_reassembly.store(base + static_cast<std::uint64_t>(begin), in_window);
    }
  }
  std::vector<wire::Bytes> ready;
  for (wire::Bytes chunk = m_reassembly.take_ready(); !chunk.empty();
       chunk = m_reassembly.take_ready()) {
    ready.push_back(std::move(chunk));
  }
  m_rcv_nxt += static_cast<std::uint32_t>(m_reassembly.next() - base);

  // The state moves before the application sees the bytes, as in a real stack where the FIN
  // is processed before the application reads: a reply sent from `data` then also ACKs it.
  const bool fin_now = m_fin_offset && *m_fin_offset == m_reassembly.next();
  if (fin_now) {
    m_rcv_nxt += 1;
    if (m_state == TcpState::FinWait2) {
      if (enter_time_wait() == Step::Gone) return Step::Gone;
    } else {
      // In FIN_WAIT_1 our FIN is not acknowledged yet (else we would be in FIN_WAIT_2).
      const TcpState next =
          m_state == TcpState::Established ? TcpState::CloseWait : TcpState::Closing;
      if (!enter_state(next)) return Step::Gone;
    }
  }
  if (!direct.empty() && !notify(m_hooks.data, direct)) return Step::Gone;
  for (const wire::Bytes& chunk : ready) {
    if (!notify(m_hooks.data, ByteView(chunk))) return Step::Gone;
  }
  if (!fin_now) return Step::Continue;
  if (!notify(m_hooks.peer_closed)) return Step::Gone;
  if (m_state == TcpState::TimeWait) {
    notify_closed();
    return Step::Gone;
  }
  return Step::Continue;
}

TcpConnection::Step TcpConnection::enter_time_wait() {
  cancel_timers();
  if (m_ack_needed) send_ack();  // acknowledge the peer's FIN before anything else
  restart_time_wait();
  if (!enter_state(TcpState::TimeWait) || m_state != TcpState::TimeWait) return Step::Gone;
  return Step::Continue;
}

// ---------------------------------------------------------------------------------------------
// Output and retransmission

bool TcpConnection::can_send_data() const {
  return m_state == TcpState::Established || m_state == TcpState::CloseWait ||
         m_state == TcpState::FinWait1 || m_state == TcpState::Closing ||
         m_state == TcpState::LastAck;
}

std::uint32_t TcpConnection::data_end() const {
  return m_send_buffer_seq + static_cast<std::uint32_t>(m_send_buffer.size());
}

bool TcpConnection::fin_sent() const {
  return m_fin_queued && seq_gt(m_snd_max, data_end());
}

bool TcpConnection::fin_acked() const {
  return fin_sent() && seq_gt(m_snd_una, data_end());
}

void TcpConnection::output() {
  if (!can_send_data()) return;
  const std::uint32_t mss = m_mss;
  for (;;) {
    const std::uint32_t end = data_end();
    const std::uint32_t flight = m_snd_nxt - m_snd_una;
    const std::uint32_t unsent = seq_lt(m_snd_nxt, end) ? end - m_snd_nxt : 0;
    const std::uint32_t limit = std::min(m_cwnd, m_snd_wnd);
    const std::uint32_t usable = limit > flight ? limit - flight : 0;
    std::uint32_t length = std::min({unsent, mss, usable});
    // Sender-side silly window avoidance (RFC 9293 3.8.6.2.1): a short segment that does not
    // end the data waits while others are in flight, unless half the peer's window is free.
    if (length < unsent && length < mss && flight > 0 && length < m_snd_wnd_max / 2) length = 0;
    const bool fin = m_fin_queued && m_snd_nxt + length == end;
    if (length == 0 && !fin) break;
    send_segment(m_snd_nxt, length, fin, SendKind::Normal);
    m_snd_nxt += length + (fin ? 1 : 0);
    if (!retransmit_armed()) arm_retransmit();
  }
  maybe_start_persist();
}

void TcpConnection::send_segment(std::uint32_t seq, std::uint32_t length, bool fin, SendKind kind) {
  const std::uint32_t end = seq + length + (fin ? 1 : 0);
  // emit() copies the payload into the frame before anything can append to the buffer.
  const wire::ByteView payload = m_send_buffer.view(seq - m_send_buffer_seq, length);
  std::uint8_t segment_flags = flags::kAck;
  if (length > 0 && seq + length == data_end()) segment_flags |= flags::kPsh;
  if (fin) segment_flags |= flags::kFin;
  const bool retransmission = kind == SendKind::Normal && seq_lt(seq, m_snd_max);
  if (kind == SendKind::Normal && !retransmission && !m_rtt_timing) start_rtt(end);
  if (seq_gt(end, m_snd_max)) m_snd_max = end;
  emit(seq, segment_flags, payload);
  if (retransmission) note_retransmission(seq);
}

void TcpConnection::retransmit_head() {
  const std::uint32_t end = data_end();
  const std::uint32_t outstanding = m_snd_max - m_snd_una;
  const std::uint32_t length =
      seq_lt(m_snd_una, end)
          ? std::min({end - m_snd_una, static_cast<std::uint32_t>(m_mss), outstanding})
          : 0;
  const bool fin = fin_sent() && m_snd_una + length == end;
  if (length == 0 && !fin) return;
  send_segment(m_snd_una, length, fin, SendKind::Normal);
  const std::uint32_t head_end = m_snd_una + length + (fin ? 1 : 0);
  if (seq_lt(m_snd_nxt, head_end)) m_snd_nxt = head_end;
}

void TcpConnection::send_syn() {
  const std::uint8_t syn_flags =
      m_state == TcpState::SynReceived ? flags::kSyn | flags::kAck : flags::kSyn;
  m_syn_sent_at = m_sim.now();
  emit(m_iss, syn_flags, {});
}

// A pure ACK carries the highest sequence number sent, which the peer always finds in its
// window, even while earlier segments are being sent again after a timeout.
void TcpConnection::send_ack() {
  emit(m_snd_max, flags::kAck, {});
}

void TcpConnection::send_reset(std::uint32_t seq) {
  emit(seq, flags::kRst, {});
}

void TcpConnection::send_reset_ack() {
  emit(m_snd_max, flags::kRst | flags::kAck, {});
}

void TcpConnection::emit(std::uint32_t seq, std::uint8_t segment_flags, ByteView payload) {
  TcpHeader h;
  h.src_port = m_local.port;
  h.dst_port = m_remote.port;
  h.seq = seq;
  h.flags = segment_flags;
  if ((segment_flags & flags::kAck) != 0) {
    h.ack = m_rcv_nxt;
    m_ack_needed = false;
  }
  h.window =
      (segment_flags & flags::kRst) != 0 ? 0 : static_cast<std::uint16_t>(advertise_window());
  if ((segment_flags & flags::kSyn) != 0) h.mss = m_config.mss;
  ++m_segments_sent;
  if (m_hooks.transmit) m_hooks.transmit(h, payload);
}

std::uint32_t TcpConnection::advertise_window() {
  const std::uint32_t window = receive_window();
  if (seq_gt(m_rcv_nxt + window, m_rcv_adv)) m_rcv_adv = m_rcv_nxt + window;
  return window;
}

void TcpConnection::start_rtt(std::uint32_t end_seq) {
  m_rtt_timing = true;
  m_rtt_seq = end_seq;
  m_rtt_start = m_sim.now();
}

void TcpConnection::take_rtt_sample(std::uint32_t ack) {
  if (!m_rtt_timing || seq_lt(ack, m_rtt_seq)) return;
  m_rto.on_sample(m_sim.now() - m_rtt_start);
  m_rtt_timing = false;
}

void TcpConnection::note_retransmission(std::uint32_t seq) {
  ++m_retransmissions;
  // Karn's rule: an ACK covering a segment sent twice cannot tell which copy it answers.
  if (m_rtt_timing && seq_lt(seq, m_rtt_seq)) m_rtt_timing = false;
  if (m_hooks.retransmitted) m_hooks.retransmitted();
}

// ---------------------------------------------------------------------------------------------
// Timers

void TcpConnection::cancel(TimerId& timer) {
  if (timer) m_sim.cancel(timer);
  timer = {};
}

void TcpConnection::cancel_timers() {
  cancel(m_retransmit_timer);
  m_retransmit_timer_at = kTimeNever;
  m_retransmit_deadline = kTimeNever;
  cancel(m_persist_timer);
  cancel(m_time_wait_timer);
  cancel(m_fin_wait2_timer);
  m_persist_interval = 0;
}

void TcpConnection::arm_retransmit() {
  m_retransmit_deadline = m_sim.now() + m_rto.rto();
  // A pending event that fires no later than the new deadline will re-schedule itself.
  if (m_retransmit_timer && m_retransmit_timer_at <= m_retransmit_deadline) return;
  cancel(m_retransmit_timer);
  schedule_retransmit_event(m_retransmit_deadline);
}

void TcpConnection::disarm_retransmit() {
  m_retransmit_deadline = kTimeNever;
  m_retransmit_timer_at = kTimeNever;
  cancel(m_retransmit_timer);
}

void TcpConnection::schedule_retransmit_event(TimeNs at) {
  m_retransmit_timer_at = at;
  m_retransmit_timer = m_sim.schedule_at(at, [this] {
    m_retransmit_timer = {};
    m_retransmit_timer_at = kTimeNever;
    if (m_retransmit_deadline == kTimeNever) return;  // disarmed meanwhile
    if (m_sim.now() < m_retransmit_deadline) {
      schedule_retransmit_event(m_retransmit_deadline);  // re-armed meanwhile: wait for the rest
      return;
    }
    on_retransmit_timeout();
  });
}

void TcpConnection::on_retransmit_timeout() {
  m_retransmit_deadline = kTimeNever;
  const bool handshake = m_state == TcpState::SynSent || m_state == TcpState::SynReceived;
  const int limit = handshake ? m_config.syn_retries : m_config.data_retries;
  if (m_retries >= limit) {
    // Linux tells an established peer that we gave up; a SYN that was never answered needs no RST.
    if (!handshake) send_reset_ack();
    fail(TcpError::TimedOut);
    return;
  }
  ++m_retries;
  m_rto.back_off();
  m_rtt_timing = false;  // Karn: everything in flight has now been sent twice
  if (handshake) {
    m_syn_retransmitted = true;
    send_syn();
    note_retransmission(m_iss);
    arm_retransmit();
    return;
  }
  if (m_snd_una == m_snd_max) return;  // nothing outstanding
  // RFC 5681 (4): halve on the first timeout of a segment; later ones keep ssthresh.
  if (m_retries == 1) m_ssthresh = std::max((m_snd_max - m_snd_una) / 2, 2u * m_mss);
  m_cwnd = m_mss;
  m_in_recovery = false;
  m_duplicate_acks = 0;
  m_recover = m_snd_max;
  m_recover_set = true;
  // Go back N: resend from the first unacknowledged byte, then slow start over what follows.
  m_snd_nxt = m_snd_una;
  retransmit_head();
  arm_retransmit();
}

void TcpConnection::maybe_start_persist() {
  if (m_persist_timer || retransmit_armed() || m_snd_wnd != 0) return;
  if (m_snd_nxt != m_snd_una || !seq_lt(m_snd_nxt, data_end())) return;
  // The peer's window is closed and data waits: probe it (RFC 9293 3.8.6.1).
  if (m_persist_interval == 0) m_persist_interval = m_rto.rto();
  m_persist_timer = m_sim.schedule_after(m_persist_interval, [this] { on_persist_timeout(); });
}

void TcpConnection::on_persist_timeout() {
  m_persist_timer = {};
  if (!can_send_data() || m_snd_wnd != 0 || !seq_lt(m_snd_una, data_end())) {
    m_persist_interval = 0;
    output();
    return;
  }
  // A peer that answers probes (with a zero window) resets m_probes and is probed forever;
  // one that answers nothing is given up on like an unacknowledged segment.
  if (m_probes >= m_config.data_retries) {
    send_reset_ack();
    fail(TcpError::TimedOut);
    return;
  }
  ++m_probes;
  send_segment(m_snd_una, 1, false, SendKind::Probe);  // one byte beyond the closed window
  m_persist_interval = std::min(2 * m_persist_interval, m_config.rto_max);
  m_persist_timer = m_sim.schedule_after(m_persist_interval, [this] { on_persist_timeout(); });
}

void TcpConnection::restart_time_wait() {
  cancel(m_time_wait_timer);
  m_time_wait_timer = m_sim.schedule_after(m_config.time_wait, [this] {
    m_time_wait_timer = {};
    cancel_timers();
    enter_state(TcpState::Closed);
  });
}

void TcpConnection::restart_fin_wait2() {
  cancel(m_fin_wait2_timer);
  m_fin_wait2_timer = m_sim.schedule_after(m_config.fin_wait2_timeout, [this] {
    m_fin_wait2_timer = {};
    if (m_state == TcpState::FinWait2) finish_closed();
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers

void TcpConnection::learn_peer_mss(std::optional<std::uint16_t> mss) {
  const std::uint16_t peer = mss ? std::max(*mss, kMinPeerMss) : kDefaultPeerMss;
  m_mss = std::max<std::uint16_t>(1, std::min(m_config.mss, peer));
}

}  // namespace mailscope::net
