#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz harness into corpus/<harness>/ (docs/reliability.md).

The seeds are small inputs the project makes itself: the byte vectors of the wire and DNS tests
(rebuilt here with their checksums), valid sessions for each server engine with the edge cases
the unit tests pin (pipelining, STARTTLS with commands glued behind it, dot-stuffing, literals,
IDLE), malformed headers and messages, and the bundled scenarios. Rerunning it rewrites the
seeds it owns and leaves every other file (regression inputs from fuzz findings) alone.

Usage: python3 tests/fuzz/make_seeds.py
"""

import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
ROOT = HERE.parent.parent


def write(harness, name, data):
    if isinstance(data, str):
        data = data.encode("latin-1")
    folder = CORPUS / harness
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"seed-{name}").write_bytes(data)


# --- wire ---------------------------------------------------------------------------------------

def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ip(text):
    return bytes(int(part) for part in text.split("."))


MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")
IP_A, IP_B = ip("10.0.0.1"), ip("10.0.1.2")


def ethernet(dst, src, ethertype, payload, pad=True):
    frame = dst + src + struct.pack("!H", ethertype) + payload
    if pad and len(frame) < 60:
        frame += b"\0" * (60 - len(frame))
    return frame


def ipv4(src, dst, proto, payload, ident=1, ttl=64, flags=0x4000, options=b""):
    ihl = 5 + len(options) // 4
    header = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), ident, flags, ttl,
                         proto, 0, src, dst) + options
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload


def pseudo(src, dst, proto, length):
    return src + dst + struct.pack("!BBH", 0, proto, length)


def tcp(src, dst, sport, dport, seq, ack, flags, payload=b"", options=b"", window=65535):
    offset = (20 + len(options)) // 4
    header = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, offset << 4, flags, window, 0, 0)
    segment = header + options + payload
    value = checksum(pseudo(src, dst, 6, len(segment)) + segment)
    return segment[:16] + struct.pack("!H", value) + segment[18:]


def udp(src, dst, sport, dport, payload):
    datagram = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    value = checksum(pseudo(src, dst, 17, len(datagram)) + datagram) or 0xFFFF
    return datagram[:6] + struct.pack("!H", value) + datagram[8:]


def icmp(kind, code, rest, payload):
    message = struct.pack("!BBH", kind, code, 0) + rest + payload
    return message[:2] + struct.pack("!H", checksum(message)) + message[4:]


def arp(op, sender_mac, sender_ip, target_mac, target_ip):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sender_mac + sender_ip + target_mac + \
        target_ip


def wire_seeds():
    syn = tcp(IP_A, IP_B, 49152, 25, 0xDEADBEEF, 0, 0x02, options=bytes.fromhex("020405b4"))
    banner = tcp(IP_B, IP_A, 25, 49152, 1000, 0xDEADBEF0, 0x18, b"220 mail.example.com ESMTP\r\n")
    options = bytes.fromhex("020405b4" "01" "030307" "0101" "080a0000000100000000" "0000")
    syn_options = tcp(IP_A, IP_B, 49153, 587, 7, 0, 0x02, options=options)
    fin = tcp(IP_A, IP_B, 49152, 25, 5, 9, 0x11)
    rst = tcp(IP_B, IP_A, 25, 49152, 0, 5, 0x14)
    ping = icmp(8, 0, struct.pack("!HH", 1, 1), b"abcdefgh")
    quoted = ipv4(IP_A, IP_B, 6, syn[:8], ttl=1)
    exceeded = icmp(11, 0, b"\0\0\0\0", quoted)
    unreachable = icmp(3, 3, b"\0\0\0\0", ipv4(IP_A, IP_B, 17, udp(IP_A, IP_B, 5000, 9, b"x")[:8]))
    dns = udp(IP_A, IP_B, 53000, 53, dns_query())
    dns_reply = udp(IP_B, IP_A, 53, 53000, dns_response())
    frames = {
        "tcp-syn-mss": ethernet(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 6, syn, ident=0x1C46)),
        "tcp-banner": ethernet(MAC_A, MAC_B, 0x0800, ipv4(IP_B, IP_A, 6, banner, ttl=63)),
        "tcp-options": ethernet(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 6, syn_options)),
        "tcp-fin": ethernet(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 6, fin)),
        "tcp-rst": ethernet(MAC_A, MAC_B, 0x0800, ipv4(IP_B, IP_A, 6, rst)),
        "arp-request": ethernet(b"\xff" * 6, MAC_B, 0x0806,
                                arp(1, MAC_B, ip("10.0.0.2"), b"\0" * 6, IP_A)),
        "arp-reply": ethernet(MAC_B, MAC_A, 0x0806, arp(2, MAC_A, IP_A, MAC_B, ip("10.0.0.2"))),
        "icmp-echo": ethernet(MAC_B, MAC_A, 0x0800, ipv4(IP_A, ip("10.0.0.2"), 1, ping, ident=7)),
        "icmp-ttl-exceeded": ethernet(MAC_A, MAC_B, 0x0800,
                                      ipv4(ip("10.0.0.254"), IP_A, 1, exceeded, flags=0, ttl=255)),
        "icmp-port-unreachable": ethernet(MAC_A, MAC_B, 0x0800,
                                          ipv4(IP_B, IP_A, 1, unreachable, flags=0)),
        "udp-dns-query": ethernet(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 17, dns)),
        "udp-dns-response": ethernet(MAC_A, MAC_B, 0x0800, ipv4(IP_B, IP_A, 17, dns_reply)),
        "ipv4-options": ethernet(MAC_B, MAC_A, 0x0800,
                                 ipv4(IP_A, IP_B, 6, fin, options=b"\x01\x01\x01\x00")),
        "ipv4-fragment": ethernet(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 17, b"12345678",
                                                              flags=0x2000 | 185)),
        "ipv6-ethertype": ethernet(MAC_B, MAC_A, 0x86DD, b"\x60" + b"\0" * 39),
        "unknown-ethertype": ethernet(MAC_B, MAC_A, 0x88CC, b"lldp"),
    }
    bad_ipv4 = bytearray(frames["tcp-fin"])
    bad_ipv4[14 + 10] ^= 0xFF  # header checksum broken
    frames["ipv4-bad-checksum"] = bytes(bad_ipv4)
    short_ihl = bytearray(frames["tcp-fin"])
    short_ihl[14] = 0x44  # IHL 4
    frames["ipv4-ihl-4"] = bytes(short_ihl)
    frames["ethernet-13-bytes"] = frames["tcp-fin"][:13]
    frames["empty"] = b""
    bad_option = tcp(IP_A, IP_B, 1, 2, 3, 4, 0x02, options=bytes.fromhex("02030000"))
    frames["tcp-mss-length-3"] = ethernet(MAC_B, MAC_A, 0x0800, ipv4(IP_A, IP_B, 6, bad_option))
    for name, frame in frames.items():
        write("wire_headers", name, frame)
        write("dissect", name, frame)
    # Headers on their own, as the harnesses also parse the input as each layer.
    write("wire_headers", "l3-ipv4-tcp", ipv4(IP_A, IP_B, 6, syn))
    write("wire_headers", "l4-tcp-syn", syn)
    write("wire_headers", "l4-tcp-options", syn_options)
    write("wire_headers", "l4-udp", dns)
    write("wire_headers", "l4-icmp-echo", ping)
    write("wire_headers", "l2-arp", arp(1, MAC_B, ip("10.0.0.2"), b"\0" * 6, IP_A))
    write("wire_headers", "text-ipv4", "192.0.2.1")
    write("wire_headers", "text-cidr", "10.0.1.1/24")
    # The dissector reads the first two bytes as a layer's detail: 0x0006 (TCP) then a segment.
    write("dissect", "pdu-tcp", b"\x00\x06" + syn)
    write("dissect", "pdu-udp", b"\x00\x11" + dns)
    write("dissect", "pdu-icmp", b"\x00\x01" + ping)
    write("dissect", "pdu-dns", dns_response())


# --- DNS ----------------------------------------------------------------------------------------

def name(text):
    out = b""
    for label in text.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def header(ident, flags, qd, an, ns, ar):
    return struct.pack("!HHHHHH", ident, flags, qd, an, ns, ar)


def question(qname, qtype, qclass=1):
    return name(qname) + struct.pack("!HH", qtype, qclass)


def record(owner, rtype, ttl, rdata, rclass=1):
    owner_bytes = owner if isinstance(owner, bytes) else name(owner)
    return owner_bytes + struct.pack("!HHIH", rtype, rclass, ttl, len(rdata)) + rdata


def dns_query():
    return header(0x1234, 0x0100, 1, 0, 0, 0) + question("gmail.com", 15)


def dns_response():
    # The compressed gmail.com MX response of tests/dns/dns_vectors.h.
    msg = header(0x1234, 0x8580, 1, 1, 0, 1) + question("gmail.com", 15)
    exchange = b"\x0dgmail-smtp-in\x01l\x06google\xc0\x12"
    msg += b"\xc0\x0c" + struct.pack("!HHIH", 15, 1, 3600, 2 + len(exchange)) + b"\x00\x0a" + \
        exchange
    msg += b"\xc0\x29" + struct.pack("!HHIH", 1, 1, 300, 4) + bytes([142, 250, 27, 26])
    return msg


def dns_seeds():
    soa = name("ns1.example.com") + name("hostmaster.example.com") + \
        struct.pack("!IIIII", 2024090201, 7200, 3600, 1209600, 300)
    every_type = header(7, 0x8180, 1, 7, 1, 1) + question("example.com", 255)
    every_type += record(b"\xc0\x0c", 1, 60, ip("192.0.2.1"))
    every_type += record(b"\xc0\x0c", 28, 60, bytes.fromhex("20010db8000000000000000000000001"))
    every_type += record(b"\xc0\x0c", 2, 60, name("ns1.example.com"))
    every_type += record("www.example.com", 5, 60, b"\xc0\x0c")
    every_type += record("1.2.0.192.in-addr.arpa", 12, 60, name("example.com"))
    every_type += record(b"\xc0\x0c", 16, 60, b"\x0bv=spf1 -all\x00\x05a\"b\\c")
    every_type += record(b"\xc0\x0c", 99, 60, b"\x01\x02\x03")  # unknown type, opaque
    every_type += record(b"\xc0\x0c", 6, 60, soa)
    every_type += b"\x00" + struct.pack("!HHIH", 41, 1232, 0x00008000, 4) + b"\x00\x0a\x00\x00"
    nxdomain = header(9, 0x8183, 1, 0, 1, 0) + question("nope.example.com", 1) + \
        record("example.com", 6, 300, soa)
    null_mx = header(10, 0x8400, 1, 1, 0, 0) + question("example.org", 15) + \
        record(b"\xc0\x0c", 15, 300, b"\x00\x00\x00")
    mixed_case = header(11, 0x8400, 1, 1, 0, 0) + question("MiXeD.Example.COM", 1) + \
        record("mixed.example.com", 1, 5, ip("10.0.0.9"))
    seeds = {
        "query-mx": dns_query(),
        "response-mx-compressed": dns_response(),
        "every-type-edns": every_type,
        "nxdomain-soa": nxdomain,
        "null-mx": null_mx,
        "mixed-case": mixed_case,
        "pointer-to-itself": header(1, 0, 1, 0, 0, 0) + b"\xc0\x0c\x00\x01\x00\x01",
        "forward-pointer": header(1, 0, 1, 0, 0, 0) + b"\xc0\x12\x00\x01\x00\x01\x01a\x00",
        "pointer-out-of-range": header(1, 0, 1, 0, 0, 0) + b"\xc0\xff\x00\x01\x00\x01",
        "label-64": header(1, 0, 1, 0, 0, 0) + b"\x40" + b"a" * 64 + b"\x00\x00\x01\x00\x01",
        "name-over-255": header(1, 0, 1, 0, 0, 0) + (b"\x3f" + b"a" * 63) * 4 + b"\x00\x00\x01"
                         b"\x00\x01",
        "trailing-bytes": dns_query() + b"\xde\xad",
        "counts-too-high": header(1, 0, 5, 5, 5, 5) + question("a", 1),
        "rdlength-past-end": header(1, 0x8000, 0, 1, 0, 0) + b"\x00\x00\x01\x00\x01\x00\x00\x00"
                             b"\x01\x00\x10\x01\x02",
        "header-only": header(0, 0, 0, 0, 0, 0),
        "truncated-header": b"\x12\x34\x01",
    }
    for label, msg in seeds.items():
        write("dns_parse", label, msg)
        write("dns_round_trip", label, msg)
    # Over TCP, two messages back to back with their length prefixes, and a prefix cut short.
    stream = b"".join(struct.pack("!H", len(m)) + m for m in (dns_query(), dns_response()))
    write("dns_parse", "tcp-stream-two", stream)
    write("dns_parse", "tcp-prefix-only", b"\x00")
    # A response larger than 512 octets, so that emit_truncated drops records.
    big = header(12, 0x8180, 1, 40, 0, 0) + question("big.example.com", 16)
    for i in range(40):
        big += record(b"\xc0\x0c", 16, 60, b"\x14" + f"text record number {i:02d}"[:20].encode())
    write("dns_round_trip", "over-512", big)


# --- sessions -----------------------------------------------------------------------------------

CUT = "\x1f|"      # end of one read
WAIT = "\x1fW"     # let the deadline pass
DELIVER = "\x1fD"  # a message arrives
FLAG = "\x1fF"     # another session flags \Seen \Deleted
REMOVE = "\x1fX"   # another session removes the first message


def smtp_seeds():
    # Configuration byte: bits 0-1 role, 2-3 TLS, 4 plaintext AUTH, 5 bytewise, 6 no PIPELINING,
    # 7 accept everything.
    relay, submission, smtps, delayed = 0, 1, 2, 3
    mail = ("EHLO client.example.org\r\n" + CUT + "MAIL FROM:<alice@example.org>\r\n" + CUT +
            "RCPT TO:<bob@example.com>\r\n" + CUT + "DATA\r\n" + CUT +
            "Subject: hi\r\n\r\nline one\r\n..stuffed\r\n.\r\n" + CUT + "QUIT\r\n")
    pipelined = ("EHLO c\r\nMAIL FROM:<a@b.example> SIZE=100 BODY=8BITMIME\r\n"
                 "RCPT TO:<x@y.example>\r\nRCPT TO:<uunknown@y.example>\r\n"
                 "RCPT TO:<greylist@y.example>\r\nDATA\r\n" + CUT +
                 "body\r\n.\r\nMAIL FROM:<>\r\nRCPT TO:<Postmaster>\r\nDATA\r\n" + CUT +
                 "bounce\r\n.\r\nQUIT\r\n")
    injection = "EHLO c\r\n" + CUT + "STARTTLS\r\nMAIL FROM:<evil@x.example>\r\n" + CUT + \
        "EHLO c\r\nMAIL FROM:<a@b.example>\r\nQUIT\r\n"
    submit = ("EHLO c\r\n" + CUT + "AUTH PLAIN\r\n" + CUT + "STARTTLS\r\n" + CUT + "EHLO c\r\n" +
              CUT + "AUTH PLAIN AGFsaWNlAHMzY3JldA==\r\n" + CUT +
              "MAIL FROM:<alice@example.org>\r\nRCPT TO:<z@z.example>\r\nDATA\r\n" + CUT +
              "quota\r\n.\r\nRSET\r\nQUIT\r\n")
    login = ("EHLO c\r\nSTARTTLS\r\n" + CUT + "EHLO c\r\nAUTH LOGIN\r\n" + CUT + "YWxpY2U=\r\n" +
             CUT + "d3Jvbmc=\r\n" + CUT + "AUTH LOGIN YWxpY2U=\r\n" + CUT + "*\r\n" + CUT +
             "AUTH PLAIN =\r\nAUTH PLAIN !!!\r\nAUTH CRAM-MD5\r\nQUIT\r\n")
    smtps_auth = "EHLO c\r\nAUTH PLAIN AGFsaWNlAHMzY3JldA==\r\nMAIL FROM:<a@b.c>\r\nQUIT\r\n"
    edge = ("HELO\r\nEHLO\r\nMAIL FROM:<a@b>\r\nHELO c\r\nRCPT TO:<x@y>\r\nDATA\r\n"
            "MAIL FROM:<a@b> SIZE=99999999\r\nMAIL FROM:<rjected@b.example>\r\n"
            "MAIL FROM:<a@b.example>\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<@route,@r2:u@d.example>\r\n"
            "RCPT TO:<\"quoted local\"@d.example>\r\nRCPT TO:<u@[192.0.2.1]>\r\nVRFY bob\r\n"
            "EXPN list\r\nNOOP\r\nHELP\r\nBDAT 10\r\nxyzzy\r\n\r\nmail from:<A@B.EXAMPLE>\r\n"
            "RSET\r\nQUIT\r\n")
    long_line = "EHLO " + "a" * 600 + "\r\nEHLO c\n" + "\x00\xff\r\r\n" + "QUIT\r\n"
    too_big = ("EHLO c\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n" + CUT +
               ("x" * 70 + "\r\n") * 40 + ".\r\nQUIT\r\n")
    split_dot = ("EHLO c\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n" + CUT +
                 "text\r" + CUT + "\n." + CUT + "\r" + CUT + "\nQUIT\r\n")
    seeds = {
        "relay-mail": (relay, mail),
        "relay-mail-bytewise": (relay | 0x20, mail),
        "relay-pipelined-policy": (relay, pipelined),
        "relay-pipelined-no-pipelining": (relay | 0x40, pipelined),
        "starttls-injection": (relay, injection),
        "starttls-none": (relay | 0x04, injection),
        "starttls-failing": (relay | 0x08, injection),
        "submission-auth-plain": (submission, submit),
        "submission-plaintext-auth": (submission | 0x10, submit),
        "submission-auth-login": (submission, login),
        "smtps-auth": (smtps | 0x80, smtps_auth),
        "relay-edge-commands": (relay, edge),
        "long-line-and-binary": (relay | 0x80, long_line),
        "data-over-size-limit": (relay | 0x80, too_big),
        "split-final-dot": (relay | 0x80, split_dot),
        "pregreet": (delayed, "EHLO early\r\n" + WAIT + "EHLO c\r\nQUIT\r\n"),
        "idle-timeout": (relay, "EHLO c\r\n" + WAIT + "NOOP\r\n"),
        "empty-session": (relay, ""),
    }
    for label, (bits, script) in seeds.items():
        write("smtp_server", label, bytes([bits]) + script.encode("latin-1"))


def imap_seeds():
    # Configuration byte: bit 0 STARTTLS role, 1 no TLS, 2 plaintext LOGIN, 3 bytewise,
    # 4 logged in + INBOX selected, 5 small limits.
    implicit, starttls, ready = 0x00, 0x01, 0x10
    session = ("a1 CAPABILITY\r\na2 LOGIN alice s3cret\r\n" + CUT + "a3 LIST \"\" *\r\n"
               "a4 SELECT INBOX\r\n" + CUT +
               "a5 FETCH 1:* (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)\r\n" + CUT +
               "a6 FETCH 2 (BODY.PEEK[1] BODY[2.MIME] BODY[3.HEADER] BODY[HEADER.FIELDS (From "
               "Subject)] BODY[TEXT]<0.10>)\r\n" + CUT + "a7 LOGOUT\r\n")
    messages = ("b1 UID FETCH 1:* (UID FLAGS BODY[])\r\n" + CUT +
                "b2 STORE 1 +FLAGS (\\Seen \\Flagged $Label)\r\nb3 UID STORE 2 -FLAGS.SILENT "
                "(\\Seen)\r\n" + CUT + "b4 SEARCH UNSEEN FROM \"carol\" SINCE 1-Sep-2024 NOT "
                "DELETED OR SUBJECT lunch LARGER 10\r\nb5 UID SEARCH ALL\r\n" + CUT +
                "b6 COPY 1:2 Trash\r\nb7 UID MOVE 3 Sent\r\nb8 STORE 1 +FLAGS (\\Deleted)\r\n" +
                CUT + "b9 EXPUNGE\r\nb10 UID EXPUNGE 1:*\r\nb11 CLOSE\r\nb12 LOGOUT\r\n")
    appended, short = "Subject: appended\r\n\r\nbody\r\n", "Subject: x\r\n\r\n"
    append = (f"c1 APPEND INBOX (\\Seen) {{{len(appended)}}}\r\n" + CUT + appended + "\r\n" +
              CUT + f"c2 APPEND Sent {{{len(short)}+}}\r\n{short}\r\nc3 APPEND Nowhere {{1}}\r\n" +
              CUT + "y\r\nc4 NOOP\r\nc5 FETCH * (FLAGS)\r\n")
    idle = ("d1 IDLE\r\n" + CUT + DELIVER + FLAG + "DONE\r\n" + CUT + "d2 NOOP\r\n" + REMOVE +
            "d3 FETCH 1:* (FLAGS)\r\n" + CUT + "d4 SEARCH ALL\r\n" + REMOVE + "d5 NOOP\r\n")
    mailboxes = ("e1 CREATE Work/2024\r\ne2 CREATE Work\r\ne3 LIST \"\" %\r\ne4 LSUB \"\" *\r\n"
                 "e5 SUBSCRIBE Work\r\ne6 RENAME Work Archive\r\ne7 STATUS Archive/2024 "
                 "(MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT)\r\ne8 DELETE Archive\r\n"
                 "e9 EXAMINE Trash\r\ne10 UNSELECT\r\ne11 ENABLE UTF8=ACCEPT\r\ne12 SELECT "
                 "\"INBOX\"\r\ne13 LIST \"\" \"*\" RETURN (SPECIAL-USE)\r\n")
    starttls_login = ("s1 LOGIN alice s3cret\r\n" + CUT + "s2 STARTTLS\r\ns3 NOOP\r\n" + CUT +
                      "s4 CAPABILITY\r\ns5 AUTHENTICATE PLAIN AGFsaWNlAHMzY3JldA==\r\n"
                      "s6 SELECT INBOX\r\n")
    authenticate = ("t1 AUTHENTICATE PLAIN\r\n" + CUT + "AGJvYgB3cm9uZw==\r\n" + CUT +
                    "t2 AUTHENTICATE PLAIN\r\n*\r\nt3 AUTHENTICATE LOGIN\r\n"
                    "t4 AUTHENTICATE PLAIN\r\nAGFsaWNlAHMzY3JldA==\r\nt5 SELECT INBOX\r\n")
    hostile = ("x1 FETCH 1:99999 (FLAGS)\r\nx2 FETCH 0 FLAGS\r\nx3 FETCH 1 (BODY[999.1.2] "
               "BODY[1.2.3.4.5.6.7])\r\nx4 {3}\r\nabc\r\nx5 LOGIN {5+}\r\nalice {6}\r\n" + CUT +
               "s3cret\r\nx6 SEARCH CHARSET UTF-8 TEXT {4}\r\n" + CUT + "\xc3\xa9t\xc3\r\n"
               "x7 STORE 1:* FLAGS (\\Recent)\r\n(\r\n)\r\n\"\r\nx8 FETCH 1 BODY[]<4294967295."
               "4294967295>\r\n" + "y" * 300 + "\r\nx9 APPEND INBOX {99999999}\r\n")
    seeds = {
        "implicit-session": (implicit, session),
        "implicit-session-bytewise": (implicit | 0x08, session),
        "selected-messages": (ready, messages),
        "selected-append": (ready, append),
        "selected-idle-store-changes": (ready, idle),
        "mailboxes": (ready, mailboxes),
        "starttls-login": (starttls, starttls_login),
        "starttls-plaintext-allowed": (starttls | 0x04, starttls_login),
        "starttls-no-certificate": (starttls | 0x02, starttls_login),
        "authenticate": (implicit, authenticate),
        "hostile": (ready, hostile),
        "hostile-small-limits": (ready | 0x20, hostile),
        "autologout": (ready, "n1 NOOP\r\n" + WAIT + "n2 NOOP\r\n"),
        "logout-then-more": (implicit, "q LOGOUT\r\nq2 NOOP\r\n"),
    }
    for label, (bits, script) in seeds.items():
        write("imap_server", label, bytes([bits]) + script.encode("latin-1"))


def pop3_seeds():
    # Configuration byte: bit 0 POP3S, 1-2 TLS, 3 plaintext login, 4 bytewise, 5 no AUTH PLAIN,
    # 6 logged in as alice.
    plain_ok, pop3s, ready = 0x08, 0x01, 0x48
    session = ("CAPA\r\n" + CUT + "USER alice\r\nPASS s3cret\r\n" + CUT + "STAT\r\nLIST\r\n"
               "LIST 2\r\nUIDL\r\nUIDL 3\r\n" + CUT + "RETR 1\r\nTOP 2 0\r\nTOP 2 3\r\n" + CUT +
               "DELE 1\r\nDELE 1\r\nRETR 1\r\nRSET\r\nDELE 3\r\nNOOP\r\nQUIT\r\n")
    stls = ("CAPA\r\nUSER alice\r\n" + CUT + "STLS\r\n" + CUT + "CAPA\r\nAUTH PLAIN\r\n" + CUT +
            "AGFsaWNlAHMzY3JldA==\r\n" + CUT + "LAST\r\nQUIT\r\n")
    auth = ("AUTH\r\nAUTH PLAIN AGJvYgB3cm9uZw==\r\nAUTH PLAIN\r\n*\r\nAUTH PLAIN =\r\n"
            "USER tempfail\r\nPASS x\r\nPASS s3cret\r\nUSER bob\r\nPASS hunter2\r\nLIST\r\nQUIT\r\n")
    hostile = ("LIST 0\r\nLIST 99\r\nRETR -1\r\nTOP 1 -5\r\nTOP 1 99999999999\r\nDELE x\r\n"
               "STAT extra\r\n" + "Z" * 300 + "\r\nRETR 1\n\x00\xff\r\nUSER alice\r\n" +
               DELIVER + "STAT\r\nQUIT\r\n")
    seeds = {
        "session": (plain_ok, session),
        "session-bytewise": (plain_ok | 0x10, session),
        "stls-auth-plain": (0x00, stls),
        "stls-none": (0x02, stls),
        "stls-failing": (0x04, stls),
        "pop3s-auth": (pop3s, auth),
        "plain-auth-withheld": (plain_ok | 0x20, auth),
        "logged-in-hostile": (ready, hostile),
        "autologout": (ready, "STAT\r\n" + WAIT + "QUIT\r\n"),
        "delivery-while-locked": (ready, "STAT\r\n" + DELIVER + "STAT\r\nLIST\r\nQUIT\r\n"),
    }
    for label, (bits, script) in seeds.items():
        write("pop3_server", label, bytes([bits]) + script.encode("latin-1"))


# --- mail ---------------------------------------------------------------------------------------

def mail_seeds():
    plain = ("From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: Lunch\r\n"
             "Date: Mon, 02 Sep 2024 08:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\n"
             "See you at noon.\r\n")
    nested = ("From: \"A\" <a@example.com>\r\nTo: Team: b@x.org, c@y.org;, (c) d@z.org\r\n"
              "Subject: =?utf-8?B?w6k=?=\r\nContent-Type: multipart/mixed; boundary=\"o\"\r\n\r\n"
              "--o\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n\r\nhi\r\n--o\r\n"
              "Content-Type: multipart/alternative; boundary=i\r\n\r\n--i\r\n\r\nx\r\n--i--\r\n"
              "--o\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n"
              "Content-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: deep\r\n"
              "\r\nz\r\n--d--\r\n--o--\r\n")
    attachment = ("From: Carol <carol@example.net>\r\nMIME-Version: 1.0\r\n"
                  "Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\npreamble\r\n--XX\r\n"
                  "Content-Type: text/plain; charset=utf-8\r\nContent-ID: <c1>\r\n"
                  "Content-Description: the text\r\n\r\nFigures.\r\n--XX\r\n"
                  "Content-Type: application/pdf; name=\"q3.pdf\"\r\n"
                  "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; "
                  "filename=\"q3.pdf\"; size=9\r\nContent-Language: en, fr\r\n\r\nJVBERi0xLjQK\r\n"
                  "--XX--\r\nepilogue\r\n")
    seeds = {
        "plain": plain,
        "nested-multipart-digest": nested,
        "attachment-base64": attachment,
        "bare-lf": plain.replace("\r\n", "\n"),
        "no-blank-line": "Subject: only a header\r\nFrom: x@y",
        "folded-fields": "Subject: a\r\n  folded\r\n\tvalue\r\nX-Empty:\r\n: no name\r\n"
                         "Bad Name: x\r\n\r\nbody",
        "unterminated-multipart": "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                                  "\r\npart without end",
        "boundary-edge": "Content-Type: multipart/mixed; boundary=\"a b=c\"\r\n\r\n--a b=c  "
                         "\r\n\r\n1\r\n--a b=c\r\nContent-Type: multipart/mixed\r\n\r\n--a b=c--",
        "addresses": "From: \"Quote \\\" d\" <q@x.example>, (comment) plain@x.example, "
                     "Group: ;, <@route:r@x.example>, bad@, =?iso-8859-1?Q?J=F6rg?= <j@x>\r\n"
                     "To: undisclosed-recipients:;\r\n\r\n",
        "dates": "Date: Thu, 29 Feb 2024 23:59:60 -1200\r\nResent-Date: 1 Jan 70 00:00 GMT\r\n\r\n",
        "base64-line": "QmFzZTY0IGxpbmU=\r\n\r\n",
        "empty": "",
    }
    depth = "".join(f"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n"
                    for i in range(20))
    seeds["too-deep"] = depth + "\r\nleaf\r\n"
    for label, text in seeds.items():
        write("mail_message", label, text)


# --- scenarios ----------------------------------------------------------------------------------

def scenario_seeds():
    for path in sorted((ROOT / "scenarios").glob("*.json")):
        if path.name != "schema.json":
            write("scenario_loader", path.stem, path.read_bytes())
    broken = {
        "empty": "",
        "open-brace": "{",
        "wrong-types": '{"id": 1, "title": [], "hosts": "none"}',
        "unknown-keys": '{"id": "x", "titel": "typo", "hostz": []}',
        "deep-nesting": "[" * 300 + "]" * 300,
        "escapes": '{"id": "\\ud800\\u0041\\n\\"", "n": 1e999, "m": -0.0, "k": 12345678901234567890}',
        "duplicate-keys": '{"id": "a", "id": "b"}',
        "bom-and-comment": "\ufeff{/* c */}",
    }
    for label, text in broken.items():
        write("scenario_loader", label, text.encode("utf-8"))


if __name__ == "__main__":
    wire_seeds()
    dns_seeds()
    smtp_seeds()
    imap_seeds()
    pop3_seeds()
    mail_seeds()
    scenario_seeds()
    for folder in sorted(CORPUS.iterdir()):
        print(f"{folder.name}: {len(list(folder.iterdir()))} files")
