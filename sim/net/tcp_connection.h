#pragma once
// TcpConnection: one end of a TCP connection (RFC 9293), with retransmission timing from
// RFC 6298 and congestion control from RFC 5681 / RFC 6582 (NewReno).
//
// The object is sans-I/O: segments come in through on_segment() and leave through the
// `transmit` hook as a header plus payload; the owner (the TCP demultiplexer) wraps them in
// IPv4 and Ethernet and records trace events. Timers run on the Simulator; nothing reads a clock.
//
// Sections of tcp_connection.cpp: names and construction / the application's calls (open, send,
// close, abort) / state and hooks / segment arrival (RFC 9293 3.10.7) / acknowledgements and
// congestion control / received data and FIN / output and retransmission / timers / helpers.
//
// Hooks and re-entrancy:
//  - Any hook may call send(), close() or abort(). Segments the application sends from inside
//    a hook that runs during on_segment() go out when that segment has been processed, so they
//    carry its acknowledgement (no separate pure ACK).
//  - The connection may be destroyed from inside `closed`, `failed`, or `state_changed` when the
//    new state is CLOSED; it touches none of its members after those return. It must not be
//    destroyed from inside other hooks, and `transmit` must not call back into it synchronously.
//  - `closed` fires once, on reaching TIME_WAIT or CLOSED after an orderly close. A connection in
//    TIME_WAIT still answers a retransmitted FIN; it reports CLOSED through `state_changed` when
//    time_wait has passed, which is when the owner may free it.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>  // also needed by wire/bytes.h, which does not include it

#include "core/simulator.h"
#include "net/byte_queue.h"
#include "net/tcp_config.h"
#include "net/tcp_reassembly.h"
#include "net/tcp_rto.h"
#include "wire/address.h"
#include "wire/bytes.h"
#include "wire/tcp.h"

namespace mailscope::net {

enum class TcpState : std::uint8_t {
  Closed,
  Listen,
  SynSent,
  SynReceived,
  Established,
  FinWait1,
  FinWait2,
  CloseWait,
  Closing,
  LastAck,
  TimeWait,
};
// The RFC 9293 names: "CLOSED", "SYN_SENT", "ESTABLISHED", "FIN_WAIT_1", "TIME_WAIT", ...
std::string_view to_string(TcpState state);

enum class TcpError : std::uint8_t {
  Refused,   // the peer answered our SYN with a RST
  Reset,     // an acceptable RST arrived on a synchronized connection
  TimedOut,  // retransmissions exhausted (syn_retries or data_retries)
};
// "connection refused", "connection reset", "connection timed out"
std::string_view to_string(TcpError error);

struct TcpEndpoint {
  wire::Ipv4Addr address;
  std::uint16_t port = 0;
  bool operator==(const TcpEndpoint&) const = default;
};

class TcpConnection {
 public:
  struct Hooks {
    // Sends one segment to the peer. The connection fills ports, seq, ack, flags, window and
    // (on SYN) mss; the caller builds IPv4/Ethernet around it and records trace events.
    std::function<void(const wire::TcpHeader&, wire::ByteView payload)> transmit;
    std::function<void(TcpState from, TcpState to)> state_changed;
    std::function<void()> connected;           // handshake completed (either side)
    std::function<void(wire::ByteView)> data;  // in-order bytes for the application
    std::function<void()> peer_closed;         // FIN received: no more data will come
    std::function<void()> closed;              // reached CLOSED/TIME_WAIT normally
    std::function<void(TcpError)> failed;      // aborted; no more callbacks after this
    std::function<void()> retransmitted;       // optional: a segment was sent again
    // Optional: send() accepted fewer bytes than offered, and acknowledgements have since freed
    // room in the send buffer.
    std::function<void()> writable;
  };

  // A peer that sends no MSS option gets 536 (RFC 9293 3.7.1); one that advertises less than
  // this floor gets the floor, so that no peer can make us send absurdly small segments.
  static constexpr std::uint16_t kDefaultPeerMss = 536;
  static constexpr std::uint16_t kMinPeerMss = 64;
  // Without window scaling the window field holds at most this many bytes.
  static constexpr std::uint32_t kMaxWindow = 65535;

  TcpConnection(Simulator& sim, const TcpConfig& config, TcpEndpoint local, TcpEndpoint remote,
                std::uint32_t initial_sequence, Hooks hooks);
  ~TcpConnection();
  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;

