#pragma once
// TcpRto: the retransmission timeout of one connection, computed as RFC 6298 describes:
// a smoothed round-trip time (SRTT) and its variation (RTTVAR) from samples, RTO = SRTT +
// max(G, 4 * RTTVAR), clamped to [min, max], doubled on every timeout (exponential backoff).
// The caller applies Karn's rule: it only feeds samples from segments sent exactly once.

#include "core/time.h"

namespace mailscope::net {

class TcpRto {
 public:
  // The clock granularity G of RFC 6298 (2.2); the virtual clock has nanoseconds, but a
  // millisecond keeps RTO above SRTT when the path has no jitter at all (RTTVAR decays to 0).
  static constexpr TimeNs kGranularity = 1 * kMillisecond;

  TcpRto(TimeNs initial, TimeNs min, TimeNs max);

  // Folds one round-trip measurement in (RFC 6298 2.2 and 2.3) and ends any backoff.
  void on_sample(TimeNs rtt);
  // Doubles the timeout after a retransmission timer expired (RFC 6298 5.5), up to max.
  void back_off();
  // Sets the timeout directly (clamped), e.g. 3 s after a lost SYN (RFC 6298 5.7).
  void reset_to(TimeNs rto);

  TimeNs rto() const { return m_rto; }
  TimeNs srtt() const { return m_srtt; }      // 0 until the first sample
  TimeNs rttvar() const { return m_rttvar; }  // 0 until the first sample
  bool has_sample() const { return m_has_sample; }

 private:
  TimeNs clamp(TimeNs rto) const;

  TimeNs m_min;
  TimeNs m_max;
  TimeNs m_rto;  // always within [m_min, m_max]
  TimeNs m_srtt = 0;
  TimeNs m_rttvar = 0;
  bool m_has_sample = false;
};

}  // namespace mailscope::net
