#pragma once
// The conversation view's lines: every application request and response of the run as the two
// sides wrote them ("C: EHLO ...", "S: 250 ..."), grouped under a header line per flow. DNS
// messages are shown as tshark's one-line summary. Built once per protocol filter, not per frame.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/trace.h"
#include "gui/core/filter.h"
#include "gui/core/run_index.h"

namespace mailscope::gui {

enum class RowKind : std::uint8_t { FlowHeader, Client, Server };

struct ConversationRow {
  RowKind kind = RowKind::Client;
  EventId event = kNoEvent;  // the message this line belongs to (the flow's first for headers)
  FlowId flow = kNoFlow;
  Protocol protocol = Protocol::Other;
  std::string text;  // one line, without its CRLF
};

enum class Credentials : std::uint8_t { Mask, Show };

struct ConversationOptions {
  Credentials credentials = Credentials::Mask;
  std::size_t lines_per_message_max = 12;  // a long DATA body is cut after this many lines
};

class Conversation {
 public:
  Conversation() = default;
  Conversation(const RunIndex& index, const Filter& filter, ConversationOptions options = {});

  std::span<const ConversationRow> rows() const { return m_rows; }
  // Rows [first, last) of message `event`; an empty range when it has none.
  std::pair<std::size_t, std::size_t> rows_of(EventId event) const;
  const Filter& filter() const { return m_filter; }
  const ConversationOptions& options() const { return m_options; }

 private:
  std::vector<ConversationRow> m_rows;  // in trace order of their events
  Filter m_filter;
  ConversationOptions m_options;
};

// The lines of one application message as the conversation shows them (no CRLF, masked
// credentials, DNS summarised), at most `lines_max` (the last says how many more there were).
std::vector<std::string> message_lines(const Trace& trace, const TraceEvent& event,
                                       Protocol protocol, Credentials credentials,
                                       std::size_t lines_max);

}  // namespace mailscope::gui
