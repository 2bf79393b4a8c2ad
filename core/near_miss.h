#ifndef DOJOBBER_CORE_NEAR_MISS_H_
#define DOJOBBER_CORE_NEAR_MISS_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace dojobber::core {

/// The number of single-character insertions, deletions, substitutions and
/// swaps of two neighbours that turn `a` into `b` (optimal string alignment
/// distance), counted in bytes.
std::size_t EditDistance(std::string_view a, std::string_view b);

/// The candidate `word` was most likely a typo of, for "did you mean X?":
/// the first candidate that differs from it only in ASCII case, else the
/// first of the closest candidates, if it is at most 1 edit away for a
/// word of up to 4 bytes, 2 for up to 8, else 3, fewer than the bytes of
/// either (`5` is no typo of `0`), and not `word` itself.
std::optional<std::string> NearMiss(std::string_view word, std::span<const std::string> candidates);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_NEAR_MISS_H_
