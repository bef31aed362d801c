#pragma once
// Switch: a learning Ethernet bridge. It learns which port each source MAC lives behind and
// forwards frames only there; unknown and broadcast destinations are flooded to every other port.

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "net/node.h"
#include "wire/address.h"

namespace mailscope::net {

class Switch final : public Node {
 public:
  Switch(Simulator& sim, std::string name);

  Port& add_port();
  std::size_t port_count() const { return m_ports.size(); }
  Port& port(std::uint32_t index) { return *m_ports.at(index); }

  void on_frame(std::uint32_t port, BlobRef frame, EventId l1_event, FlowId flow) override;

 private:
  void send_out(std::uint32_t port, BlobRef frame, EventId parent, FlowId flow);

  std::vector<std::unique_ptr<Port>> m_ports;          // stable addresses: links point at them
  std::map<wire::MacAddr, std::uint32_t> m_mac_table;  // learned source MAC -> port
};

}  // namespace mailscope::net
