#ifndef DOJOBBER_ARGUMENTS_H_
#define DOJOBBER_ARGUMENTS_H_

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <dojobber/error.h>

namespace dojobber {

namespace core {
class JobRegistry;
}  // namespace core

namespace internal {
// Text-to-value conversions, shared by the typed getters below and by the
// engine's check of declared parameters, so both accept exactly the same
// text. Each returns null when `value` converts (into `out`), else what the
// value should have been ("an integer"), for the message.

// `value` without one leading `+` (from_chars takes only `-`); "" for `+-3`
// or `++3`, so that a sign after `+` is refused, not read.
inline std::string_view WithoutPlus(std::string_view value) {
  if (value.empty() || value.front() != '+') return value;
  value.remove_prefix(1);
  return !value.empty() && (value.front() == '-' || value.front() == '+') ? std::string_view()
                                                                          : value;
}

inline const char* ParseInt(std::string_view value, std::int64_t& out) {
  const std::string_view digits = WithoutPlus(value);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  if (ec == std::errc::result_out_of_range) return "an integer in range";
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
    return "an integer";
  }
  return nullptr;
}

inline const char* ParseDouble(std::string_view value, double& out) {
  const std::string_view digits = WithoutPlus(value);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  const bool whole = end == digits.data() + digits.size() && !digits.empty();
  if (ec == std::errc::result_out_of_range && whole &&
      std::fabs(std::strtod(std::string(digits).c_str(), nullptr)) < 1) {
    return "a number in range (too close to 0)";  // 1e-999: underflows a double.
  }
  if (ec != std::errc() || !whole || !std::isfinite(out)) {
    return "a finite number";
  }
  return nullptr;
}

inline const char* ParseBool(std::string_view value, bool& out) {
  std::string lower(value);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (lower == "true" || lower == "yes" || lower == "on" || lower == "1") {
    out = true;
    return nullptr;
  }
  if (lower == "false" || lower == "no" || lower == "off" || lower == "0") {
    out = false;
    return nullptr;
  }
  return "a boolean (true/false, yes/no, on/off, 1/0)";
}

/// `value` cut at each `separator` (an empty one cuts nothing), each item without the
/// spaces, tabs and line ends around it. A value that is empty or only
/// blanks is the empty list; empty items in between are kept ("a,,b" has
/// three), so a stray separator is seen rather than skipped.
inline std::vector<std::string> SplitList(std::string_view value, std::string_view separator) {
  constexpr std::string_view kBlank = " \t\r\n";
  auto trim = [&](std::string_view text) {
    const std::size_t first = text.find_first_not_of(kBlank);
    if (first == std::string_view::npos) return std::string_view();
    return text.substr(first, text.find_last_not_of(kBlank) - first + 1);
  };
  std::vector<std::string> items;
  if (trim(value).empty()) return items;
  if (separator.empty()) return {std::string(trim(value))};
  for (std::size_t start = 0;;) {
    const std::size_t end = value.find(separator, start);
    items.emplace_back(trim(value.substr(start, end - start)));
    if (end == std::string_view::npos) break;
    start = end + separator.size();
  }
  return items;
}

}  // namespace internal

/// The run's arguments: positional words and `key=value` keyword arguments,
/// both given on the command line (`--arg key=value`, words after `--`),
/// plus the defaults of the parameters the plugins declare (registry.h) for
/// keys that were not given.
///
/// Keyword values are strings; the typed getters convert them and throw
/// ArgumentError, naming the key, when a value does not convert. Thrown from a
/// Check or Run, that fails the job with the message. For a declared
/// parameter the value was checked before any job ran, so its getter does
/// not throw.
///
///     int tries = ctx.args().GetInt("pizza_success_try", 3);
///     bool space = ctx.args().GetBool("couch_space", false);
///     std::vector<std::string> friends = ctx.args().GetList("friends");
class Arguments {
 public:
  using Keywords = std::map<std::string, std::string, std::less<>>;
  /// Key -> the separator of a declared list parameter.
  using ListSeparators = std::map<std::string, std::string, std::less<>>;

  Arguments() = default;
  Arguments(std::vector<std::string> positional, Keywords keywords,
            ListSeparators list_separators = {})
      : positional_(std::move(positional)),
        keywords_(std::move(keywords)),
        list_separators_(std::move(list_separators)) {}

