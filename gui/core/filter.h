#pragma once
// What a step is about and which steps the user wants to see. Every event gets one Protocol
// (the conversation it belongs to) and has one Layer; a Filter keeps the events whose protocol
// and layer are both switched on.

#include <cstdint>
#include <string_view>

#include "core/trace.h"

namespace mailscope::gui {

// The conversation an event belongs to. Application protocols come from the flow's application;
// otherwise the transport. ARP frames are ARP whatever caused them. Events outside any
// conversation (actions, narration, notes) are None and pass every protocol filter.
enum class Protocol : std::uint8_t {
  Dns,
  Smtp,
  Imap,
  Pop3,
  Tcp,
  Udp,
  Icmp,
  Arp,
  Other,
  None,
  Count
};
std::string_view to_string(Protocol protocol);  // "DNS", "SMTP", ...
// From a flow's application or transport name ("smtp", "tcp"); Other when unknown.
Protocol protocol_from_name(std::string_view name);

constexpr std::uint32_t bit(Protocol p) {
  return 1u << static_cast<unsigned>(p);
}
constexpr std::uint32_t bit(Layer l) {
  return 1u << static_cast<unsigned>(l);
}

struct Filter {
  static constexpr std::uint32_t kAllProtocols = (1u << static_cast<unsigned>(Protocol::Count)) - 1;
  static constexpr std::uint32_t kAllLayers = (1u << static_cast<unsigned>(Layer::Count)) - 1;

  std::uint32_t protocols = kAllProtocols;  // bit(Protocol) set = shown
  std::uint32_t layers = kAllLayers;        // bit(Layer) set = shown

  bool shows(Protocol p) const { return p == Protocol::None || (protocols & bit(p)) != 0; }
  bool shows(Layer l) const { return (layers & bit(l)) != 0; }
  bool allows(Protocol p, Layer l) const { return shows(p) && shows(l); }
  bool is_everything() const { return protocols == kAllProtocols && layers == kAllLayers; }
  bool operator==(const Filter&) const = default;

  // Presets offered in the timeline's filter menu.
  static Filter everything() { return {}; }
  // Application messages only: the dialogue, as a mail client's debug log shows it.
  static Filter messages_only() { return {kAllProtocols, bit(Layer::Application)}; }
  // One step per wire crossing plus the messages: the packet's path without the stack detail.
  static Filter wire_and_messages() {
    return {kAllProtocols, bit(Layer::Application) | bit(Layer::Physical)};
  }
  // The mail itself: DNS, SMTP, IMAP and POP3 conversations at every layer.
  static Filter mail_protocols() {
    return {bit(Protocol::Dns) | bit(Protocol::Smtp) | bit(Protocol::Imap) | bit(Protocol::Pop3),
            kAllLayers};
  }
};

}  // namespace mailscope::gui
