#include "cli/demo.h"

#include <memory>
#include <string>

#include "net/lan_wan_lan.h"
#include "net/tcp_stack.h"

namespace mailscope::cli {
namespace {

// Records an application line and sends it, so the segments that carry it link back to it.
void say(net::Host& host, net::TcpStream& stream, EventKind kind, std::string_view line,
         EventId cause) {
  const EventId event =
      host.record(Layer::Application, kind, host.sim().trace().store(line), cause, stream.flow());
  stream.send(wire::as_bytes(line), event);
}

}  // namespace

void run_demo(Simulator& sim) {
  net::Network network(sim);
  const net::LanWanLan t = net::build_lan_wan_lan(network);
  net::Host& client = *t.clients[0];
  net::Host& server = *t.servers[0];

  // 1. ping: ARP on each LAN, ICMP echo through both routers.
  client.note(Layer::Application, "ping " + server.address().to_string());
  client.ping(server.address(), 1, [&client](const net::PingResult& r) {
    client.note(Layer::Application, r.outcome == net::PingResult::Outcome::Reply
                                        ? "ping reply after " + format_time(r.rtt)
                                        : std::string("ping failed"));
  });

  // 2. A server greets, the client says QUIT, the server says goodbye and closes.
  auto listener = server.tcp().listen(25, [&server](std::shared_ptr<net::TcpStream> s) {
    net::TcpStream* raw = s.get();
    s->set_callbacks({.data = [&server, raw](wire::ByteView, EventId cause) {
      say(server, *raw, EventKind::Response, "221 2.0.0 Bye\r\n", cause);
      raw->close();
    }});
    say(server, *raw, EventKind::Response, "220 server ESMTP MailScope demo\r\n", kNoEvent);
  });
  std::shared_ptr<net::TcpStream> stream;
  sim.schedule_at(200 * kMillisecond, [&] {
    client.note(Layer::Application, "connect to " + server.address().to_string() + ":25");
    stream = client.tcp().connect(server.address(), 25, {});
    net::TcpStream* raw = stream.get();
    stream->set_callbacks({.data =
                               [&client, raw](wire::ByteView bytes, EventId cause) {
                                 if (bytes.size() >= 3 && bytes[0] == '2' && bytes[1] == '2' &&
                                     bytes[2] == '0') {
                                   say(client, *raw, EventKind::Request, "QUIT\r\n", cause);
                                 }
                               },
                           .peer_closed = [raw] { raw->close(); }});
  });
  sim.run();
}

}  // namespace mailscope::cli
