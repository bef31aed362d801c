#include "gui/core/layout.h"

#include <algorithm>
#include <deque>
#include <limits>

namespace mailscope::gui {

namespace {

constexpr float kBackboneGap = 1.6f;    // between backbone nodes
constexpr float kBranchGap = 1.1f;      // from a backbone node up to a branch node
constexpr float kLeafColumnGap = 1.3f;  // from an end of the backbone out to its hosts
constexpr float kLeafRowGap = 1.0f;     // from a middle node down to its hosts
constexpr float kLeafSpacingY = 1.25f;  // between hosts in a column
constexpr float kLeafSpacingX = 1.2f;   // between hosts in a row
// Extra room, in host spacings, between hosts of different domains around one switch: the
// frames drawn around domains (and their names) need it to leave out the neighbour.
constexpr float kDomainGapSlots = 0.5f;

bool is_infrastructure(const TopoNode& n) {
  return n.icon == NodeIcon::Router || n.icon == NodeIcon::Switch;
}

using Adjacency = std::vector<std::vector<std::size_t>>;

// Breadth-first distances from `start` over nodes where `allowed` is true.
std::vector<int> bfs(const Adjacency& adj, std::size_t start, const std::vector<bool>& allowed,
                     std::vector<std::size_t>* parent = nullptr) {
  std::vector<int> dist(adj.size(), -1);
  if (parent) parent->assign(adj.size(), SIZE_MAX);
  std::deque<std::size_t> queue{start};
  dist[start] = 0;
  while (!queue.empty()) {
    const std::size_t u = queue.front();
    queue.pop_front();
    for (std::size_t v : adj[u]) {
      if (!allowed[v] || dist[v] >= 0) continue;
      dist[v] = dist[u] + 1;
      if (parent) (*parent)[v] = u;
      queue.push_back(v);
    }
  }
  return dist;
}

std::size_t farthest(const std::vector<int>& dist) {
  std::size_t best = 0;
  int best_d = -1;
  for (std::size_t i = 0; i < dist.size(); ++i) {
    if (dist[i] > best_d) {
      best_d = dist[i];
      best = i;
    }
  }
  return best;
}

// For each node, the index of the first domain it belongs to; domains.size() for none.
std::vector<std::size_t> domain_of_nodes(const TopologySnapshot& topology) {
  const std::size_t none = topology.domains.size();
  std::vector<std::size_t> out(topology.nodes.size(), none);
  for (std::size_t d = 0; d < topology.domains.size(); ++d) {
    for (NodeId id : topology.domains[d].nodes) {
      if (const auto i = topology.index_of(id); i && out[*i] == none) out[*i] = d;
    }
  }
  return out;
}

}  // namespace

TopologyLayout layout_topology(const TopologySnapshot& topology) {
  TopologyLayout out;
  const std::size_t n = topology.nodes.size();
  out.positions.resize(n);
  if (n == 0) return out;

  Adjacency adj(n);
  for (const TopoLink& l : topology.links) {
    const auto a = topology.index_of(l.a);
    const auto b = topology.index_of(l.b);
    if (!a || !b || *a == *b) continue;
    adj[*a].push_back(*b);
    adj[*b].push_back(*a);
  }
  for (auto& list : adj) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }

  std::vector<bool> infra(n);
  bool any_infra = false;
  for (std::size_t i = 0; i < n; ++i) {
    infra[i] = is_infrastructure(topology.nodes[i]);
    any_infra = any_infra || infra[i];
  }
  if (!any_infra) infra.assign(n, true);  // hosts cabled to each other: they are the backbone

  std::vector<bool> placed(n, false);
  std::vector<int> role(n, 0);  // 0 unplaced, 1 backbone start, 2 backbone middle, 3 end, 4 branch
  float row_y = 0;              // each connected group of infrastructure gets its own band

