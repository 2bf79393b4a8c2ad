#include "cli/validators.h"

#include <charconv>
#include <cmath>
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
        return {};
      },
      "INT >= " + std::to_string(min));
}

CLI::Validator Seconds() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
            value < 0) {
          return "'" + text + "' is not a number of seconds >= 0";
        }
        return {};
      },
      "SECONDS >= 0");
}

}  // namespace dojobber::cli