  // CLOSED -> SYN_SENT: sends our SYN with the MSS option.
  void open_active();
  // Called by a listener for a SYN it accepted: LISTEN -> SYN_RECEIVED, sends SYN-ACK. The
  // connection starts as a copy of the listening socket, so its history begins in LISTEN.
  void open_passive(const wire::TcpHeader& syn);
  void on_segment(const wire::TcpHeader& header, wire::ByteView payload);
  // Queues bytes; returns how many were accepted (bounded by the free send buffer). Returns 0
  // once close() was called or the connection is not open.
  std::size_t send(wire::ByteView bytes);
  // Sends FIN after everything queued has been sent (ESTABLISHED -> FIN_WAIT_1, CLOSE_WAIT ->
  // LAST_ACK). In SYN_SENT it gives up the attempt (CLOSED, `closed`); in SYN_RECEIVED the FIN
  // follows the handshake.
  void close();
  // Sends RST (when the peer holds state for us) and goes to CLOSED. Only `state_changed` fires.
  void abort();

  TcpState state() const { return m_state; }
  const TcpEndpoint& local() const { return m_local; }
  const TcpEndpoint& remote() const { return m_remote; }
  const TcpConfig& config() const { return m_config; }

  // Send side.
  std::uint32_t initial_sequence() const { return m_iss; }
  std::uint32_t snd_una() const { return m_snd_una; }
  std::uint32_t snd_nxt() const { return m_snd_nxt; }
  // Sequence space sent but not acknowledged (SYN and FIN count one each).
  std::uint32_t bytes_in_flight() const { return m_snd_nxt - m_snd_una; }
  // Bytes queued by the application and not sent yet.
  std::size_t bytes_unsent() const;
  std::size_t send_buffer_free() const;
  std::uint16_t effective_mss() const { return m_mss; }
  std::uint32_t cwnd() const { return m_cwnd; }
  std::uint32_t ssthresh() const { return m_ssthresh; }
  std::uint32_t peer_window() const { return m_snd_wnd; }
  bool in_fast_recovery() const { return m_in_recovery; }
  TimeNs srtt() const { return m_rto.srtt(); }
  TimeNs rttvar() const { return m_rto.rttvar(); }
  TimeNs rto() const { return m_rto.rto(); }
  // Segments sent more than once (timeouts, fast retransmits, repeated SYN/SYN-ACK/FIN).
  std::uint64_t retransmissions() const { return m_retransmissions; }
  std::uint64_t segments_sent() const { return m_segments_sent; }

  // Receive side.
  std::uint32_t rcv_nxt() const { return m_rcv_nxt; }
  // The window we advertise now: receive_buffer minus out-of-order bytes, never moving the
  // right edge we already advertised to the left, at most kMaxWindow.
  std::uint32_t receive_window() const;
  std::size_t out_of_order_bytes() const { return m_reassembly.buffered_bytes(); }

 private:
  // What the rest of a segment's processing should do after one step.
  enum class Step : std::uint8_t {
    Continue,  // go on with the next check
    Drop,      // ignore the rest of this segment (output and any pending ACK still go out)
    Gone,      // the connection closed or may have been destroyed: touch nothing
  };
  // Normal segments count as retransmissions when they repeat sequence space and may be timed;
  // a zero-window probe is neither.
  enum class SendKind : std::uint8_t { Normal, Probe };
  enum class HandshakeAck : std::uint8_t { Send, None };

  // Application side and state.
  bool enter_state(TcpState to);  // false when the owner destroyed us from state_changed
  template <typename Hook, typename... Args>
  bool notify(const Hook& hook, Args&&... args);  // false when we closed or were destroyed
  bool notify_closed();                           // `closed`, at most once
  void finish_closed();                           // orderly end in CLOSED; may destroy us
  void fail(TcpError error);                      // CLOSED + `failed`; may destroy us
  Step establish(HandshakeAck handshake_ack);     // -> ESTABLISHED, `connected`

  // Segment arrival.
  Step on_syn_sent(const wire::TcpHeader& h);
  Step on_synchronized(const wire::TcpHeader& h, wire::ByteView payload);
  bool acceptable(std::uint32_t seq, std::uint32_t length) const;
  Step on_reset(const wire::TcpHeader& h);
  Step on_ack(const wire::TcpHeader& h, std::size_t payload_size);
  void on_new_ack(std::uint32_t ack);
  void on_duplicate_ack();
  Step on_text(const wire::TcpHeader& h, wire::ByteView payload);
  Step enter_time_wait();  // ACKs what is owed, starts the 2*MSL timer; no `closed` yet

  // Output.
  void output();
  void send_segment(std::uint32_t seq, std::uint32_t length, bool fin, SendKind kind);
  void retransmit_head();
  void send_syn();
  void send_ack();
  void send_reset(std::uint32_t seq);  // <SEQ=seq><CTL=RST>, for segments that fit no state
  void send_reset_ack();               // RST,ACK from snd_max: we abort a connection
  void emit(std::uint32_t seq, std::uint8_t flags, wire::ByteView payload);
  void start_rtt(std::uint32_t end_seq);
  void take_rtt_sample(std::uint32_t ack);
  void note_retransmission(std::uint32_t seq);