  /// Words given after `--`, in order.
  const std::vector<std::string>& positional() const { return positional_; }
  /// Every keyword argument, sorted by key: those given, and the defaults of
  /// declared parameters that were not.
  const Keywords& keywords() const { return keywords_; }
  /// The separators of the declared list parameters, by key.
  const ListSeparators& list_separators() const { return list_separators_; }

  /// Whether keyword argument `key` has a value (given, or a declared default).
  bool Has(std::string_view key) const { return keywords_.find(key) != keywords_.end(); }

  /// The value of `key`; throws ArgumentError when it was not given.
  const std::string& GetString(std::string_view key) const { return Require(key); }
  /// The value of `key`, or `fallback` when it was not given.
  std::string GetString(std::string_view key, std::string_view fallback) const {
    const std::string* value = Find(key);
    return value ? *value : std::string(fallback);
  }

  /// A whole decimal number (an optional sign, then digits).
  std::int64_t GetInt(std::string_view key) const { return ParseInt(key, Require(key)); }
  std::int64_t GetInt(std::string_view key, std::int64_t fallback) const {
    const std::string* value = Find(key);
    return value ? ParseInt(key, *value) : fallback;
  }

  /// A finite floating point number such as `0.5`, `2` or `1e-3`.
  double GetDouble(std::string_view key) const { return ParseDouble(key, Require(key)); }
  double GetDouble(std::string_view key, double fallback) const {
    const std::string* value = Find(key);
    return value ? ParseDouble(key, *value) : fallback;
  }

  /// One of true/false, yes/no, on/off, 1/0 (any letter case).
  bool GetBool(std::string_view key) const { return ParseBool(key, Require(key)); }
  bool GetBool(std::string_view key, bool fallback) const {
    const std::string* value = Find(key);
    return value ? ParseBool(key, *value) : fallback;
  }

  /// The items of `key`'s value, cut at its declared separator (`,` for a
  /// key not declared as a list), each without the blanks around it; an
  /// empty or blank value is the empty list, and empty items between two
  /// separators are kept: `a, b,,c` is {"a", "b", "", "c"}.
  std::vector<std::string> GetList(std::string_view key) const {
    return internal::SplitList(Require(key), SeparatorOf(key));
  }
  std::vector<std::string> GetList(std::string_view key, std::vector<std::string> fallback) const {
    const std::string* value = Find(key);
    return value ? internal::SplitList(*value, SeparatorOf(key)) : std::move(fallback);
  }

 private:
  // Adds the defaults of declared parameters in place: rebuilding the value
  // for each declaration would make declaring N parameters cost N^2.
  friend class core::JobRegistry;

  const std::string* Find(std::string_view key) const {
    auto it = keywords_.find(key);
    return it == keywords_.end() ? nullptr : &it->second;
  }
  const std::string& Require(std::string_view key) const {
    if (const std::string* value = Find(key)) return *value;
    throw ArgumentError("argument '" + std::string(key) + "' is required (--arg " +
                        std::string(key) + "=VALUE)");
  }
  std::string_view SeparatorOf(std::string_view key) const {
    auto it = list_separators_.find(key);
    return it == list_separators_.end() ? std::string_view(",") : std::string_view(it->second);
  }
  [[noreturn]] static void Invalid(std::string_view key, std::string_view value,
                                   std::string_view expected) {
    throw ArgumentError("argument '" + std::string(key) + "': \"" + std::string(value) +
                        "\" is not " + std::string(expected));
  }
  static std::int64_t ParseInt(std::string_view key, std::string_view value) {
    std::int64_t result = 0;
    if (const char* expected = internal::ParseInt(value, result)) Invalid(key, value, expected);
    return result;
  }
  static double ParseDouble(std::string_view key, std::string_view value) {
    double result = 0;
    if (const char* expected = internal::ParseDouble(value, result)) Invalid(key, value, expected);
    return result;
  }
  static bool ParseBool(std::string_view key, std::string_view value) {
    bool result = false;
    if (const char* expected = internal::ParseBool(value, result)) Invalid(key, value, expected);
    return result;
  }

  std::vector<std::string> positional_;
  Keywords keywords_;
  ListSeparators list_separators_;
};

}  // namespace dojobber

#endif  // DOJOBBER_ARGUMENTS_H_
