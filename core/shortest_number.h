#ifndef DOJOBBER_CORE_SHORTEST_NUMBER_H_
#define DOJOBBER_CORE_SHORTEST_NUMBER_H_

#include <cstddef>

namespace dojobber::core {

/// The room WriteShortest needs: the longest shortest form of a double
/// (`-2.2250738585072014e-308`, 24 characters) and some spare.
inline constexpr std::size_t kShortestNumberSize = 32;

/// Writes `value` exactly as `std::to_chars(out, out + kShortestNumberSize,
/// value)` does (the shortest form that reads back exactly; fixed or
/// scientific, whichever is shorter, fixed on a tie) and returns the end of
/// what it wrote. `out` has room for kShortestNumberSize characters.
///
/// Fast for the engine's times: a clock duration in seconds is a whole
/// number of nanoseconds divided by 1e9, and below 2^22 s (48 days) such a
/// value's shortest form is those nanoseconds' digits, found with integer
/// arithmetic. Any other value goes to std::to_chars, about ten times slower.
char* WriteShortest(char* out, double value);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_SHORTEST_NUMBER_H_
