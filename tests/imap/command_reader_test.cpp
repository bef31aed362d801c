// Framing commands out of a byte stream: lines, literals, limits, and any chunking.

#include "proto/imap/command_reader.h"

#include <gtest/gtest.h>

namespace mailscope::imap {
namespace {

using Event = CommandReader::Event;

// Feeds everything, accepting every synchronizing literal; returns the events and commands.
struct Framed {
  std::vector<Event> events;
  std::vector<std::string> commands;
};
Framed feed_all(CommandReader& reader, std::string_view input, std::size_t chunk = SIZE_MAX) {
  Framed run;
  while (!input.empty()) {
    std::string_view piece = input.substr(0, chunk);
    input.remove_prefix(piece.size());
    while (!piece.empty()) {
      const auto step = reader.next(piece);
      piece.remove_prefix(step.consumed);
      if (step.event == Event::NeedMore) break;
      run.events.push_back(step.event);
      if (step.event == Event::Command) run.commands.push_back(reader.take());
      if (step.event == Event::SyncLiteral) reader.accept_literal();
    }
  }
  return run;
}

TEST(CommandReader, LinesAndLiterals) {
  const std::string input =
      "a NOOP\r\n"
      "b LOGIN {5}\r\nalice {6+}\r\ns3\r\nt!\r\n"
      "c NOOP\n";  // a bare LF ends a line too
  for (std::size_t chunk : {SIZE_MAX, std::size_t{1}, std::size_t{3}}) {
    CommandReader reader;
    const Framed run = feed_all(reader, input, chunk);
    EXPECT_EQ(run.events, (std::vector<Event>{Event::Command, Event::SyncLiteral, Event::Command,
                                              Event::Command}))
        << chunk;
    EXPECT_EQ(run.commands, (std::vector<std::string>{
                                "a NOOP", "b LOGIN {5}\r\nalice {6+}\r\ns3\r\nt!", "c NOOP"}))
        << chunk;
    EXPECT_TRUE(reader.idle());
  }
}

TEST(CommandReader, LiteralsCanBeSwitchedOff) {
  CommandReader reader;
  reader.set_literals(false);
  const Framed run = feed_all(reader, "weird {5}\r\n");
  EXPECT_EQ(run.commands, (std::vector<std::string>{"weird {5}"}));
}

TEST(CommandReader, LongestLineIsAcceptedOneMoreIsNot) {
  CommandReaderLimits limits;
  limits.line_max = 20;
  CommandReader reader(limits);
  const std::string ok(20, 'x');
  const std::string too_long(21, 'y');
  for (std::size_t chunk : {SIZE_MAX, std::size_t{1}}) {
    const Framed run = feed_all(reader, ok + "\r\n" + too_long + "\r\nz NOOP\r\n", chunk);
    EXPECT_EQ(run.events, (std::vector<Event>{Event::Command, Event::LineTooLong, Event::Command}));
    EXPECT_EQ(run.commands, (std::vector<std::string>{ok, "z NOOP"}));
    EXPECT_EQ(reader.dropped().substr(0, 3), "yyy");
  }
}

TEST(CommandReader, OversizedNonSyncLiteralIsSkippedWithItsCommand) {
  CommandReader reader;  // LITERAL-: at most 4096 octets without waiting
  const std::string body(4097, 'm');
  // The rest of the command announces another non-sync literal; it is skipped as well.
  const std::string input = "t APPEND INBOX {4097+}\r\n" + body + " {3+}\r\nabc\r\nu NOOP\r\n";
  for (std::size_t chunk : {SIZE_MAX, std::size_t{1}}) {
    const Framed run = feed_all(reader, input, chunk);
    EXPECT_EQ(run.events, (std::vector<Event>{Event::LiteralTooBig, Event::Command})) << chunk;
    EXPECT_EQ(run.commands, (std::vector<std::string>{"u NOOP"}));
    EXPECT_EQ(reader.dropped(), "t APPEND INBOX {4097+}");
    EXPECT_TRUE(reader.literal_nonsync());
    EXPECT_EQ(reader.literal_size(), 4097u);
  }
}

TEST(CommandReader, OversizedSyncLiteralDropsTheCommand) {
  CommandReaderLimits limits;
  limits.literal_max = 10;
  CommandReader reader(limits);
  // The client waits for "+" that never comes, and sends the next command.
  const Framed run = feed_all(reader, "t APPEND INBOX {11}\r\nu NOOP\r\n");
  EXPECT_EQ(run.events, (std::vector<Event>{Event::LiteralTooBig, Event::Command}));
  EXPECT_FALSE(reader.literal_nonsync());
  EXPECT_EQ(run.commands, (std::vector<std::string>{"u NOOP"}));
}

TEST(CommandReader, RejectedLiteralForgetsTheCommand) {
  CommandReader reader;
  auto step = reader.next("t LOGIN {3}\r\n");
  EXPECT_EQ(step.event, Event::SyncLiteral);
  reader.reject_literal();
  EXPECT_TRUE(reader.idle());
  step = reader.next("u NOOP\r\n");
  EXPECT_EQ(step.event, Event::Command);
  EXPECT_EQ(reader.take(), "u NOOP");
}

TEST(CommandReader, TooManyLiteralsInOneCommand) {
  CommandReaderLimits limits;
  limits.literals_per_command_max = 2;
  CommandReader reader(limits);
  const Framed run = feed_all(reader, "t X {1+}\r\na {1+}\r\nb {1+}\r\nc\r\nu NOOP\r\n");
  EXPECT_EQ(run.events, (std::vector<Event>{Event::LiteralTooBig, Event::Command}));
  EXPECT_EQ(run.commands, (std::vector<std::string>{"u NOOP"}));
}

}  // namespace
}  // namespace mailscope::imap
