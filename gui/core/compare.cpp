#include "gui/core/compare.h"

#include <algorithm>
#include <cmath>

namespace mailscope::gui {

namespace {

constexpr std::array<std::string_view, static_cast<std::size_t>(Metric::Count)> kMetricNames{
    "servers involved", "DNS lookups",  "router hops",      "TLS sessions",
    "frames on a wire", "app messages", "elapsed (virtual)"};
static_assert(kMetricNames.size() == static_cast<std::size_t>(Metric::Count));

constexpr std::size_t index_of(Metric m) {
  return static_cast<std::size_t>(m);
}

}  // namespace

std::string_view to_string(Metric metric) {
  const auto i = index_of(metric);
  return i < kMetricNames.size() ? kMetricNames[i] : "?";
}

std::string_view to_string(SyncMode mode) {
  return mode == SyncMode::ByPhase ? "by phase" : "by time";
}

RunStatsIndex::RunStatsIndex(const RunIndex& index) : m_trace(index.trace()) {
  const Trace& trace = m_trace;
  const TopologySnapshot& topo = index.topology();
  const std::size_t n = trace.size();
  for (auto& p : m_prefix)
    p.resize(n);
  const std::vector<NodeId> servers = flow_servers(trace);
  std::vector<bool> server_seen(trace.node_count(), false);
  std::vector<bool> tls_flow_seen(trace.flow_count(), false);
  std::vector<bool> is_router(trace.node_count(), false);
  for (const TopoNode& node : topo.nodes) {
    if (node.id < is_router.size()) is_router[node.id] = node.icon == NodeIcon::Router;
  }
  std::array<std::uint32_t, static_cast<std::size_t>(Metric::ElapsedNs)> count{};
  for (EventId id = 0; id < n; ++id) {
    const TraceEvent& e = trace.event(id);
    if (e.flow != kNoFlow && e.flow < servers.size() && !trace.flow(e.flow).application.empty()) {
      const NodeId server = servers[e.flow];
      if (server != kNoNode && server < server_seen.size() && !server_seen[server]) {
        server_seen[server] = true;
        ++count[index_of(Metric::Servers)];
      }
    }
    if (e.layer == Layer::Application && e.kind == EventKind::Request &&
        index.protocol(id) == Protocol::Dns)
      ++count[index_of(Metric::DnsLookups)];
    if (e.kind == EventKind::Forward && e.node < is_router.size() && is_router[e.node])
      ++count[index_of(Metric::RouterHops)];
    if (e.layer == Layer::Tls && e.flow != kNoFlow && e.flow < tls_flow_seen.size() &&
        !tls_flow_seen[e.flow]) {
      tls_flow_seen[e.flow] = true;
      ++count[index_of(Metric::TlsSessions)];
    }
    if (e.layer == Layer::Physical && e.kind == EventKind::Send) ++count[index_of(Metric::Frames)];
    if (e.layer == Layer::Application &&
        (e.kind == EventKind::Request || e.kind == EventKind::Response))
      ++count[index_of(Metric::Messages)];
    for (std::size_t m = 0; m < count.size(); ++m)
      m_prefix[m][id] = count[m];
  }
}

RunStats RunStatsIndex::at(EventId upto) const {
  RunStats s;
  if (upto == kNoEvent || upto >= m_trace.size()) return s;
  for (std::size_t m = 0; m < m_prefix.size(); ++m)
    s.values[m] = m_prefix[m][upto];
  const TimeNs t = m_trace.event(upto).time - m_trace.event(0).time;
  s.values[index_of(Metric::ElapsedNs)] = t > 0 ? static_cast<std::uint64_t>(t) : 0;
  return s;
}

RunStats RunStatsIndex::total() const {
  return m_trace.size() == 0 ? RunStats{} : at(static_cast<EventId>(m_trace.size() - 1));
}

std::vector<std::optional<std::size_t>> align_phases(std::span<const Phase> left,
                                                     std::span<const Phase> right) {
  const std::size_t n = left.size(), m = right.size();
  std::vector<std::optional<std::size_t>> out(n);
  if (n == 0 || m == 0) return out;
  if (n > kAlignPhasesMax || m > kAlignPhasesMax) {
    // Greedy: each left phase takes the next right phase of its kind.
    std::size_t j = 0;
    for (std::size_t i = 0; i < n && j < m; ++i) {
      std::size_t k = j;
      while (k < m && right[k].kind != left[i].kind)
        ++k;
      if (k < m) {
        out[i] = k;
        j = k + 1;
      }
    }
    return out;
  }
  // lcs[i][j]: the longest common subsequence of left[i..] and right[j..].
  std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
  auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      at(i, j) = left[i].kind == right[j].kind ? at(i + 1, j + 1) + 1
                                               : std::max(at(i + 1, j), at(i, j + 1));
    }
  }
  for (std::size_t i = 0, j = 0; i < n && j < m;) {
    if (left[i].kind == right[j].kind && at(i, j) == at(i + 1, j + 1) + 1) {
      out[i] = j;
      ++i;
      ++j;
    } else if (at(i + 1, j) >= at(i, j + 1)) {
      ++i;
    } else {
      ++j;
    }
  }
  return out;
}