  for (std::size_t seed = 0; seed < n; ++seed) {
    if (!infra[seed] || placed[seed]) continue;
    // The backbone of this group: a diameter found by two breadth-first searches.
    const std::size_t u = farthest(bfs(adj, seed, infra));
    std::vector<std::size_t> parent;
    const auto dist = bfs(adj, u, infra, &parent);
    const std::size_t v = farthest(dist);
    std::vector<std::size_t> path;
    for (std::size_t x = v; x != SIZE_MAX; x = parent[x])
      path.push_back(x);
    if (path.front() > path.back()) std::reverse(path.begin(), path.end());
    for (std::size_t i = 0; i < path.size(); ++i) {
      out.positions[path[i]] = Vec2{static_cast<float>(i) * kBackboneGap, row_y};
      placed[path[i]] = true;
      role[path[i]] = path.size() == 1 ? 2 : i == 0 ? 1 : i + 1 == path.size() ? 3 : 2;
    }
    // Branches: infrastructure nodes off the backbone, above the node they hang from.
    std::vector<std::size_t> frontier = path;
    std::vector<int> branch_count(n, 0);
    for (int depth = 1; !frontier.empty() && depth < 64; ++depth) {
      std::vector<std::size_t> next;
      for (std::size_t p : frontier) {
        for (std::size_t c : adj[p]) {
          if (!infra[c] || placed[c]) continue;
          const int k = branch_count[p]++;
          out.positions[c] = Vec2{out.positions[p].x + static_cast<float>(k) * kLeafSpacingX,
                                  out.positions[p].y - kBranchGap};
          placed[c] = true;
          role[c] = 4;
          next.push_back(c);
        }
      }
      frontier = std::move(next);
    }
    row_y += 4.0f;
  }

  // Leaves: every node not yet placed, around the first placed neighbour it has.
  std::vector<std::vector<std::size_t>> leaves_of(n);
  std::vector<std::size_t> orphans;
  for (std::size_t i = 0; i < n; ++i) {
    if (placed[i]) continue;
    std::size_t anchor = SIZE_MAX;
    for (std::size_t nb : adj[i]) {
      if (placed[nb]) {
        anchor = nb;
        break;
      }
    }
    if (anchor == SIZE_MAX)
      orphans.push_back(i);
    else
      leaves_of[anchor].push_back(i);
  }
  // Around one anchor, hosts of one domain sit together, domains in their order and hosts of no
  // domain last (below or right of the rest, away from where a domain writes its name), with a
  // gap wherever the domain changes.
  const std::vector<std::size_t> domain = domain_of_nodes(topology);
  for (std::size_t a = 0; a < n; ++a) {
    std::vector<std::size_t>& leaves = leaves_of[a];
    if (leaves.empty()) continue;
    std::stable_sort(leaves.begin(), leaves.end(),
                     [&](std::size_t x, std::size_t y) { return domain[x] < domain[y]; });
    std::vector<float> slot(leaves.size(), 0.0f);  // in host spacings from the first leaf
    for (std::size_t j = 1; j < leaves.size(); ++j) {
      const bool new_group = domain[leaves[j]] != domain[leaves[j - 1]];
      slot[j] = slot[j - 1] + 1.0f + (new_group ? kDomainGapSlots : 0.0f);
    }
    const float middle = slot.back() / 2;
    for (std::size_t j = 0; j < leaves.size(); ++j) {
      const float offset = slot[j] - middle;
      Vec2 p = out.positions[a];
      if (role[a] == 1 || role[a] == 3) {
        p.x += role[a] == 1 ? -kLeafColumnGap : kLeafColumnGap;
        p.y += offset * kLeafSpacingY;
      } else {
        p.x += offset * kLeafSpacingX;
        p.y += role[a] == 4 ? -kLeafRowGap : kLeafRowGap;
      }
      out.positions[leaves[j]] = p;
      placed[leaves[j]] = true;
    }
  }
  // Nodes cabled to nothing placed: a row under everything else.
  for (std::size_t j = 0; j < orphans.size(); ++j) {
    out.positions[orphans[j]] = Vec2{static_cast<float>(j) * kLeafSpacingX, row_y};
  }

  Bounds b{{std::numeric_limits<float>::max(), std::numeric_limits<float>::max()},
           {std::numeric_limits<float>::lowest(), std::numeric_limits<float>::lowest()}};
  for (const Vec2& p : out.positions) {
    b.min.x = std::min(b.min.x, p.x);
    b.min.y = std::min(b.min.y, p.y);
    b.max.x = std::max(b.max.x, p.x);
    b.max.y = std::max(b.max.y, p.y);
  }
  out.bounds = b;
  return out;
}

}  // namespace mailscope::gui
