#pragma once
// Compare mode: two runs side by side (a same-domain and a cross-domain lesson, say), stepped
// together, with a table of what differs.
//
// Sections: run statistics (what the table shows) · phase alignment · the synchroniser.
//
// The user drives the left view-model; CompareSync makes the right one follow. Two ways:
//   ByPhase  the right run shows the same chapter of the story (its phase of the same kind, the
//            phases of both runs being aligned in order) at the same fraction of the way
//            through it; when the left is in a phase the right run does not have (a relay, in a
//            same-domain run), the right waits at the end of the last phase they share;
//   ByTime   the right run shows its last step at or before the left's virtual time.
// The filter is shared: changing it on the left changes it on the right.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "gui/core/view_model.h"

namespace mailscope::gui {

// ---- Run statistics

enum class Metric : std::uint8_t {
  Servers,      // distinct servers of application flows (DNS, SMTP, IMAP, POP3 servers)
  DnsLookups,   // DNS queries sent
  RouterHops,   // packets forwarded by a router
  TlsSessions,  // flows that carried TLS
  Frames,       // frames put on a wire
  Messages,     // application requests and responses
  ElapsedNs,    // virtual time since the run's first event
  Count
};
std::string_view to_string(Metric metric);  // "servers involved", ...

struct RunStats {
  std::array<std::uint64_t, static_cast<std::size_t>(Metric::Count)> values{};
  std::uint64_t operator[](Metric m) const { return values[static_cast<std::size_t>(m)]; }
};

// Counts for every prefix of a trace, so the table costs O(1) a frame. Memory: one 32-bit
// counter per event and metric.
class RunStatsIndex {
 public:
  explicit RunStatsIndex(const RunIndex& index);
  // The counts over events 0..upto inclusive; all zero for kNoEvent.
  RunStats at(EventId upto) const;
  RunStats total() const;

 private:
  const Trace& m_trace;
  // m_prefix[m][e]: how many events 0..e counted for metric m (ElapsedNs excluded).
  std::array<std::vector<std::uint32_t>, static_cast<std::size_t>(Metric::ElapsedNs)> m_prefix;
};

// ---- Phase alignment

// For every left phase, the right phase it corresponds to: the longest common subsequence of the
// two lists of phase kinds (DNS, Submission, DNS, Relay, Retrieval against DNS, Submission,
// Retrieval pairs the first three kinds they share in order). Nullopt for a left phase with no
// counterpart. Lists longer than kAlignPhasesMax are paired greedily instead.
inline constexpr std::size_t kAlignPhasesMax = 2000;
std::vector<std::optional<std::size_t>> align_phases(std::span<const Phase> left,
                                                     std::span<const Phase> right);

// ---- The synchroniser

enum class SyncMode : std::uint8_t { ByPhase, ByTime };
std::string_view to_string(SyncMode mode);  // "by phase", "by time"

class CompareSync {
 public:
  // Both view-models must outlive this object.
  CompareSync(ViewModel& left, ViewModel& right, SyncMode mode = SyncMode::ByPhase);

  SyncMode mode() const { return m_mode; }
  void set_mode(SyncMode mode);
  ViewModel& left() { return m_left; }
  ViewModel& right() { return m_right; }

  // Moves the right view-model to match the left when the left moved (or its filter changed)
  // since the last call; cheap when nothing changed, so the GUI calls it every frame.
  void follow();
  // Seeks both to the first step, in sync.
  void home();

  // True when the left is in a phase the right run does not have (ByPhase only): the right is
  // waiting at the end of the last shared phase.
  bool right_waiting() const { return m_right_waiting; }
  // The right phase paired with each left phase.
  std::span<const std::optional<std::size_t>> alignment() const { return m_alignment; }

 private:
  void sync_by_phase();
  void sync_by_time();

  ViewModel& m_left;
  ViewModel& m_right;
  SyncMode m_mode;
  std::vector<std::optional<std::size_t>> m_alignment;  // one per left phase
  std::uint64_t m_seen_revision = UINT64_MAX;           // the left's revision last followed
  bool m_right_waiting = false;
};

}  // namespace mailscope::gui
