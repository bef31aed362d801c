#include "net/tcp_rto.h"

#include <algorithm>

namespace mailscope::net {

TcpRto::TcpRto(TimeNs initial, TimeNs min, TimeNs max)
    : m_min(std::max<TimeNs>(min, 1)), m_max(std::max(max, m_min)), m_rto(clamp(initial)) {}

TimeNs TcpRto::clamp(TimeNs rto) const {
  return std::clamp(rto, m_min, m_max);
}

void TcpRto::on_sample(TimeNs rtt) {
  rtt = std::max<TimeNs>(rtt, 1);
  if (!m_has_sample) {
    m_srtt = rtt;
    m_rttvar = rtt / 2;
    m_has_sample = true;
  } else {
    // RTTVAR first: it uses the SRTT from before this sample (RFC 6298 2.3).
    const TimeNs deviation = m_srtt > rtt ? m_srtt - rtt : rtt - m_srtt;
    m_rttvar = (3 * m_rttvar + deviation) / 4;
    m_srtt = (7 * m_srtt + rtt) / 8;
  }
  m_rto = clamp(m_srtt + std::max(kGranularity, 4 * m_rttvar));
}

void TcpRto::back_off() {
  // Doubling a value at most m_max cannot overflow for any sane maximum; guard anyway.
  m_rto = m_rto > m_max / 2 ? m_max : clamp(2 * m_rto);
}

void TcpRto::reset_to(TimeNs rto) {
  m_rto = clamp(rto);
}

}  // namespace mailscope::net
