#pragma once
// StoreResult<T>: a value or a StoreError. The store's failures carry a code as well as a
// sentence, so an IMAP or POP3 server can pick its reply ([TRYCREATE], [OVERQUOTA], [INUSE], ...)
// without reading the text.

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "core/result.h"

namespace mailscope::mail {

enum class StoreErrorCode {
  NoSuchUser,
  NoSuchMailbox,  // IMAP: [NONEXISTENT], or [TRYCREATE] for APPEND/COPY targets
  AlreadyExists,  // [ALREADYEXISTS]
  InvalidName,    // a mailbox or user name that fails validation ("../other/INBOX")
  HasChildren,    // DELETE of a mailbox that has inferiors
  CannotDelete,   // DELETE INBOX
  OverQuota,      // [OVERQUOTA]
  TooLarge,       // a message over the store's size limit
  LimitReached,   // a count limit (mailboxes, messages, sessions, UIDs) was reached
  Locked,         // the POP3 maildrop is already locked ([IN-USE] in POP3)
  NoSuchMessage,  // a UID that is not in the mailbox
  InvalidFlag,    // \Recent or an unknown system flag, or a malformed keyword
  ReadOnly,       // a change through a session that selected the mailbox read-only (EXAMINE)
};
std::string_view to_string(StoreErrorCode code);

struct StoreError {
  StoreErrorCode code = StoreErrorCode::NoSuchMailbox;
  std::string what;

  Error to_error() const { return Error{what, std::string(to_string(code)), 0}; }
};

inline StoreError store_error(StoreErrorCode code, std::string what) {
  return StoreError{code, std::move(what)};
}

// The value type for operations that return nothing but success.
struct Done {};

template <typename T>
class [[nodiscard]] StoreResult {
 public:
  StoreResult(T value) : m_value(std::move(value)) {}           // NOLINT: implicit by design
  StoreResult(StoreError error) : m_value(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(m_value); }
  explicit operator bool() const { return ok(); }
  T& value() & {
    assert(ok());
    return std::get<T>(m_value);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(m_value);
  }
  // By value, so that `for (auto& x : *store.list(...))` keeps the list alive.
  T value() && {
    assert(ok());
    return std::get<T>(std::move(m_value));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T operator*() && { return std::move(*this).value(); }
  const StoreError& error() const {
    assert(!ok());
    return std::get<StoreError>(m_value);
  }
  StoreErrorCode code() const { return error().code; }

 private:
  std::variant<T, StoreError> m_value;
};

}  // namespace mailscope::mail
