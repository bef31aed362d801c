#include "wire/dns_tcp.h"

#include <cassert>

namespace mailscope::wire {

Bytes dns_tcp_frame(ByteView message) {
  assert(message.size() <= kDnsTcpMessageSizeMax);
  Bytes out;
  out.reserve(message.size() + 2);
  out.push_back(static_cast<std::uint8_t>(message.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(message.size()));
  out.insert(out.end(), message.begin(), message.end());
  return out;
}

std::optional<Error> DnsTcpReader::feed(ByteView bytes) {
  if (buffered_size() + bytes.size() > m_buffer_size_max) {
    return make_error("more unread DNS stream data than the " + std::to_string(m_buffer_size_max) +
                          "-byte buffer holds",
                      "tcp stream", buffered_size());
  }
  // Drop consumed bytes first, so the buffer never grows past the limit plus one read.
  if (m_read > 0) {
    m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(m_read));
    m_read = 0;
  }
  m_buffer.insert(m_buffer.end(), bytes.begin(), bytes.end());
  return std::nullopt;
}

std::optional<Bytes> DnsTcpReader::next_message() {
  if (buffered_size() < 2) return std::nullopt;
  const std::size_t length = read_u16(m_buffer, m_read);
  if (buffered_size() < 2 + length) return std::nullopt;
  const auto first = m_buffer.begin() + static_cast<std::ptrdiff_t>(m_read + 2);
  Bytes message(first, first + static_cast<std::ptrdiff_t>(length));
  m_read += 2 + length;
  return message;
}

}  // namespace mailscope::wire
