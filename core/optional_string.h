#ifndef DOJOBBER_CORE_OPTIONAL_STRING_H_
#define DOJOBBER_CORE_OPTIONAL_STRING_H_

#include <concepts>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace dojobber::core {

/// A std::optional<std::string> in one pointer: 8 bytes where the optional
/// takes 40. Every job's report holds two (its last try's error and what its
/// Run threw) for the whole run, and nearly every job of a million-job run
/// has neither: these 64 bytes a job are most of what the report keeps.
///
/// Absent is a null pointer; present is a string of its own on the heap,
/// copied with its holder. It offers the part of std::optional's interface
/// that reports use, with the same meaning, and converts to a
/// std::optional<std::string> (a copy) for code that keeps one. Unlike an
/// optional, a moved-from OptionalString is absent.
class OptionalString {
 public:
  OptionalString() noexcept = default;
  // Implicit, as std::optional's are: `report.error = "disk full"`.
  OptionalString(std::nullopt_t) noexcept {}  // NOLINT
  OptionalString(std::string text)            // NOLINT
      : text_(std::make_unique<std::string>(std::move(text))) {}
  OptionalString(const char* text) : OptionalString(std::string(text)) {}  // NOLINT
  OptionalString(std::optional<std::string> text) {                        // NOLINT
    if (text) text_ = std::make_unique<std::string>(std::move(*text));
  }

  OptionalString(const OptionalString& other)
      : text_(other.text_ ? std::make_unique<std::string>(*other.text_) : nullptr) {}
  OptionalString(OptionalString&& other) noexcept = default;
  OptionalString& operator=(const OptionalString& other) {
    // Copied before the old one goes: safe on itself.
    text_ = other.text_ ? std::make_unique<std::string>(*other.text_) : nullptr;
    return *this;
  }
  OptionalString& operator=(OptionalString&& other) noexcept = default;
  ~OptionalString() = default;

  bool has_value() const noexcept { return text_ != nullptr; }
  explicit operator bool() const noexcept { return has_value(); }
  /// The text; only when has_value(), as with std::optional.
  const std::string& operator*() const noexcept { return *text_; }
  std::string& operator*() noexcept { return *text_; }
  const std::string* operator->() const noexcept { return text_.get(); }
  std::string* operator->() noexcept { return text_.get(); }
  /// The text, or `fallback` when absent.
  std::string value_or(std::string_view fallback) const {
    return text_ ? *text_ : std::string(fallback);
  }
  void reset() noexcept { text_.reset(); }

  /// A copy as a std::optional, for code (and tests) that keep one.
  operator std::optional<std::string>() const {  // NOLINT: implicit by design
    return text_ ? std::optional<std::string>(*text_) : std::nullopt;
  }

  /// Equal as two std::optional<std::string> are: both absent, or both
  /// present with the same text.
  friend bool operator==(const OptionalString& a, const OptionalString& b) noexcept {
    return a.text_ && b.text_ ? *a.text_ == *b.text_ : a.text_ == b.text_;
  }
  /// Likewise with a std::optional. Without this, `optional == OptionalString`
  /// would pick std::optional's comparison with a value, which reads an
  /// absent OptionalString as unequal to an absent optional.
  friend bool operator==(const OptionalString& a, const std::optional<std::string>& b) noexcept {
    return a.text_ && b ? *a.text_ == *b : !a.text_ && !b;
  }
  friend bool operator==(const OptionalString& a, std::nullopt_t) noexcept { return !a.text_; }
  /// Present with this text (a literal, std::string or std::string_view),
  /// as `optional == value` is. A template so that a literal picks this
  /// over converting itself to an OptionalString or a std::optional.
  template <class Text>
  requires std::convertible_to<const Text&, std::string_view>
  friend bool operator==(const OptionalString& a, const Text& text) noexcept {
    return a.text_ && *a.text_ == std::string_view(text);
  }

 private:
  std::unique_ptr<std::string> text_;  ///< Null when absent.
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_OPTIONAL_STRING_H_
