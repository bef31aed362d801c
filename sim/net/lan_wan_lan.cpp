#include "net/lan_wan_lan.h"

#include <string>

namespace mailscope::net {
namespace {

wire::Ipv4Cidr cidr(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d,
                    std::uint8_t prefix) {
  return wire::Ipv4Cidr{wire::Ipv4Addr::from_octets(a, b, c, d), prefix};
}

std::string numbered(const char* base, int i) {
  return i == 0 ? base : std::string(base) + "-" + std::to_string(i + 1);
}

}  // namespace

LanWanLan build_lan_wan_lan(Network& network, const LanWanLanOptions& options) {
  LanWanLan t;
  t.lan_a = &network.add_switch("lan-a");
  t.lan_b = &network.add_switch("lan-b");
  t.r1 = &network.add_router("r1");
  t.r2 = &network.add_router("r2");
  network.attach(*t.r1, *t.lan_a, cidr(10, 0, 1, 1, 24), options.lan);
  network.attach(*t.r2, *t.lan_b, cidr(10, 0, 2, 1, 24), options.lan);
  t.wan =
      &network.connect(*t.r1, cidr(192, 0, 2, 1, 30), *t.r2, cidr(192, 0, 2, 2, 30), options.wan);
  t.r1->routes().add(Route{cidr(10, 0, 2, 0, 24), wire::Ipv4Addr::from_octets(192, 0, 2, 2), 1});
  t.r2->routes().add(Route{cidr(10, 0, 1, 0, 24), wire::Ipv4Addr::from_octets(192, 0, 2, 1), 1});
  for (int i = 0; i < options.clients; ++i) {
    Host& h = network.add_host(numbered("client", i));
    network.attach(h, *t.lan_a, cidr(10, 0, 1, static_cast<std::uint8_t>(10 + i), 24), options.lan);
    h.set_default_gateway(wire::Ipv4Addr::from_octets(10, 0, 1, 1));
    t.clients.push_back(&h);
  }
  for (int i = 0; i < options.servers; ++i) {
    Host& h = network.add_host(numbered("server", i));
    network.attach(h, *t.lan_b, cidr(10, 0, 2, static_cast<std::uint8_t>(25 + i), 24), options.lan);
    h.set_default_gateway(wire::Ipv4Addr::from_octets(10, 0, 2, 1));
    t.servers.push_back(&h);
  }
  return t;
}

}  // namespace mailscope::net
