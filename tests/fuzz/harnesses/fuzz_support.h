#pragma once
// Pieces shared by the fuzz harnesses: a check that aborts with a message (so that libFuzzer and
// the corpus replay both report a broken invariant as a crash with its reason), and the reader
// of the small script language the session harnesses use to turn one input into a session.
//
// Session script: the first byte chooses the server's configuration (each harness documents its
// bits); the remaining bytes are what the client sends. The byte 0x1F (ASCII unit separator)
// starts a two-byte directive:
//   0x1F '|'   end the current chunk: the bytes before it go to the engine in one call, so a
//              script decides how the stream is split into reads (pipelining, a CRLF split
//              across two reads, a command glued to the end of DATA);
//   0x1F 'W'   end the chunk, then let the virtual clock reach the engine's deadline and call
//              on_timeout() (greeting delay, idle timers, autologout);
//   0x1F 'D'   end the chunk, then deliver one more message to the mail store (IMAP and POP3:
//              another session's doing; IMAP is then told with on_store_changed());
//   0x1F 'F'   (IMAP) another session flags every message of the INBOX \Seen and \Deleted;
//   0x1F 'X'   (IMAP) another session removes the first message of the INBOX;
//   0x1F 0x1F  one literal 0x1F byte;
// any other byte after 0x1F ends the chunk too, so that every input means something.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace mailscope::fuzz {

[[noreturn]] inline void check_failed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", file, line, what);
  std::abort();
}

}  // namespace mailscope::fuzz

// Aborts with the condition's text when it is false. Used for invariants the code under test
// documents (a field inside the bytes it came from, a round trip that must agree).
#define FUZZ_CHECK(cond) \
  ((cond) ? static_cast<void>(0) : ::mailscope::fuzz::check_failed(#cond, __FILE__, __LINE__))

namespace mailscope::fuzz {

inline constexpr char kDirective = '\x1f';

enum class StepKind {
  Bytes,      // `bytes` go to the engine (one call, or one call per byte in bytewise mode)
  Directive,  // `directive` names what happens ('W', 'D', 'F', 'X'; others mean nothing)
};

struct Step {
  StepKind kind = StepKind::Bytes;
  std::string bytes;   // for Bytes only; never empty
  char directive = 0;  // for Directive only
};

// Splits `script` (the input after the configuration byte) into steps and hands each to
// `on_step`, in order.
template <typename OnStep>
void for_each_step(std::string_view script, OnStep&& on_step) {
  std::string chunk;
  auto flush = [&] {
    if (!chunk.empty()) on_step(Step{StepKind::Bytes, std::move(chunk)});
    chunk.clear();
  };
  for (std::size_t i = 0; i < script.size(); ++i) {
    if (script[i] != kDirective) {
      chunk += script[i];
      continue;
    }
    if (i + 1 == script.size()) break;  // a directive cut off at the end means nothing
    const char directive = script[++i];
    if (directive == kDirective) {
      chunk += kDirective;
      continue;
    }
    flush();
    if (directive != '|') on_step(Step{StepKind::Directive, {}, directive});
  }
  flush();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Bit `bit` of the configuration byte (the first input byte; 0 when the input is empty).
inline bool option(const std::uint8_t* data, std::size_t size, int bit) {
  return size > 0 && ((data[0] >> bit) & 1) != 0;
}

}  // namespace mailscope::fuzz
