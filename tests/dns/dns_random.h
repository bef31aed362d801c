#pragma once
// Seeded random DNS messages for property tests: every value the parser can produce, with
// names drawn from a small label pool so that compression has suffixes to share.

#include <iterator>
#include <string>
#include <vector>

#include "core/rng.h"
#include "wire/dns_message.h"

namespace mailscope::wire::test {

class RandomMessages {
 public:
  explicit RandomMessages(std::uint64_t seed) : m_rng(seed) {}

  DnsMessage message() {
    DnsMessage m;
    m.id = m_rng.next_u16();
    m.flags = DnsFlags::from_wire(m_rng.next_u16());
    const std::size_t questions = m_rng.below(3);
    for (std::size_t i = 0; i < questions; ++i) {
      m.questions.push_back(DnsQuestion{random_name(), static_cast<DnsType>(m_rng.next_u16()),
                                        static_cast<DnsClass>(m_rng.next_u16())});
    }
    for (auto* section : {&m.answers, &m.authority, &m.additional}) {
      const std::size_t count = m_rng.below(6);
      for (std::size_t i = 0; i < count; ++i)
        section->push_back(record());
    }
    return m;
  }

  // Labels come from a small pool (in varying case) so that suffixes repeat and compression
  // is exercised, plus an occasional label of arbitrary octets.
  DnsName random_name() {
    static const char* const kPool[] = {"com", "example", "mail", "mx1", "gmail",
                                        "l",   "google",  "org",  "a"};
    const std::size_t labels = m_rng.below(5);
    std::vector<std::string> picked;
    for (std::size_t i = 0; i < labels; ++i) {
      std::string label;
      if (m_rng.chance(0.1)) {
        label.resize(1 + m_rng.below(63));
        for (auto& c : label)
          c = static_cast<char>(m_rng.below(256));
      } else {
        label = kPool[m_rng.below(std::size(kPool))];
        if (m_rng.chance(0.2)) label[0] = static_cast<char>(label[0] - 32);
      }
      picked.push_back(label);
    }
    DnsName n;
    for (const auto& label : picked)
      n.append_label(label);  // stops adding at 255 octets
    return n;
  }

  // Any record the parser can produce (typed RDATA in class IN, opaque otherwise).
  DnsRecord record() {
    DnsRecord r{random_name(), DnsClass::IN, m_rng.next_u32(), DnsA{}};
    switch (m_rng.below(9)) {
      case 0:
        r.rdata = DnsA{Ipv4Addr{m_rng.next_u32()}};
        break;
      case 1: {
        DnsAaaa aaaa;
        for (auto& b : aaaa.address)
          b = static_cast<std::uint8_t>(m_rng.below(256));
        r.rdata = aaaa;
        break;
      }
      case 2:
        r.rdata = DnsNs{random_name()};
        break;
      case 3:
        r.rdata = DnsCname{random_name()};
        break;
      case 4:
        r.rdata = DnsPtr{random_name()};
        break;
      case 5:
        r.rdata = DnsMx{m_rng.next_u16(), random_name()};
        break;
      case 6: {
        DnsTxt txt;
        const std::size_t count = 1 + m_rng.below(3);
        for (std::size_t i = 0; i < count; ++i) {
          std::string s(m_rng.below(256), '\0');
          for (auto& c : s)
            c = static_cast<char>(m_rng.below(256));
          txt.strings.push_back(s);
        }
        r.rdata = txt;
        break;
      }
      case 7:
        r.rdata = DnsSoa{random_name(),    random_name(),    m_rng.next_u32(), m_rng.next_u32(),
                         m_rng.next_u32(), m_rng.next_u32(), m_rng.next_u32()};
        break;
      default: {
        // Opaque: a type this layer does not decode, or any type outside class IN.
        DnsOpaque opaque;
        if (m_rng.chance(0.5)) {
          r.rclass = static_cast<DnsClass>(2 + m_rng.below(0xfffe));
          opaque.type = m_rng.next_u16();
        } else {
          opaque.type = static_cast<std::uint16_t>(29 + m_rng.below(0xffff - 29));  // above AAAA
        }
        // OPT has its own tests; truncation moves it, which the generic checks do not expect.
        if (opaque.type == static_cast<std::uint16_t>(DnsType::OPT)) ++opaque.type;
        opaque.data.resize(m_rng.below(40));
        for (auto& b : opaque.data)
          b = static_cast<std::uint8_t>(m_rng.below(256));
        r.rdata = opaque;
        break;
      }
    }
    return r;
  }

 private:
  Rng m_rng;
};

}  // namespace mailscope::wire::test
