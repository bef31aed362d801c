#pragma once
// KeyLog: collects TLS secrets in the NSS key log format that Wireshark reads
// (`tshark -o tls.keylog_file:FILE`), one line per secret, e.g.
//   CLIENT_HANDSHAKE_TRAFFIC_SECRET <client random, 64 hex> <secret, hex>
// With it, the ciphertext in a MailScope pcap decrypts to the SMTP/IMAP/POP3 dialogue.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mailscope::tls {

// One parsed line: label, the client random that identifies the connection, and the secret.
struct KeyLogLine {
  std::string label;          // "CLIENT_RANDOM" (TLS 1.2) or a TLS 1.3 secret's name
  std::string client_random;  // 64 lower-case hex digits
  std::string secret;         // hex digits (96 for a TLS 1.2 master secret)
};

// Parses "<LABEL> <client_random> <secret>"; the Error says which field is wrong.
Result<KeyLogLine> parse_key_log_line(std::string_view line);

class KeyLog {
 public:
  // Enough for thousands of connections (five lines each with TLS 1.3).
  static constexpr std::size_t kLinesMax = 100'000;

  // Appends a line; beyond kLinesMax lines are counted in dropped() instead.
  void add(std::string_view line);
  // A hook for TlsHooks::on_keylog that appends here; this KeyLog must outlive the endpoint.
  std::function<void(std::string_view)> collector();

  const std::vector<std::string>& lines() const { return m_lines; }
  std::size_t dropped() const { return m_dropped; }
  // Every line followed by '\n', as the file holds it.
  std::string text() const;
  // Writes text() to `path`; returns the number of bytes written.
  Result<std::size_t> write_file(const std::string& path) const;

 private:
  std::vector<std::string> m_lines;  // at most kLinesMax, in the order the secrets appeared
  std::size_t m_dropped = 0;
};

}  // namespace mailscope::tls
