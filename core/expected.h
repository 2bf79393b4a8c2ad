#ifndef DOJOBBER_CORE_EXPECTED_H_
#define DOJOBBER_CORE_EXPECTED_H_

#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace dojobber::core {

/// A failure inside core: one line that says what went wrong, naming the
/// offending thing. Core reports failures as values, never as exceptions.
struct Failure {
  std::string message;
};

/// Either a T or a Failure.
template <class T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}            // NOLINT: implicit by design
  Expected(Failure failure) : state_(std::move(failure)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Failure& failure() const { return std::get<1>(state_); }
  const std::string& message() const { return failure().message; }

 private:
  std::variant<T, Failure> state_;
};

/// Success, or a Failure.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Failure failure) : failure_(std::move(failure)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Failure& failure() const { return failure_; }
  const std::string& message() const { return failure_.message; }

 private:
  Failure failure_;
  bool ok_ = true;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_EXPECTED_H_
