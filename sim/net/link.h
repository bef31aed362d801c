#pragma once
// Link: a full-duplex point-to-point cable between two ports. Each direction has a transmitter
// that sends one frame at a time (serialization delay from the bandwidth), a bounded queue in
// front of it, a propagation latency and a loss probability drawn from the link's own seeded
// stream. Every frame put on the wire is an L1 send event holding the frame's bytes — the pcap
// export reads exactly those.

#include <cstdint>
#include <deque>

#include "core/rng.h"
#include "core/simulator.h"
#include "net/node.h"

namespace mailscope::net {

struct LinkConfig {
  TimeNs latency = 1 * kMillisecond;          // propagation delay, one way
  std::uint64_t bandwidth_bps = 100'000'000;  // 0 means infinitely fast
  std::uint32_t mtu = 1500;                   // largest IPv4 packet the link carries
  std::uint32_t queue_frames_max = 1000;      // frames waiting per direction before drops
  double loss = 0.0;                          // probability that a frame is lost in transit
};

// Bytes a frame occupies on an Ethernet wire besides the ones we keep: preamble and start frame
// delimiter (8), frame check sequence (4) and the inter-frame gap (12).
constexpr std::uint32_t kEthernetWireOverhead = 8 + 4 + 12;

class Link {
 public:
  Link(Simulator& sim, std::string name, LinkConfig config, Port& a, Port& b);
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  // Puts a frame on the wire from `from`'s side. `parent` is the L2 event that built the frame.
  void transmit(const Port& from, BlobRef frame, EventId parent, FlowId flow);

  const LinkConfig& config() const { return m_config; }
  LinkConfig& config() { return m_config; }  // latency/loss may change while running (faults)
  const std::string& name() const { return m_name; }
  bool is_up() const { return m_up; }
  // Taking a link down drops frames in flight and everything sent until it comes back up.
  void set_up(bool up);
  const Port& end(int side) const { return *m_ends[side]; }

  std::uint64_t frames_sent() const { return m_frames_sent; }

 private:
  struct Queued {
    BlobRef frame;
    EventId parent;
    FlowId flow;
  };
  struct InFlight {
    BlobRef frame;
    EventId sent;  // the L1 send event
    FlowId flow;
    TimeNs arrival;
    std::uint64_t generation;  // the link's generation when sent; a later one means it went down
    bool lost;
  };
  struct Direction {
    std::deque<Queued> queue;        // frames waiting for the transmitter
    std::deque<InFlight> in_flight;  // frames on the wire, in arrival order (a cable is FIFO)
    TimeNs busy_until = 0;           // when the frame being serialized has fully left
    bool start_scheduled = false;    // a start_next event is pending for this direction
  };

  void start_next(int side);
  void send_now(int side, const Queued& frame);
  void arrive(int side);
  TimeNs serialization_delay(std::uint32_t frame_bytes) const;

  Simulator& m_sim;
  std::string m_name;
  LinkConfig m_config;
  Port* m_ends[2];
  Direction m_directions[2];
  Rng m_rng;
  bool m_up = true;
  std::uint64_t m_generation = 0;  // bumped when the link goes down; in-flight frames compare it
  std::uint64_t m_frames_sent = 0;
};

}  // namespace mailscope::net
