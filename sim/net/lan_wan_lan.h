#pragma once
// The classic teaching topology, built in code: two LANs joined by two routers over a WAN link.
//
//   client 10.0.1.10 --[lan-a]-- 10.0.1.1 r1 192.0.2.1 ==wan== 192.0.2.2 r2 10.0.2.1
//   --[lan-b]-- 10.0.2.25 server
//
// Used by the built-in demo, the network tests and the benchmarks. Scenario files describe
// richer worlds; this one needs no file.

#include <vector>

#include "net/network.h"

namespace mailscope::net {

struct LanWanLanOptions {
  LinkConfig lan{1 * kMillisecond, 100'000'000, 1500, 1000, 0.0};
  LinkConfig wan{10 * kMillisecond, 100'000'000, 1500, 1000, 0.0};
  int clients = 1;  // client, client-2, ... on LAN A (10.0.1.10 upwards; at most 200)
  int servers = 1;  // server, server-2, ... on LAN B (10.0.2.25 upwards; at most 200)
};

struct LanWanLan {
  Switch* lan_a = nullptr;
  Switch* lan_b = nullptr;
  Host* r1 = nullptr;
  Host* r2 = nullptr;
  Link* wan = nullptr;
  std::vector<Host*> clients;
  std::vector<Host*> servers;
};

LanWanLan build_lan_wan_lan(Network& network, const LanWanLanOptions& options = {});

}  // namespace mailscope::net
