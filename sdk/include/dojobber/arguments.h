#ifndef DOJOBBER_ARGUMENTS_H_
#define DOJOBBER_ARGUMENTS_H_

#include <charconv>
#include <cmath>
#include <cstdint>
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

/// The run's arguments: positional words and `key=value` keyword arguments,
/// both given on the command line (`--arg key=value`, words after `--`).
///
/// Keyword values are strings; the typed getters convert them and throw
/// ArgumentError, naming the key, when a value does not convert. Thrown from a
/// Check or Run, that fails the job with the message.
///
///     int tries = ctx.args().GetInt("pizza_success_try", 3);
///     bool space = ctx.args().GetBool("couch_space", false);
class Arguments {
 public:
  using Keywords = std::map<std::string, std::string, std::less<>>;

  Arguments() = default;
  Arguments(std::vector<std::string> positional, Keywords keywords)
      : positional_(std::move(positional)), keywords_(std::move(keywords)) {}

  /// Words given after `--`, in order.
  const std::vector<std::string>& positional() const { return positional_; }
  /// Every keyword argument, sorted by key.
  const Keywords& keywords() const { return keywords_; }

  /// Whether keyword argument `key` was given.
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

 private:
  const std::string* Find(std::string_view key) const {
    auto it = keywords_.find(key);
    return it == keywords_.end() ? nullptr : &it->second;
  }
  const std::string& Require(std::string_view key) const {
    if (const std::string* value = Find(key)) return *value;
    throw ArgumentError("argument '" + std::string(key) + "' is required (--arg " +
                        std::string(key) + "=VALUE)");
  }
  [[noreturn]] static void Invalid(std::string_view key, std::string_view value,
                                   std::string_view expected) {
    throw ArgumentError("argument '" + std::string(key) + "': \"" + std::string(value) +
                        "\" is not " + std::string(expected));
  }
  static std::int64_t ParseInt(std::string_view key, std::string_view value) {
    std::string_view digits = value;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    std::int64_t result = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), result);
    if (ec == std::errc::result_out_of_range) Invalid(key, value, "an integer in range");
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
      Invalid(key, value, "an integer");
    }
    return result;
  }
  static double ParseDouble(std::string_view key, std::string_view value) {
    std::string_view digits = value;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    double result = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), result);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() ||
        !std::isfinite(result)) {
      Invalid(key, value, "a finite number");
    }
    return result;
  }
  static bool ParseBool(std::string_view key, std::string_view value) {
    std::string lower(value);
    for (char& c : lower) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (lower == "true" || lower == "yes" || lower == "on" || lower == "1") return true;
    if (lower == "false" || lower == "no" || lower == "off" || lower == "0") return false;
    Invalid(key, value, "a boolean (true/false, yes/no, on/off, 1/0)");
  }

  std::vector<std::string> positional_;
  Keywords keywords_;
};

}  // namespace dojobber

#endif  // DOJOBBER_ARGUMENTS_H_
