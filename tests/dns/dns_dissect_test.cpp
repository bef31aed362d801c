#include "wire/dns_dissect.h"

#include <gtest/gtest.h>

#include "dns/dns_vectors.h"

namespace mailscope::wire {
namespace {

std::string render(const std::vector<Field>& fields) {
  std::string out;
  for (const auto& f : fields) {
    out += std::string(f.depth * 2u, ' ') + f.name;
    if (!f.value.empty()) out += ": " + f.value;
    out += " [" + std::to_string(f.offset) + "+" + std::to_string(f.length) + "]\n";
  }
  return out;
}

TEST(DnsDissect, ResponseTree) {
  std::vector<Field> fields;
  // As if the DNS message started at byte 42 of a frame (14 Ethernet + 20 IPv4 + 8 UDP).
  dissect_dns(test::kResponseBytes, 42, 3, fields);
  EXPECT_EQ(render(fields),
            "      Domain Name System (response) [42+82]\n"
            "        Transaction ID: 0x1234 [42+2]\n"
            "        Flags: 0x8580 Standard query response, No error [44+2]\n"
            "          Response: Message is a response [44+2]\n"
            "          Opcode: Standard query (0) [44+2]\n"
            "          Authoritative: Server is an authority for domain [44+2]\n"
            "          Truncated: Message is not truncated [44+2]\n"
            "          Recursion desired: Do query recursively [44+2]\n"
            "          Recursion available: Server can do recursive queries [44+2]\n"
            "          Z: reserved (0) [44+2]\n"
            "          Answer authenticated: Answer/authority portion was not authenticated by the "
            "server [44+2]\n"
            "          Non-authenticated data: Unacceptable [44+2]\n"
            "          Reply code: No error (0) [45+1]\n"
            "        Questions: 1 [46+2]\n"
            "        Answer RRs: 1 [48+2]\n"
            "        Authority RRs: 0 [50+2]\n"
            "        Additional RRs: 1 [52+2]\n"
            "        Queries [54+15]\n"
            "          gmail.com: type MX, class IN [54+15]\n"
            "            Name: gmail.com [54+11]\n"
            "            Type: MX (15) [65+2]\n"
            "            Class: IN (0x0001) [67+2]\n"
            "        Answers [69+39]\n"
            "          gmail.com: type MX, class IN, preference 10, mx gmail-smtp-in.l.google.com "
            "[69+39]\n"
            "            Name: gmail.com [69+2]\n"
            "            Type: MX (15) [71+2]\n"
            "            Class: IN (0x0001) [73+2]\n"
            "            Time to live: 3600 (1 hour) [75+4]\n"
            "            Data length: 27 [79+2]\n"
            "            Preference: 10 [81+2]\n"
            "            Mail Exchange: gmail-smtp-in.l.google.com [83+25]\n"
            "        Additional records [108+16]\n"
            "          gmail-smtp-in.l.google.com: type A, class IN, addr 142.250.27.26 [108+16]\n"
            "            Name: gmail-smtp-in.l.google.com [108+2]\n"
            "            Type: A (1) [110+2]\n"
            "            Class: IN (0x0001) [112+2]\n"
            "            Time to live: 300 (5 minutes) [114+4]\n"
            "            Data length: 4 [118+2]\n"
            "            Address: 142.250.27.26 [120+4]\n");
}

TEST(DnsDissect, QueryHidesResponseOnlyFlags) {
  std::vector<Field> fields;
  dissect_dns(test::kQueryBytes, 0, 0, fields);
  ASSERT_FALSE(fields.empty());
  EXPECT_EQ(fields[0].name, "Domain Name System (query)");
  for (const auto& f : fields) {
    EXPECT_NE(f.name, "Reply code");
    EXPECT_NE(f.name, "Authoritative");
  }
}

TEST(DnsDissect, FieldsStayInsideTheMessage) {
  DnsMessage m = test::response_message();
  m.authority.push_back(DnsRecord{
      test::name("gmail.com."), DnsClass::IN, 60,
      DnsSoa{test::name("ns1.google.com."), test::name("dns-admin.google.com."), 1, 2, 3, 4, 5}});
  m.answers.push_back(
      DnsRecord{test::name("gmail.com."), DnsClass::IN, 60, DnsTxt{{"v=spf1", "-all"}}});
  m.additional.push_back(DnsEdns{}.to_record());
  const Bytes bytes = m.emit();
  std::vector<Field> fields;
  dissect_dns(bytes, 10, 0, fields);
  for (const auto& f : fields) {
    EXPECT_GE(f.offset, 10u) << f.name;
    EXPECT_LE(f.offset + f.length, 10 + bytes.size()) << f.name;
    EXPECT_NE(f.name, "[Malformed Packet]");
  }
}

}  // namespace
}  // namespace mailscope::wire