  // Timers.
  void arm_retransmit();
  void disarm_retransmit();
  bool retransmit_armed() const { return m_retransmit_deadline != kTimeNever; }
  void schedule_retransmit_event(
      TimeNs at);  // (re)starts the retransmission timer with the current RTO
  void on_retransmit_timeout();
  void maybe_start_persist();
  void on_persist_timeout();
  void restart_time_wait();
  void restart_fin_wait2();
  void cancel_timers();
  void cancel(TimerId& timer);

  // Helpers.
  void learn_peer_mss(std::optional<std::uint16_t> mss);
  void update_window(const wire::TcpHeader& h);
  bool can_send_data() const;        // a state in which our data or FIN may go out
  bool fin_sent() const;             // our FIN has been sent at least once
  bool fin_acked() const;            // our FIN has been acknowledged
  std::uint32_t data_end() const;    // sequence number after the last queued byte
  std::uint32_t advertise_window();  // receive_window(), remembering the right edge

  Simulator& m_sim;
  TcpConfig m_config;
  TcpEndpoint m_local;
  TcpEndpoint m_remote;
  Hooks m_hooks;
  TcpState m_state = TcpState::Closed;
  bool m_active_open = false;
  // Shared with every frame that calls a hook, which keeps a copy: false once we are destroyed.
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
  // True while on_segment() runs: output waits until the segment has been fully processed.
  bool m_in_segment = false;
  bool m_closed_notified = false;  // `closed` fires at most once

  // Send side. Invariant: snd_una <= snd_nxt <= snd_max; the send buffer holds the bytes of
  // [m_send_buffer_seq, data_end()), of which those before snd_una are already gone, so
  // m_send_buffer_seq == snd_una once the SYN is acknowledged (and before our FIN is).
  std::uint32_t m_iss;
  std::uint32_t m_snd_una;
  std::uint32_t m_snd_nxt;      // next sequence number to send; set back to snd_una by a timeout
  std::uint32_t m_snd_max;      // highest sequence number sent + 1
  std::uint32_t m_snd_wnd = 0;  // the peer's advertised window
  std::uint32_t m_snd_wnd_max = 0;  // the largest window the peer ever advertised
  std::uint32_t m_snd_wl1 = 0;      // seq of the segment that last updated m_snd_wnd
  std::uint32_t m_snd_wl2 = 0;      // ack of the segment that last updated m_snd_wnd
  ByteQueue m_send_buffer;          // at most config.send_buffer bytes
  std::uint32_t m_send_buffer_seq;  // sequence number of m_send_buffer.front()
  bool m_fin_queued = false;        // close() was called: a FIN follows the last queued byte
  bool m_send_blocked = false;      // a send() was cut short; `writable` fires when room appears
  std::uint16_t m_mss;              // min(config.mss, peer's MSS): no segment carries more

  // Congestion control (RFC 5681, RFC 6582).
  std::uint32_t m_cwnd = 0;
  std::uint32_t m_ssthresh = 0;
  int m_duplicate_acks = 0;
  bool m_in_recovery = false;
  bool m_recover_set = false;
  std::uint32_t m_recover = 0;  // snd_max when recovery or the last timeout began

  // Retransmission (RFC 6298) and round-trip timing with Karn's rule.
  TcpRto m_rto;
  // The retransmission timer is lazy: re-arming on every ACK only moves m_retransmit_deadline;
  // the scheduled event fires at or before the deadline and re-schedules itself for the rest, so
  // the event queue sees one event per RTO period instead of one per ACK.
  TimerId m_retransmit_timer;
  TimeNs m_retransmit_timer_at = kTimeNever;  // when the scheduled event fires
  TimeNs m_retransmit_deadline = kTimeNever;  // when a retransmission is really due; never = off
  int m_retries = 0;  // timeouts in a row without the peer acknowledging anything new
  bool m_syn_retransmitted = false;
  TimeNs m_syn_sent_at = 0;  // when our SYN or SYN-ACK last left
  bool m_rtt_timing = false;
  std::uint32_t m_rtt_seq = 0;  // a sample is taken when this is acknowledged
  TimeNs m_rtt_start = 0;
  std::uint64_t m_retransmissions = 0;
  std::uint64_t m_segments_sent = 0;

  // Persist timer (zero window probing).
  TimerId m_persist_timer;
  TimeNs m_persist_interval = 0;  // 0 when not probing
  int m_probes = 0;               // probes sent since the peer last acknowledged anything

  TimerId m_time_wait_timer;
  TimerId m_fin_wait2_timer;

  // Receive side.
  std::uint32_t m_irs = 0;
  std::uint32_t m_rcv_nxt = 0;
  std::uint32_t m_rcv_adv = 0;  // right edge of the window we last advertised
  TcpReassembly m_reassembly;
  std::optional<std::uint64_t> m_fin_offset;  // stream offset of the peer's FIN, once seen
  bool m_ack_needed = false;  // an ACK is owed; cleared by any segment that carries ACK
};

}  // namespace mailscope::net
