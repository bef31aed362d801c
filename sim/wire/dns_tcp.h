#pragma once
// DNS over TCP framing (RFC 1035 §4.2.2, RFC 7766 §8): every message on the stream is preceded
// by its length as a two-octet big-endian number. Sans-I/O: the reader takes stream bytes in
// whatever pieces TCP delivers them and hands back whole messages.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>  // wire/bytes.h uses it without including it

#include "core/result.h"
#include "wire/bytes.h"

namespace mailscope::wire {

inline constexpr std::size_t kDnsTcpMessageSizeMax = 65535;

// `message` preceded by its length. Precondition: message.size() <= 65535 (emit_truncated(65535)
// guarantees it for a DnsMessage).
Bytes dns_tcp_frame(ByteView message);

class DnsTcpReader {
 public:
  // Room for one largest message and its prefix, plus the start of the next one.
  static constexpr std::size_t kDefaultBufferSizeMax = 2 * (kDnsTcpMessageSizeMax + 2);

  explicit DnsTcpReader(std::size_t buffer_size_max = kDefaultBufferSizeMax)
      : m_buffer_size_max(buffer_size_max) {}

  // Appends bytes from the stream. Fails, taking none of them, when the unread bytes would
  // exceed the buffer limit (a peer that sends faster than we read).
  std::optional<Error> feed(ByteView bytes);
  // The next complete message (without its length prefix), if one has arrived.
  std::optional<Bytes> next_message();
  // Bytes received and not yet returned as a message.
  std::size_t buffered_size() const { return m_buffer.size() - m_read; }

 private:
  Bytes m_buffer;          // received stream bytes; [m_read, end) are not yet consumed
  std::size_t m_read = 0;  // start of the first unconsumed length prefix
  std::size_t m_buffer_size_max;
};

}  // namespace mailscope::wire
