// Malformed messages, one per row, covering the implementation mistakes RFC 9267 catalogues:
// compression pointer validation (§2), label and name length validation (§3), terminator
// placement (§4), RDLENGTH validation (§5) and record count validation (§6).

#include <gtest/gtest.h>

#include <string>

#include "core/rng.h"
#include "dns/dns_vectors.h"
#include "wire/dns_dissect.h"
#include "wire/dns_message.h"

namespace mailscope::wire {
namespace {

// A header with the given counts followed by `body`.
Bytes message(std::uint16_t qd, std::uint16_t an, std::uint16_t ns, std::uint16_t ar,
              const Bytes& body) {
  Bytes out = {0xab,
               0xcd,
               0x81,
               0x80,
               static_cast<std::uint8_t>(qd >> 8),
               static_cast<std::uint8_t>(qd),
               static_cast<std::uint8_t>(an >> 8),
               static_cast<std::uint8_t>(an),
               static_cast<std::uint8_t>(ns >> 8),
               static_cast<std::uint8_t>(ns),
               static_cast<std::uint8_t>(ar >> 8),
               static_cast<std::uint8_t>(ar)};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

const Bytes kQuestionAt12 = {1, 'a', 0, 0, 1, 0, 1};  // "a." A IN, 7 octets: ends at 19
// Owner "a." via pointer, type, class IN, TTL 0 and RDLENGTH, to follow kQuestionAt12.
Bytes rr_header(std::uint16_t type, std::uint16_t rdlength) {
  return {0xc0,
          12,
          static_cast<std::uint8_t>(type >> 8),
          static_cast<std::uint8_t>(type),
          0,
          1,
          0,
          0,
          0,
          0,
          static_cast<std::uint8_t>(rdlength >> 8),
          static_cast<std::uint8_t>(rdlength)};
}

Bytes label_of(std::size_t size, char fill) {
  Bytes out(size + 1, static_cast<std::uint8_t>(fill));
  out[0] = static_cast<std::uint8_t>(size);
  return out;
}

struct Case {
  const char* title;
  Bytes bytes;
  const char* where;
  std::size_t offset;
  const char* what;  // a substring of Error::what
};

std::vector<Case> cases() {
  const Bytes l63 = label_of(63, 'x');
  return {
      // --- header and counts (RFC 9267 §6) ---
      {"shorter than the header", Bytes(11, 0), "header", 11, "shorter than the 12-octet header"},
      {"QDCOUNT beyond the data", message(2, 0, 0, 0, kQuestionAt12), "question[1].name", 19,
       "QDCOUNT announces"},
      {"ANCOUNT 65535 with no records", message(0, 0xffff, 0, 0, {}), "answer[0].name", 12,
       "ANCOUNT announces"},
      {"ARCOUNT beyond the data", message(1, 0, 0, 1, kQuestionAt12), "additional[0].name", 19,
       "ARCOUNT announces"},
      {"question cut after its name", message(1, 0, 0, 0, {1, 'a', 0, 0, 1}), "question[0].type",
       15, "question runs past"},
      {"record header cut short",
       message(1, 1, 0, 0, concat({kQuestionAt12, {0xc0, 12, 0, 1, 0, 1}})), "answer[0].type", 21,
       "record header runs past"},
      // --- compression pointers (§2) ---
      {"pointer to itself", message(1, 0, 0, 0, {0xc0, 12, 0, 1, 0, 1}), "question[0].name", 12,
       "does not point backwards"},
      {"forward pointer", message(1, 0, 0, 0, {0xc0, 18, 0, 1, 0, 1, 1, 'a', 0}),
       "question[0].name", 12, "does not point backwards"},
      {"pointer into the current name", message(1, 0, 0, 0, {1, 'a', 0xc0, 12, 0, 1, 0, 1}),
       "question[0].name", 14, "does not point backwards"},
      // Answer 0's opaque RDATA holds a pointer at 31 to 33; answer 1's owner at 33 points to 31:
      // the two pointers form a loop, caught when the second jump does not go further back.
      {"pointer loop",
       message(1, 2, 0, 0,
               concat({kQuestionAt12,
                       rr_header(0xff00, 2),
                       {0xc0, 33},
                       {0xc0, 31},
                       {0, 1, 0, 1, 0, 0, 0, 0, 0, 0}})),
       "answer[1].name", 31, "does not point backwards"},
      {"pointer out of range", message(1, 0, 0, 0, {0xc0, 0xff, 0, 1, 0, 1}), "question[0].name",
       12, "out of range"},
      {"pointer into the header",
       message(1, 1, 0, 0, concat({kQuestionAt12, {0xc0, 4, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0}})),
       "answer[0].name", 19, "into the header"},
      {"pointer cut short at the end", message(1, 0, 0, 0, {1, 'a', 0xc0}), "question[0].name", 14,
       "cut short"},
      // --- labels and names (§3) ---
      {"reserved label type 0x40", message(1, 0, 0, 0, {0x41, 'a', 0, 0, 1, 0, 1}),
       "question[0].name", 12, "reserved label type 0x40"},
      {"reserved label type 0x80", message(1, 0, 0, 0, {0x81, 'a', 0, 0, 1, 0, 1}),
       "question[0].name", 12, "reserved label type 0x80"},
      {"name over 255 octets", message(1, 0, 0, 0, concat({l63, l63, l63, l63, {0, 0, 1, 0, 1}})),
       "question[0].name", 12 + 3 * 64, "longer than 255"},
      // 63 + 63 + 63 octets in place, then a pointer to a 64-octet name at 12: 257 in total.
      {"name over 255 octets through a pointer",
       message(
           1, 1, 0, 0,
           concat({l63, {0, 0, 1, 0, 1}, l63, l63, l63, {0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0}})),
       "answer[0].name", 12, "longer than 255"},
      // --- terminator placement (§4) ---
      {"label past the end", message(1, 0, 0, 0, {5, 'a', 'b'}), "question[0].name", 12,
       "label runs past the end"},
      {"no terminating root label", message(1, 0, 0, 0, {3, 'c', 'o', 'm'}), "question[0].name", 16,
       "name runs past the end"},
      {"RDATA name not terminated within RDLENGTH",
       message(1, 1, 0, 0, concat({kQuestionAt12, rr_header(2, 4), {3, 'n', 's', '1', 0}})),
       "answer[0].rdata.nsdname", 35, "name runs past RDLENGTH"},
      {"RDATA label crosses RDLENGTH",
       message(1, 1, 0, 0, concat({kQuestionAt12, rr_header(5, 2), {3, 'w', 'w', 'w', 0}})),
       "answer[0].rdata.cname", 31, "label runs past RDLENGTH"},
      {"RDATA pointer cut by RDLENGTH",
       message(1, 1, 0, 0, concat({kQuestionAt12, rr_header(12, 1), {0xc0, 12}})),
       "answer[0].rdata.ptrdname", 31, "cut short"},
      // --- RDLENGTH (§5) ---
      {"RDLENGTH past the message",
       message(1, 1, 0, 0, concat({kQuestionAt12, rr_header(1, 10), {1, 2, 3, 4}})),
       "answer[0].rdlength", 29, "runs past the end of the message"},
      {"A RDATA of 5 octets",
       message(1, 1, 0, 0, concat({kQuestionAt12, rr_header(1, 5), {1, 2, 3, 4, 5}})),
       "answer[0].rdata", 31, "A RDATA must be 4 octets"},
      {"A RDATA of 0 octets", message(1, 1, 0, 0, concat({kQuestionAt12, rr_header(1, 0)})),
       "answer[0].rdata", 31, "A RDATA must be 4 octets"},
      {"AAAA RDATA of 4 octets",
       message(1, 1, 0, 0, concat({kQuestionAt12, rr_header(28, 4), {1, 2, 3, 4}})),
       "answer[0].rdata", 31, "AAAA RDATA must be 16 octets"},
      {"MX with an octet after the exchange",
       message(1, 1, 0, 0, concat({kQuestionAt12, rr_header(15, 5), {0, 10, 0xc0, 12, 0xff}})),
       "answer[0].rdata.exchange", 35, "1 octet(s) after"},
      {"MX without an exchange",
       message(1, 1, 0, 0, concat({kQuestionAt12, rr_header(15, 2), {0, 10}})),
       "answer[0].rdata.preference", 31, "shorter than 3"},
      {"TXT string past RDLENGTH",
       message(1, 1, 0, 0, concat({kQuestionAt12, rr_header(16, 3), {5, 'a', 'b'}})),
       "answer[0].rdata.txt", 31, "character-string runs past"},
      {"TXT with no string", message(1, 1, 0, 0, concat({kQuestionAt12, rr_header(16, 0)})),
       "answer[0].rdata.txt", 31, "no character-string"},
      {"SOA timers cut short",
       message(1, 1, 0, 0,
               concat({kQuestionAt12, rr_header(6, 8), {0xc0, 12, 0xc0, 12, 0, 0, 0, 1}})),
       "answer[0].rdata.serial", 35, "SOA timers run past"},
      {"SOA with extra octets",
       message(1, 1, 0, 0,
               concat({kQuestionAt12, rr_header(6, 25), {0xc0, 12, 0xc0, 12}, Bytes(21, 0)})),
       "answer[0].rdata.minimum", 55, "1 octet(s) after"},
      // --- trailing data ---
      {"trailing garbage", concat({test::kQueryBytes, {0xde, 0xad}}), "message", 27,
       "2 octets after the last record"},
  };
}

TEST(DnsMalformed, EachCaseIsRejectedWithFieldAndOffset) {
  for (const auto& c : cases()) {
    const auto parsed = DnsMessage::parse(c.bytes);
    ASSERT_FALSE(parsed.ok()) << c.title;
    EXPECT_EQ(parsed.error().where, c.where) << c.title;
    EXPECT_EQ(parsed.error().offset, c.offset) << c.title;
    EXPECT_NE(parsed.error().what.find(c.what), std::string::npos)
        << c.title << ": " << parsed.error().what;
  }
}

TEST(DnsMalformed, EachCaseDissectsToAMalformedLine) {
  for (const auto& c : cases()) {
    std::vector<Field> fields;
    dissect_dns(c.bytes, 100, 0, fields);
    ASSERT_FALSE(fields.empty()) << c.title;
    EXPECT_EQ(fields.back().name, "[Malformed Packet]") << c.title;
    EXPECT_EQ(fields.back().offset, 100 + c.offset) << c.title;
  }
}

TEST(DnsMalformed, LegalCornerCasesStillParse) {
  // A pointer to a pointer, each further back, is legal: "b." -> "a." chain.
  const Bytes chain =
      message(1, 2, 0, 0,
              concat({kQuestionAt12,                                                 // "a." at 12
                      {1, 'b', 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4},  // b.a. at 19
                      {0xc0, 19, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 5, 6, 7, 8}}));       // -> 19 -> 12
  const auto parsed = DnsMessage::parse(chain);
  ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
  EXPECT_EQ(parsed->answers[1].name.to_string(), "b.a.");
  // SOA whose rname points at its own mname, inside the same RDATA.
  const Bytes soa = message(
      1, 1, 0, 0,
      concat(
          {kQuestionAt12, rr_header(6, 28), {3, 'n', 's', '1', 0xc0, 12, 0xc0, 31}, Bytes(20, 0)}));
  const auto parsed_soa = DnsMessage::parse(soa);
  ASSERT_TRUE(parsed_soa.ok()) << parsed_soa.error().to_string();
  EXPECT_EQ(std::get<DnsSoa>(parsed_soa->answers[0].rdata).rname.to_string(), "ns1.a.");
  // The root as a name, and records of class ANY with empty RDATA (dynamic update deletions).
  const Bytes update =
      message(1, 1, 0, 0, {0, 0, 6, 0, 1, 1, 'a', 0, 0, 1, 0, 0xff, 0, 0, 0, 0, 0, 0});
  const auto parsed_update = DnsMessage::parse(update);
  ASSERT_TRUE(parsed_update.ok()) << parsed_update.error().to_string();
  EXPECT_TRUE(parsed_update->questions[0].name.is_root());
}

TEST(DnsMalformed, EveryPrefixOfAValidMessageIsRejectedCleanly) {
  // Cutting a message anywhere must give an error, never a read past the end (ASan checks).
  for (std::size_t size = 0; size < test::kResponseBytes.size(); ++size) {
    const ByteView prefix(test::kResponseBytes.data(), size);
    EXPECT_FALSE(DnsMessage::parse(prefix).ok()) << size;
    std::vector<Field> fields;
    dissect_dns(prefix, 0, 0, fields);
    EXPECT_EQ(fields.back().name, "[Malformed Packet]") << size;
  }
}

TEST(DnsMalformed, RandomCorruptionNeverCrashes) {
  // Flip random octets of a valid response: parsing may succeed or fail, but must terminate
  // without touching memory outside the buffer, and anything accepted must emit again.
  Rng rng(2024);
  for (int round = 0; round < 5000; ++round) {
    Bytes bytes = test::kResponseBytes;
    const std::size_t flips = 1 + rng.below(4);
    for (std::size_t i = 0; i < flips; ++i)
      bytes[rng.below(bytes.size())] = static_cast<std::uint8_t>(rng.below(256));
    const auto parsed = DnsMessage::parse(bytes);
    if (parsed.ok()) {
      const auto again = DnsMessage::parse(parsed->emit());
      ASSERT_TRUE(again.ok()) << round;
      EXPECT_EQ(*again, *parsed) << round;
    }
    std::vector<Field> fields;
    dissect_dns(bytes, 0, 0, fields);
  }
}

}  // namespace
}  // namespace mailscope::wire
