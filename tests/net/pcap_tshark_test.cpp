// The pcap export opens in tshark with every checksum valid and no expert errors.

#include <gtest/gtest.h>

#include "export/pcap_export.h"
#include "net/tcp_stack.h"
#include "network_fixture.h"
#include "support/tshark.h"

namespace mailscope::net {
namespace {

using testing::World;

TEST(PcapExport, HeaderAndRecordsAreWellFormed) {
  World w(1);
  w.client().ping(w.server().address(), 1, [](const PingResult&) {});
  w.sim.run();
  const auto bytes = exporter::pcap_bytes(w.sim.trace());
  ASSERT_GE(bytes.size(), 24u);
  // Nanosecond-resolution magic, little endian as libpcap writes it on this machine.
  EXPECT_EQ(bytes[0], 0x4d);
  EXPECT_EQ(bytes[1], 0x3c);
  EXPECT_EQ(bytes[2], 0xb2);
  EXPECT_EQ(bytes[3], 0xa1);
  EXPECT_EQ(bytes[20], 1);  // LINKTYPE_ETHERNET
}

TEST(PcapExport, LossyTcpTransferPassesTsharkChecks) {
  ASSERT_TRUE(mailscope::testing::tshark_available())
      << "tshark is needed (scripts/test.sh installs it)";
  LanWanLanOptions options;
  options.wan.loss = 0.2;
  World w(3, options);
  // Port 9 (discard): tshark's TCP analysis only. An SMTP port would make tshark reassemble the
  // DATA body, and the same segment seen on five links looks like overlapping fragments to it
  // (see docs/network.md: use a one-node capture for that).
  auto listener = w.server().tcp().listen(9, [](std::shared_ptr<TcpStream> s) {
    TcpStream* raw = s.get();
    s->set_callbacks({.peer_closed = [raw] { raw->close(); }});
  });
  std::shared_ptr<TcpStream> stream;
  const std::string payload(200'000, 'm');
  stream = w.client().tcp().connect(w.server().address(), 9, {.connected = [&] {
                                      stream->send(wire::as_bytes(payload));
                                      stream->close();
                                    }});
  w.client().ping(w.server().address(), 1, [](const PingResult&) {});
  w.sim.run();
  const auto path = mailscope::testing::write_temp_file("mailscope-lossy-tcp.pcap",
                                                        exporter::pcap_bytes(w.sim.trace()));
  const auto report = mailscope::testing::tshark_expert(path);
  EXPECT_EQ(report.exit_status, 0) << report.output;
  EXPECT_FALSE(report.has_errors()) << report.output;
  EXPECT_FALSE(report.has_malformed()) << report.output;
  const std::string summary = mailscope::testing::tshark_summary(path);
  EXPECT_NE(summary.find("[SYN]"), std::string::npos);
  EXPECT_NE(summary.find("Echo (ping) request"), std::string::npos);
  EXPECT_NE(summary.find("Retransmission"), std::string::npos)
      << "20% loss should force retransmissions";
}

}  // namespace
}  // namespace mailscope::net

namespace mailscope::net {
namespace {

TEST(PcapExport, TapCapturesWhatOneNodeSentAndReceived) {
  World w(1);
  PingResult result;
  w.client().ping(w.server().address(), 1, [&](const PingResult& r) { result = r; });
  w.sim.run();
  ASSERT_EQ(result.outcome, PingResult::Outcome::Reply);
  const auto all = exporter::pcap_bytes(w.sim.trace());
  const auto tap = exporter::pcap_bytes(w.sim.trace(), {.tap = w.client().id()});
  // Client: ARP request out, ARP reply in, echo request out, echo reply in (60+60+74+74 bytes).
  constexpr std::size_t kRecordHeader = 16, kFileHeader = 24;
  EXPECT_EQ(tap.size(), kFileHeader + 4 * kRecordHeader + 60 + 60 + 74 + 74);
  EXPECT_GT(all.size(), tap.size());
}

}  // namespace
}  // namespace mailscope::net
