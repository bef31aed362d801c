#pragma once
// Result<T>: a value or an error, for code paths where failure is expected input (malformed
// bytes, bad scenarios). Exceptions stay reserved for programmer errors.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace mailscope {

// Where and why something could not be parsed or validated.
struct Error {
  std::string what;        // one sentence, no trailing period
  std::string where;       // field name, JSON path or "file:line:col"
  std::size_t offset = 0;  // byte offset into the input, when bytes were parsed

  std::string to_string() const {
    std::string out = where.empty() ? what : where + ": " + what;
    if (offset != 0) out += " (at byte " + std::to_string(offset) + ")";
    return out;
  }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_value(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : m_value(std::move(error)) {}  // NOLINT: implicit by design

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
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(m_value));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<Error>(m_value);
  }

 private:
  std::variant<T, Error> m_value;
};

inline Error make_error(std::string what, std::string where = {}, std::size_t offset = 0) {
  return Error{std::move(what), std::move(where), offset};
}

}  // namespace mailscope
