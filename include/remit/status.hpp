#pragma once
// Result and error types used at every module boundary, and the process
// exit-code table shared by every command.
//
// Contract: functions that can fail on input return Result<T> (or Status);
// exceptions may be used inside a module but never cross a public header.
// All types here are plain values: thread-compatible, not synchronised.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace remit {

// Exit codes of the `remit` executable (README, "Exit codes").
enum class ExitCode : int {
  ok = 0,        // success
  findings = 1,  // the check ran and found problems (plan errors, verify mismatch)
  usage = 2,     // usage or input error (bad flags, unreadable/malformed input, wrong password)
  internal = 3,  // internal error
};

// What went wrong, coarse enough to pick an exit code from.
enum class Errc {
  usage,           // bad arguments
  not_found,       // file or entry does not exist
  io,              // read/write failure
  malformed,       // input is not in the expected format
  unsupported,     // format recognised but not supported
  wrong_password,  // decryption key or password rejected
  refused,         // a safety rule or policy refuses the operation
  too_large,       // input exceeds a stated limit
  findings,        // a check ran and found problems
  internal,        // a bug
};

[[nodiscard]] constexpr ExitCode exit_code_for(Errc e) noexcept {
  switch (e) {
    case Errc::findings:
      return ExitCode::findings;
    case Errc::internal:
      return ExitCode::internal;
    default:
      return ExitCode::usage;
  }
}

struct Error {
  Errc code = Errc::internal;
  std::string message;  // names the file and the problem; never evidence content
};

[[nodiscard]] inline Error make_error(Errc code, std::string message) {
  return Error{code, std::move(message)};
}

// A value or an Error. Access to the wrong alternative is a programmer
// error (asserted), never reachable from input.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : err_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  [[nodiscard]] bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return err_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(err_);
  }

 private:
  Error err_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace remit
