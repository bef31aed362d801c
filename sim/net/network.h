#pragma once
// Network: owns the nodes and links of one simulated world and the registry that names its
// conversations. Building a topology is plain code (or a scenario file, later):
//
//   Network net(sim);
//   Switch& lan = net.add_switch("lan-a");
//   Host& pc = net.add_host("pc");
//   net.attach(pc, lan, *Ipv4Cidr::parse("10.0.1.10/24"), LinkConfig{});

#include <memory>
#include <string>
#include <vector>

#include "core/simulator.h"
#include "net/flow_registry.h"
#include "net/host.h"
#include "net/link.h"
#include "net/switch.h"

namespace mailscope::net {

class Network {
 public:
  explicit Network(Simulator& sim);
  ~Network();
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  Simulator& sim() { return m_sim; }
  FlowRegistry& flows() { return m_flows; }

  Host& add_host(std::string name, std::string kind = "host");
  Host& add_router(std::string name);
  Switch& add_switch(std::string name);

  // A new interface on `host`, cabled to a new port of `sw`.
  Interface& attach(Host& host, Switch& sw, std::optional<wire::Ipv4Cidr> address,
                    LinkConfig config = {});
  // Two new interfaces cabled to each other (a point-to-point link, e.g. a WAN between routers).
  Link& connect(Host& a, std::optional<wire::Ipv4Cidr> address_a, Host& b,
                std::optional<wire::Ipv4Cidr> address_b, LinkConfig config = {});
  Link& connect(Switch& a, Switch& b, LinkConfig config = {});

  wire::MacAddr allocate_mac() { return wire::MacAddr::from_index(++m_macs_allocated); }

  Host* find_host(std::string_view name);
  Host* host_with_address(wire::Ipv4Addr address);
  const std::vector<std::unique_ptr<Node>>& nodes() const { return m_nodes; }
  const std::vector<std::unique_ptr<Link>>& links() const { return m_links; }
  Link* find_link(std::string_view name);

 private:
  Link& add_link(Port& a, Port& b, LinkConfig config);

  Simulator& m_sim;
  FlowRegistry m_flows;
  std::vector<std::unique_ptr<Node>> m_nodes;
  std::vector<std::unique_ptr<Link>> m_links;
  std::uint32_t m_macs_allocated = 0;
};

}  // namespace mailscope::net
