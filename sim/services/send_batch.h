#pragma once
// SendBatch: gathers the consecutive undelayed writes an engine returns from one call into one
// AppConnection::send, one L7 unit per engine write. A FETCH of a thousand messages is then a
// few large TCP writes (and TLS records) rather than a thousand small ones, while the trace
// still has one L7 event per response.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/app_connection.h"

namespace mailscope::services {

class SendBatch {
 public:
  // A write that would take the batch past this many bytes starts a new one.
  static constexpr std::size_t kBytesMax = 1 << 20;

  void add(AppConnection& connection, std::string_view bytes, L7Unit unit, EventId cause) {
    if (!m_units.empty() && m_bytes.size() + bytes.size() > kBytesMax) flush(connection);
    m_bytes.append(bytes);
    m_units.push_back(unit);
    m_cause = cause;
  }
  // Sets the detail of the last unit added (an observation that follows its write).
  void mark_last(std::uint16_t detail) {
    if (!m_units.empty()) m_units.back().detail = detail;
  }
  void flush(AppConnection& connection) {
    if (m_units.empty()) return;
    connection.send(std::exchange(m_bytes, {}), std::exchange(m_units, {}), m_cause);
  }

 private:
  std::string m_bytes;          // the writes so far, in order
  std::vector<L7Unit> m_units;  // one per write; their sizes add up to m_bytes.size()
  EventId m_cause = kNoEvent;
};

}  // namespace mailscope::services
