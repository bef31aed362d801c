#pragma once
// A small but real run for the export tests: the LAN-WAN-LAN topology with three named hosts
// added (client.outlook.com on LAN A; smtp.outlook.com and ns.outlook.com on LAN B), then
//
//   1. narration and a user action;
//   2. a DNS query for smtp.outlook.com over real UDP, answered by ns.outlook.com;
//   3. an SMTP submission over real TCP to port 587: greeting, EHLO, STARTTLS, a TLS handshake
//      (synthetic TLS events whose bytes travel in real segments), then AUTH PLAIN, MAIL, RCPT,
//      DATA with a hostile Subject, QUIT, all carried in TLS records;
//   4. mail events (queued inside the session; deferred, delivered, bounced outside it);
//   5. a datagram to a closed port, which is dropped and answered with ICMP.
//
// Every L7 and TLS event is recorded as docs/trace-events.md says, with the segments linked to
// the message they carry.

#include <memory>
#include <string>

#include "core/simulator.h"
#include "net/lan_wan_lan.h"
#include "net/network.h"

namespace mailscope::exporter::testing {

struct MailWorldOptions {
  std::uint64_t seed = 7;
  double wan_loss = 0.0;  // loss probability on the WAN link once the SMTP session starts
  std::string subject = "<script>alert(1)</script>";
  std::string narration = "Alice's mail program first asks DNS where smtp.outlook.com is.";
};

class MailWorld {
 public:
  explicit MailWorld(const MailWorldOptions& options = {});
  ~MailWorld();
  const Trace& trace() const { return m_sim.trace(); }

 private:
  struct Run;
  Simulator m_sim;
  net::Network m_network;
  std::unique_ptr<Run> m_run;
};

}  // namespace mailscope::exporter::testing
