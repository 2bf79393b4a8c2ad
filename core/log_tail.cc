#include "core/log_tail.h"

#include <utility>

namespace dojobber::core {

void LogTails::Add(JobId job, int try_number, std::string_view line) {
  if (job >= jobs_) return;
  Tail& tail = tails_[job];
  if (tail.ring.size() < kKept) {
    tail.ring.push_back({try_number, std::string(line)});
    return;
  }
  Line& oldest = tail.ring[tail.next];
  oldest.try_number = try_number;
  oldest.text.assign(line);
  tail.next = (tail.next + 1) % kKept;
  ++tail.dropped;
}

std::vector<const LogTails::Line*> LogTails::Lines(JobId job) const {
  std::vector<const Line*> lines;
  const auto found = tails_.find(job);
  if (found == tails_.end()) return lines;
  const Tail& tail = found->second;
  lines.reserve(tail.ring.size());
  for (std::size_t i = 0; i < tail.ring.size(); ++i) {
    lines.push_back(&tail.ring[(tail.next + i) % tail.ring.size()]);
  }
  return lines;
}

std::uint64_t LogTails::dropped(JobId job) const {
  const auto found = tails_.find(job);
  return found == tails_.end() ? 0 : found->second.dropped;
}

}  // namespace dojobber::core
