#include "core/shortest_number.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace dojobber::core {
namespace {

// Below 2^22 a double's spacing is 2^-31 s (0.47 ns), under the 1 ns between
// two candidates, so at most one whole number of nanoseconds reads back as
// the value: when one does, its digits are the shortest form (any shorter
// form would be a whole number of nanoseconds too, and read back as well).
constexpr double kFastBelow = 4194304.0;  // 2^22
constexpr double kNanosPerSecond = 1e9;

// Writes the decimal digits of `number` (> 0) ending at `end`; returns
// where they begin.
char* DigitsBefore(char* end, std::uint64_t number) {
  static constexpr char kPairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  while (number >= 100) {
    const auto pair = static_cast<std::size_t>(number % 100) * 2;
    number /= 100;
    end -= 2;
    std::memcpy(end, kPairs + pair, 2);
  }
  if (number >= 10) {
    end -= 2;
    std::memcpy(end, kPairs + number * 2, 2);
  } else {
    *--end = static_cast<char>('0' + number);
  }
  return end;
}

// Writes `digits` x 10^`exponent` (`digits` without trailing zeros) the way
// std::to_chars writes a shortest form: fixed unless scientific is shorter.
char* WriteDecimal(char* out, std::uint64_t digits, int exponent) {
  char buffer[24];
  char* const end = buffer + sizeof buffer;
  const char* first = DigitsBefore(end, digits);
  const int count = static_cast<int>(end - first);
  const int point = count + exponent;  // Digits before the decimal point.
  const int scientific_exponent = point - 1;
  const int magnitude = scientific_exponent < 0 ? -scientific_exponent : scientific_exponent;
  const int fixed_length = exponent >= 0 ? point : point > 0 ? count + 1 : 2 - exponent;
  const int scientific_length = count + (count > 1 ? 1 : 0) + 2 + (magnitude >= 100 ? 3 : 2);
  if (fixed_length <= scientific_length) {
    if (exponent >= 0) {
      std::memcpy(out, first, static_cast<std::size_t>(count));
      std::memset(out + count, '0', static_cast<std::size_t>(exponent));
      return out + point;
    }
    if (point > 0) {
      std::memcpy(out, first, static_cast<std::size_t>(point));
      out[point] = '.';
      std::memcpy(out + point + 1, first + point, static_cast<std::size_t>(count - point));
      return out + count + 1;
    }
    out[0] = '0';
    out[1] = '.';
    std::memset(out + 2, '0', static_cast<std::size_t>(-point));
    std::memcpy(out + 2 - point, first, static_cast<std::size_t>(count));
    return out + fixed_length;
  }
  *out++ = first[0];
  if (count > 1) {
    *out++ = '.';
    std::memcpy(out, first + 1, static_cast<std::size_t>(count - 1));
    out += count - 1;
  }
  *out++ = 'e';
  *out++ = scientific_exponent < 0 ? '-' : '+';
  char exponent_digits[4];
  char* const exponent_end = exponent_digits + sizeof exponent_digits;
  const char* exponent_first = DigitsBefore(exponent_end, static_cast<std::uint64_t>(magnitude));
  if (magnitude < 10) *out++ = '0';
  const auto exponent_count = static_cast<std::size_t>(exponent_end - exponent_first);
  std::memcpy(out, exponent_first, exponent_count);
  return out + exponent_count;
}

}  // namespace

char* WriteShortest(char* out, double value) {
  if (value > 0 && value < kFastBelow) {
    auto nanos = static_cast<std::uint64_t>(value * kNanosPerSecond + 0.5);
    // Reading the digits back is dividing them by 1e9, correctly rounded
    // like this division.
    if (nanos > 0 && static_cast<double>(nanos) / kNanosPerSecond == value) {
      int exponent = -9;
      while (nanos % 10 == 0) {
        nanos /= 10;
        ++exponent;
      }
      return WriteDecimal(out, nanos, exponent);
    }
  } else if (value == 0 && !std::signbit(value)) {
    *out = '0';
    return out + 1;
  }
  return std::to_chars(out, out + kShortestNumberSize, value).ptr;
}

}  // namespace dojobber::core
