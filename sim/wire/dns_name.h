#pragma once
// DnsName: a domain name as a sequence of labels (RFC 1035 §3.1), always fully qualified.
// Comparison ignores ASCII case (RFC 4343) while the stored labels keep the case they were given,
// so a name prints and goes back on the wire exactly as it came in.

#include <compare>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace mailscope::wire {

class DnsName {
 public:
  static constexpr std::size_t kLabelLengthMax = 63;
  static constexpr std::size_t kWireLengthMax = 255;  // uncompressed, root label included

  // The root name ".".
  DnsName() = default;
  static DnsName root() { return DnsName(); }

  // Presentation form: "gmail.com." or "gmail.com" (both absolute; there is no origin here),
  // "." for the root. Escapes "\." "\\" and "\DDD" put any octet in a label. Rejects empty
  // labels, labels over 63 octets and names over 255 octets.
  static Result<DnsName> parse(std::string_view text);
  // From raw labels, leftmost first; the same limits as parse().
  static Result<DnsName> from_labels(const std::vector<std::string>& labels);

  // Adds `label` on the right (towards the root). Returns false, leaving the name unchanged,
  // when the label is empty, longer than 63 octets or would make the name exceed 255 octets.
  bool append_label(std::string_view label);
  // The name one label longer on the left ("www" + "example.com." = "www.example.com.").
  Result<DnsName> child(std::string_view label) const;
  // The name without its leftmost label; the root's parent is the root.
  DnsName parent() const;

  const std::vector<std::string>& labels() const { return m_labels; }
  std::size_t label_count() const { return m_labels.size(); }
  bool is_root() const { return m_labels.empty(); }
  std::size_t wire_length() const { return m_wire_length; }
  // True when this name equals `ancestor` or lies below it (case-insensitive).
  bool is_subdomain_of(const DnsName& ancestor) const;
  // The same name with ASCII letters in lower case.
  DnsName lowercased() const;
  // Uncompressed wire form, root label included ("\5gmail\3com\0").
  std::string to_wire() const;

  // "gmail.com.", root ".", special and non-printable octets escaped as dig does.
  std::string to_string() const;
  // Without the trailing dot, root "<Root>": the form Wireshark shows.
  std::string to_display_string() const;

  // Case-insensitive equality (RFC 4343).
  friend bool operator==(const DnsName& a, const DnsName& b);
  // Canonical DNS order (RFC 4034 §6.1): by labels from the rightmost, case-insensitively.
  friend std::strong_ordering operator<=>(const DnsName& a, const DnsName& b);
  // A case-insensitive hash, consistent with ==.
  std::size_t hash() const;

 private:
  std::vector<std::string> m_labels;  // each 1..63 octets, leftmost first; empty for the root
  std::size_t m_wire_length = 1;      // sum of (1 + label size) plus the root octet; <= 255
};

struct DnsNameHash {
  std::size_t operator()(const DnsName& name) const { return name.hash(); }
};

// ASCII-only lower case: DNS compares octets, never locale-dependent letters.
inline char dns_to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
// Case-insensitive equality of two labels.
bool dns_label_equal(std::string_view a, std::string_view b);
// One label in presentation form, with the escapes dig uses.
std::string dns_escape_label(std::string_view label);

}  // namespace mailscope::wire
