#pragma once
// Tunables of the simulated TCP, with defaults close to RFC 6298 / Linux where they matter for
// what a student sees (retransmission timing, segment sizes).

#include <cstdint>

#include "core/time.h"

namespace mailscope::net {

struct TcpConfig {
  std::uint16_t mss = 1460;                 // advertised in our SYN; MTU 1500 - 40
  std::uint32_t receive_buffer = 65535;     // bytes; bounds the advertised window
  std::uint32_t send_buffer = 256 * 1024;   // bytes the application may queue
  std::uint32_t initial_cwnd_segments = 10; // RFC 6928
  TimeNs rto_initial = 1 * kSecond;         // RFC 6298 (2.1)
  TimeNs rto_min = 200 * kMillisecond;      // Linux's floor; RFC 6298 suggests 1 s
  TimeNs rto_max = 60 * kSecond;
  int syn_retries = 5;                      // SYN retransmissions before "timed out"
  int data_retries = 8;                     // retransmissions of one segment before abort
  TimeNs time_wait = 2 * kSecond;
  // Half-open connections a listener holds before it drops further SYNs (Linux's
  // tcp_max_syn_backlog); the SYN's sender retries after its RTO.
  std::uint32_t syn_backlog_max = 128;           // 2*MSL, shortened so lessons do not idle
  // FIN_WAIT_2 gives up waiting for the peer's FIN after this long without a segment from it
  // (Linux's tcp_fin_timeout), so a peer that never closes cannot hold the state forever.
  TimeNs fin_wait2_timeout = 60 * kSecond;
};

}  // namespace mailscope::net