CompareSync::CompareSync(ViewModel& left, ViewModel& right, SyncMode mode)
    : m_left(left),
      m_right(right),
      m_mode(mode),
      m_alignment(align_phases(left.index().phases(), right.index().phases())) {
  follow();
}

void CompareSync::set_mode(SyncMode mode) {
  if (mode == m_mode) return;
  m_mode = mode;
  m_seen_revision = UINT64_MAX;
  follow();
}

void CompareSync::home() {
  m_left.home();
  follow();
}

void CompareSync::follow() {
  if (m_right.filter() != m_left.filter()) {
    m_right.set_filter(m_left.filter());
    m_seen_revision = UINT64_MAX;
  }
  if (m_left.revision() == m_seen_revision) return;
  m_seen_revision = m_left.revision();
  m_right_waiting = false;
  if (m_left.current_event() == kNoEvent || m_right.step_count() == 0) return;
  if (m_mode == SyncMode::ByTime)
    sync_by_time();
  else
    sync_by_phase();
}

void CompareSync::sync_by_time() {
  const Trace& lt = m_left.trace();
  const Trace& rt = m_right.trace();
  const TimeNs since_start = lt.event(m_left.current_event()).time - lt.event(0).time;
  m_right.seek_time(rt.event(0).time + since_start);
}

void CompareSync::sync_by_phase() {
  const auto left_phase = m_left.current_phase();
  if (!left_phase) return;
  const auto lp = m_left.index().phases();
  const auto rp = m_right.index().phases();
  // How far through its phase the left is, counted in visible steps: 0 at its first step, 1 at
  // its last, so that first maps to first and last to last.
  const std::size_t l0 = m_left.step_at_or_after(lp[*left_phase].first);
  const std::size_t l1 =
      std::min(m_left.step_at_or_after(lp[*left_phase].last + 1), m_left.step_count());
  const std::size_t into = m_left.step() - std::min(m_left.step(), l0);
  const double fraction =
      l1 > l0 + 1 ? static_cast<double>(into) / static_cast<double>(l1 - l0 - 1) : 0.0;
  if (const auto paired = m_alignment[*left_phase]) {
    const std::size_t r0 = m_right.step_at_or_after(rp[*paired].first);
    const std::size_t r1 =
        std::min(m_right.step_at_or_after(rp[*paired].last + 1), m_right.step_count());
    if (r0 < r1) {
      const auto offset =
          static_cast<std::size_t>(std::lround(fraction * static_cast<double>(r1 - r0 - 1)));
      m_right.seek_step(std::min(r0 + offset, r1 - 1));
      return;
    }
  }
  // No counterpart: wait at the end of the last shared phase before this one.
  m_right_waiting = true;
  for (std::size_t p = *left_phase; p-- > 0;) {
    if (const auto paired = m_alignment[p]) {
      const std::size_t r1 =
          std::min(m_right.step_at_or_after(rp[*paired].last + 1), m_right.step_count());
      m_right.seek_step(r1 == 0 ? 0 : r1 - 1);
      return;
    }
  }
  m_right.home();
}

}  // namespace mailscope::gui
