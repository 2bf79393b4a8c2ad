#include "cli/validators.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "core/clock.h"
#include "core/text_format.h"

namespace dojobber::cli {

CLI::Validator WholeNumberAtLeast(long long min) {
  const std::string expected = "a whole number >= " + std::to_string(min);
  const std::string too_large =
      "is too large (at most " + std::to_string(std::numeric_limits<int>::max()) + ")";
  return CLI::Validator(
      [min, expected, too_large](std::string& text) -> std::string {
        long long value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        const bool whole = end == text.data() + text.size();
        // Digits beyond a long long: too large, not malformed.
        if (ec == std::errc::result_out_of_range && whole && text[0] != '-') {
          return "'" + text + "' " + too_large;
        }
        if (ec != std::errc() || !whole || value < min) return "'" + text + "' is not " + expected;
        if (value > std::numeric_limits<int>::max()) return "'" + text + "' " + too_large;
        return {};
      },
      "INT >= " + std::to_string(min));
}

namespace {

CLI::Validator SecondsAbove(double min, bool inclusive) {
  const std::string expected = std::string("a number of seconds ") + (inclusive ? ">= 0" : "> 0");
  const std::string too_large =
      "is too long (at most " + core::FormatSeconds(core::kLongestSeconds) + " s, a century)";
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        const bool whole = end == text.data() + text.size();
        if (ec == std::errc::result_out_of_range && whole && text[0] != '-') {
          // 1e999 is beyond a double; 1e-400 is too close to 0 for one.
          if (std::fabs(std::strtod(text.c_str(), nullptr)) < 1) {
            return "'" + text + "' is not " + expected + " (too close to 0)";
          }
          return "'" + text + "' " + too_large;
        }
        if (ec != std::errc() || !whole || !std::isfinite(value) || value < min ||
            (!inclusive && value == min)) {
          return "'" + text + "' is not " + expected;
        }
        if (value > core::kLongestSeconds) return "'" + text + "' " + too_large;
        return {};
      },
      inclusive ? "SECONDS >= 0" : "SECONDS > 0");
}

// A finite number in [min, max]; `expected` names the range in messages.
CLI::Validator NumberIn(double min, double max, const std::string& expected,
                        const std::string& type_name) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
            value < min || value > max) {
          return "'" + text + "' is not " + expected;
        }
        return {};
      },
      type_name);
}

}  // namespace

CLI::Validator BackoffFactor() {
  return NumberIn(1, std::numeric_limits<double>::max(), "a finite factor >= 1", "FACTOR >= 1");
}

CLI::Validator Fraction() { return NumberIn(0, 1, "a fraction from 0 to 1", "0..1"); }

CLI::Validator FileName() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (text.empty()) return "an empty file name";
        // Legal in a path, but always a slip, and the file would be hard to
        // name again in a shell.
        if (core::HasControlCharacter(text)) {
          return "'" + text + "' is a file name with a control character";
        }
        return {};
      },
      "");
}

CLI::Validator Word() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (text.empty()) return "an empty value";
        if (core::HasControlCharacter(text)) return "'" + text + "' has a control character";
        return {};
      },
      "");
}

CLI::Validator Seconds() { return SecondsAbove(0, true); }

CLI::Validator PositiveSeconds() { return SecondsAbove(0, false); }

}  // namespace dojobber::cli
