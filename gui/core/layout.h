#pragma once
// Automatic layout of a topology, in abstract units (about one unit between neighbouring
// routers). Networks drawn by hand for teaching have a backbone in a row with LANs hanging off
// it, so that is what this builds:
//   1. the backbone is the longest shortest path through the routers and switches, laid out
//      left to right;
//   2. other routers and switches hang above the backbone node they reach it through;
//   3. hosts and servers gather around the switch or router they are cabled to: in a column
//      outside the backbone's two ends, in a row below a node in the middle; grouped by mail
//      domain, with room between groups for the domains' frames, hosts of no domain last.
// Everything is deterministic: ties are broken by node order in the snapshot.

#include <vector>

#include "gui/core/topology.h"

namespace mailscope::gui {

struct Vec2 {
  float x = 0;
  float y = 0;
};

struct Bounds {
  Vec2 min;
  Vec2 max;
};

struct TopologyLayout {
  std::vector<Vec2> positions;  // one per snapshot node, same order
  Bounds bounds;                // of all positions; a zero-size box for zero or one node
};

TopologyLayout layout_topology(const TopologySnapshot& topology);

}  // namespace mailscope::gui
