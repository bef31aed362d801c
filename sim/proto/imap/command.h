#pragma once
// IMAP commands as the server reads them (RFC 3501 6 and 9, with LITERAL-/LITERAL+ from
// RFC 7888, UNSELECT (RFC 3691), IDLE (RFC 2177), MOVE (RFC 6851), UID EXPUNGE (RFC 4315) and
// ENABLE (RFC 5161)).
//
// parse_command() takes one whole command as the CommandReader framed it (literals inline as
// "{n}\r\n" followed by n octets, final CRLF removed) and returns a typed Command or an Error
// whose text becomes the BAD reply. The grammar is read by CommandParser, one member function
// per rule of RFC 3501's formal syntax.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "mail/flags.h"
#include "mail/message.h"
#include "proto/imap/sequence_set.h"

namespace mailscope::imap {

enum class Verb {
  Capability,
  Noop,
  Logout,
  StartTls,
  Authenticate,
  Login,
  Enable,
  Select,
  Examine,
  Create,
  Delete,
  Rename,
  Subscribe,
  Unsubscribe,
  List,
  Lsub,
  Status,
  Append,
  Idle,
  Check,
  Close,
  Unselect,
  Expunge,
  Search,
  Fetch,
  Store,
  Copy,
  Move,
  Unknown,
  Count
};
std::string_view to_string(Verb verb);  // "CAPABILITY", ...

enum class FetchItemKind {
  Flags,
  Uid,
  InternalDate,
  Rfc822Size,
  Envelope,
  Body,  // BODY without a section: the non-extensible BODYSTRUCTURE
  BodyStructure,
  BodySection,   // BODY[...] and BODY.PEEK[...]
  Rfc822,        // = BODY[] (sets \Seen)
  Rfc822Header,  // = BODY.PEEK[HEADER]
  Rfc822Text,    // = BODY[TEXT] (sets \Seen)
};

struct FetchItem {
  FetchItemKind kind = FetchItemKind::Flags;
  bool peek = false;         // BODY.PEEK: do not set \Seen
  mail::Section section;     // BodySection
  std::string section_spec;  // the text between the brackets, normalised ("1.2.MIME")
  std::optional<std::uint64_t> partial_origin;  // <origin.count>
  std::uint64_t partial_count = 0;

  // The name this item has in the FETCH response: "BODY[HEADER]<0>", "RFC822.SIZE", ...
  std::string response_name() const;
  // True when fetching the item sets \Seen on a read-write mailbox.
  bool sets_seen() const;
};

// A search key (RFC 3501 6.4.4). And holds a parenthesised group (or the top-level list).
struct SearchKey {
  enum class Kind {
    And,
    All,
    Answered,
    Bcc,
    Before,
    Body,
    Cc,
    Deleted,
    Draft,
    Flagged,
    From,
    Header,
    Keyword,
    Larger,
    New,
    Not,
    Old,
    On,
    Or,
    Recent,
    Seen,
    SentBefore,
    SentOn,
    SentSince,
    Since,
    Smaller,
    Subject,
    Text,
    To,
    Uid,
    Unanswered,
    Undeleted,
    Undraft,
    Unflagged,
    Unkeyword,
    Unseen,
    Sequence,
  };
  Kind kind = Kind::All;
  std::string field;                // Header: the field name
  std::string text;                 // string argument; Keyword/Unkeyword: the keyword
  std::uint64_t number = 0;         // Larger, Smaller
  std::int64_t day = 0;             // date keys: days since 1970-01-01
  SequenceSet set;                  // Uid, Sequence
  std::vector<SearchKey> children;  // And: any number; Not: one; Or: two
};

enum class StatusItem { Messages, Recent, UidNext, UidValidity, Unseen };

struct Command {
  std::string tag;
  Verb verb = Verb::Unknown;
  bool uid = false;  // UID FETCH / STORE / COPY / MOVE / SEARCH / EXPUNGE

  // Astring arguments in order: LOGIN user password; SELECT/CREATE/... mailbox; RENAME from to;
  // LIST/LSUB reference pattern; COPY/MOVE/APPEND/STATUS mailbox; AUTHENTICATE mechanism
  // [initial response]; ENABLE capabilities.
  std::vector<std::string> args;
  SequenceSet set;               // FETCH, STORE, COPY, MOVE, UID EXPUNGE
  std::vector<FetchItem> fetch;  // FETCH, in the order asked
  SearchKey search;              // SEARCH: an And of the keys
  std::string charset;           // SEARCH CHARSET x
  mail::FlagOp store_op = mail::FlagOp::Add;
  bool silent = false;                      // STORE ... .SILENT
  mail::FlagSet flags;                      // STORE, APPEND
  std::vector<std::string> flag_names;      // STORE, APPEND: as written
  std::optional<std::int64_t> append_date;  // APPEND date-time, Unix seconds
  std::string append_message;               // APPEND literal
  std::vector<StatusItem> status_items;
};

// The tag at the start of a command line, if it is a valid tag; "*" otherwise (for BAD replies
// to lines that cannot be parsed).
std::string command_tag(std::string_view text);

Result<Command> parse_command(std::string_view text);

// A parsed date "1-Feb-1994" as days since 1970-01-01.
Result<std::int64_t> parse_imap_date(std::string_view text);
// A parsed date-time "17-Jul-1996 02:44:25 -0700" as Unix seconds.
Result<std::int64_t> parse_imap_date_time(std::string_view text);

}  // namespace mailscope::imap
