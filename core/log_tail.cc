#include "core/log_tail.h"

#include <utility>

namespace dojobber::core {

LogTails::LogTails(const LogTails& other) { *this = other; }

LogTails& LogTails::operator=(const LogTails& other) {
  if (this == &other) return *this;
  tails_.clear();
  tails_.resize(other.tails_.size());
  for (std::size_t i = 0; i < other.tails_.size(); ++i) {
    if (other.tails_[i]) tails_[i] = std::make_unique<Tail>(*other.tails_[i]);
  }
  return *this;
}

void LogTails::Add(JobId job, int try_number, std::string_view line) {
  if (job >= tails_.size()) return;
  std::unique_ptr<Tail>& tail = tails_[job];
  if (!tail) tail = std::make_unique<Tail>();
  if (tail->ring.size() < kKept) {
    tail->ring.push_back({try_number, std::string(line)});
    return;
  }
  Line& oldest = tail->ring[tail->next];
  oldest.try_number = try_number;
  oldest.text.assign(line);
  tail->next = (tail->next + 1) % kKept;
  ++tail->dropped;
}

std::vector<const LogTails::Line*> LogTails::Lines(JobId job) const {
  std::vector<const Line*> lines;
  if (job >= tails_.size() || !tails_[job]) return lines;
  const Tail& tail = *tails_[job];
  lines.reserve(tail.ring.size());
  for (std::size_t i = 0; i < tail.ring.size(); ++i) {
    lines.push_back(&tail.ring[(tail.next + i) % tail.ring.size()]);
  }
  return lines;
}

std::uint64_t LogTails::dropped(JobId job) const {
  return job < tails_.size() && tails_[job] ? tails_[job]->dropped : 0;
}

}  // namespace dojobber::core
