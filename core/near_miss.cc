#include "core/near_miss.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace dojobber::core {

std::size_t EditDistance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic-programming table: the swap looks two back.
  std::vector<std::size_t> before(b.size() + 1);
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> NearMiss(std::string_view word,
                                    std::span<const std::string> candidates) {
  // A word that differs only in case (`PROD` for `prod`) is the likeliest
  // typo of all, however many letters differ.
  const auto same_but_case = [word](std::string_view candidate) {
    return candidate.size() == word.size() && candidate != word &&
           std::equal(word.begin(), word.end(), candidate.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) ==
                    std::tolower(static_cast<unsigned char>(y));
           });
  };
  for (const std::string& candidate : candidates) {
    if (same_but_case(candidate)) return candidate;
  }
  const std::size_t limit = word.size() <= 4 ? 1 : word.size() <= 8 ? 2 : 3;
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = EditDistance(word, candidate);
    // As many edits as either has bytes: a different word, not a typo.
    const bool typo = distance < word.size() && distance < candidate.size();
    if (distance > 0 && typo && distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace dojobber::core
