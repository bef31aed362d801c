#pragma once
// CommandReader frames IMAP commands out of a byte stream, in any chunking (one byte at a time
// included). A command is a line; when a line ends with a literal announcement "{n}" or "{n+}"
// the next n octets belong to the command, and then the command goes on with another line.
//
// The reader is incremental in the style of {good, bad, need_more}: next() consumes input until
// something happens and says what. The owner decides the rest (whether to send "+ Ready", which
// reply to give); the reader only keeps the stream in sync:
//  - a line longer than line_max is dropped up to its LF (LineTooLong);
//  - a synchronizing literal {n} waits for accept_literal() or reject_literal();
//  - a non-synchronizing literal {n+} over nonsync_literal_max (RFC 7888 LITERAL-) is skipped
//    octet for octet, with the rest of its command, since the client sends it regardless
//    (LiteralTooBig).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mailscope::imap {

struct CommandReaderLimits {
  std::size_t line_max = 8192;             // octets of one line, CRLF excluded
  std::size_t nonsync_literal_max = 4096;  // RFC 7888 LITERAL-
  std::size_t literal_max = 10'240'000;    // any literal (the store's message size limit)
  std::size_t literals_per_command_max = 64;
};

class CommandReader {
 public:
  enum class Event {
    NeedMore,       // all input consumed, nothing complete yet
    Command,        // a whole command is ready: take()
    SyncLiteral,    // a line ended with {n}: call accept_literal() or reject_literal()
    LineTooLong,    // a line over line_max was dropped (up to and including its LF)
    LiteralTooBig,  // a literal over its limit was announced; it and its command are dropped
  };
  struct Step {
    Event event = Event::NeedMore;
    std::size_t consumed = 0;  // octets of the input used
  };

  explicit CommandReader(CommandReaderLimits limits = {}) : m_limits(limits) {}

  // Literals are not looked for while off (IDLE's DONE, AUTHENTICATE responses are plain lines).
  void set_literals(bool on) { m_literals_on = on; }
  Step next(std::string_view input);
  // The command after Event::Command, final CRLF removed; the reader starts a new command.
  std::string take();
  // The start of the command dropped with LineTooLong or LiteralTooBig (its tag is at the
  // start), for the error reply.
  const std::string& dropped() const { return m_dropped; }
  // Size of the literal announced with SyncLiteral or LiteralTooBig.
  std::uint64_t literal_size() const { return m_announced; }
  bool literal_nonsync() const { return m_announced_nonsync; }
  void accept_literal();
  // The client will not send the literal (it waits for "+"): forget the command.
  void reject_literal();
  // Drop the current command and anything half-read (after STARTTLS).
  void reset();
  // True while between commands: no partial line, no literal outstanding.
  bool idle() const { return m_mode == Mode::Line && m_buf.empty(); }

 private:
  enum class Mode {
    Line,         // reading a line into m_buf
    Literal,      // copying m_literal_left octets into m_buf
    AwaitAccept,  // SyncLiteral reported; waiting for the owner
    DiscardLine,  // dropping the rest of a line, then report LineTooLong
    SkipLiteral,  // dropping m_literal_left octets of a refused literal, then its command
    SkipCommand,  // dropping lines of a refused command until one ends without a literal
  };
  // Looks at the line just finished at m_buf[m_line_start..]; returns the announced literal.
  bool line_announces_literal(std::string_view line, std::uint64_t& size, bool& nonsync) const;
  // Acts on a finished line; nothing when the command continues with a non-sync literal.
  std::optional<Event> finish_line();
  void drop_command();

  CommandReaderLimits m_limits;
  Mode m_mode = Mode::Line;
  bool m_literals_on = true;
  std::string m_buf;             // the command so far; ends mid-line in Mode::Line
  std::size_t m_line_start = 0;  // where the current line begins in m_buf
  std::uint64_t m_literal_left = 0;
  std::uint64_t m_announced = 0;
  bool m_announced_nonsync = false;
  std::size_t m_literals = 0;  // literals in the current command
  std::string m_skip_line;     // SkipCommand: the tail of the line being dropped (bounded)
  std::string m_dropped;       // see dropped()
};

}  // namespace mailscope::imap
