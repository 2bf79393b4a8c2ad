#include "cli/validators.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

namespace dojobber::cli {

CLI::Validator WholeNumberAtLeast(long long min) {
  const std::string expected = "a whole number >= " + std::to_string(min);
  return CLI::Validator(
      [min, expected](std::string& text) -> std::string {
        long long value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size() || value < min) {
          return "'" + text + "' is not " + expected;
        }
        if (value > std::numeric_limits<int>::max()) {
          return "'" + text + "' is too large (at most " +
                 std::to_string(std::numeric_limits<int>::max()) + ")";
        }
        return {};
      },
      "INT >= " + std::to_string(min));
}

namespace {

CLI::Validator SecondsAbove(double min, bool inclusive) {
  const std::string expected = std::string("a number of seconds ") + (inclusive ? ">= 0" : "> 0");
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
            value < min || (!inclusive && value == min)) {
          return "'" + text + "' is not " + expected;
        }
        return {};
      },
      inclusive ? "SECONDS >= 0" : "SECONDS > 0");
}

}  // namespace

CLI::Validator FileName() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (text.empty()) return "an empty file name";
        // Not the name itself: error messages are one line.
        if (text.find('\n') != std::string::npos) return "a file name with a newline";
        return {};
      },
      "");
}

CLI::Validator Seconds() { return SecondsAbove(0, true); }

CLI::Validator PositiveSeconds() { return SecondsAbove(0, false); }

}  // namespace dojobber::cli
