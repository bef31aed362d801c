#pragma once
// Byte vectors and values shared by the DNS tests: a query for gmail.com MX and its compressed
// response with one MX answer and the exchange's A record as additional glue.

#include <string_view>

#include "wire/bytes.h"
#include "wire/dns_message.h"

namespace mailscope::wire::test {

inline DnsName name(std::string_view text) {
  return DnsName::parse(text).value();
}

// id 0x1234, RD, one question gmail.com. IN MX.
inline const Bytes kQueryBytes = {
    0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // header
    0x05, 'g',  'm',  'a',  'i',  'l',  0x03, 'c',  'o',  'm',  0x00,        // gmail.com.
    0x00, 0x0f, 0x00, 0x01,                                                  // MX IN
};

inline DnsMessage query_message() {
  return DnsMessage::make_query(0x1234, name("gmail.com."), DnsType::MX, DnsRecursion::Desired);
}

// id 0x1234, QR AA RD RA; gmail.com. 3600 IN MX 10 gmail-smtp-in.l.google.com.;
// additional gmail-smtp-in.l.google.com. 300 IN A 142.250.27.26.
inline const Bytes kResponseBytes = {
    0x12,
    0x34,
    0x85,
    0x80,
    0x00,
    0x01,
    0x00,
    0x01,
    0x00,
    0x00,
    0x00,
    0x01,  // header
    // offset 12: question gmail.com. MX IN ("com" starts at 18)
    0x05,
    'g',
    'm',
    'a',
    'i',
    'l',
    0x03,
    'c',
    'o',
    'm',
    0x00,
    0x00,
    0x0f,
    0x00,
    0x01,
    // offset 27: answer, owner is a pointer to the question name
    0xc0,
    0x0c,
    0x00,
    0x0f,
    0x00,
    0x01,
    0x00,
    0x00,
    0x0e,
    0x10,
    0x00,
    0x1b,  //
    0x00,
    0x0a,  // preference 10
    // offset 41: gmail-smtp-in.l.google + pointer to "com."
    0x0d,
    'g',
    'm',
    'a',
    'i',
    'l',
    '-',
    's',
    'm',
    't',
    'p',
    '-',
    'i',
    'n',  //
    0x01,
    'l',
    0x06,
    'g',
    'o',
    'o',
    'g',
    'l',
    'e',
    0xc0,
    0x12,  //
    // offset 66: additional A record owned by the exchange (pointer to 41)
    0xc0,
    0x29,
    0x00,
    0x01,
    0x00,
    0x01,
    0x00,
    0x00,
    0x01,
    0x2c,
    0x00,
    0x04,  //
    142,
    250,
    27,
    26,
};

inline DnsMessage response_message() {
  DnsMessage m = DnsMessage::make_response(query_message());
  m.flags.aa = true;
  m.flags.ra = true;
  m.answers.push_back(DnsRecord{name("gmail.com."), DnsClass::IN, 3600,
                                DnsMx{10, name("gmail-smtp-in.l.google.com.")}});
  m.additional.push_back(DnsRecord{name("gmail-smtp-in.l.google.com."), DnsClass::IN, 300,
                                   DnsA{Ipv4Addr::from_octets(142, 250, 27, 26)}});
  return m;
}

}  // namespace mailscope::wire::test
