#include "net/network.h"

namespace mailscope::net {

Network::Network(Simulator& sim) : m_sim(sim), m_flows(sim.trace()) {}

// Links go first: their destructors touch nothing, but nodes' sockets may refer to hosts.
Network::~Network() {
  m_links.clear();
  m_nodes.clear();
}

Host& Network::add_host(std::string name, std::string kind) {
  m_nodes.push_back(std::make_unique<Host>(*this, std::move(name), std::move(kind), false));
  return static_cast<Host&>(*m_nodes.back());
}

Host& Network::add_router(std::string name) {
  m_nodes.push_back(std::make_unique<Host>(*this, std::move(name), "router", true));
  return static_cast<Host&>(*m_nodes.back());
}

Switch& Network::add_switch(std::string name) {
  m_nodes.push_back(std::make_unique<Switch>(m_sim, std::move(name)));
  return static_cast<Switch&>(*m_nodes.back());
}

Link& Network::add_link(Port& a, Port& b, LinkConfig config) {
  std::string name = a.node->name() + "<->" + b.node->name();
  m_links.push_back(std::make_unique<Link>(m_sim, std::move(name), config, a, b));
  return *m_links.back();
}

Interface& Network::attach(Host& host, Switch& sw, std::optional<wire::Ipv4Cidr> address,
                           LinkConfig config) {
  Interface& iface = host.add_interface(address);
  add_link(iface.port, sw.add_port(), config);
  return iface;
}

Link& Network::connect(Host& a, std::optional<wire::Ipv4Cidr> address_a, Host& b,
                       std::optional<wire::Ipv4Cidr> address_b, LinkConfig config) {
  Interface& ia = a.add_interface(address_a);
  Interface& ib = b.add_interface(address_b);
  return add_link(ia.port, ib.port, config);
}

Link& Network::connect(Switch& a, Switch& b, LinkConfig config) {
  return add_link(a.add_port(), b.add_port(), config);
}

Host* Network::find_host(std::string_view name) {
  for (auto& node : m_nodes) {
    if (node->name() == name) return dynamic_cast<Host*>(node.get());
  }
  return nullptr;
}

Host* Network::host_with_address(wire::Ipv4Addr address) {
  for (auto& node : m_nodes) {
    auto* host = dynamic_cast<Host*>(node.get());
    if (host != nullptr && host->owns_address(address)) return host;
  }
  return nullptr;
}

Link* Network::find_link(std::string_view name) {
  for (auto& link : m_links) {
    if (link->name() == name) return link.get();
  }
  return nullptr;
}

}  // namespace mailscope::net
