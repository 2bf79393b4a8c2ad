#ifndef DOJOBBER_CORE_ROOT_CAUSES_H_
#define DOJOBBER_CORE_ROOT_CAUSES_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/graph.h"

namespace dojobber::core {

struct RunResult;

/// Why each blocked job is blocked: the failed jobs at the root of its
/// blockage, found by following the dependencies that did not succeed down to
/// jobs that were tried and failed. A failed job has none (it is its own
/// cause); so has a job blocked only by the stop of an interrupted run.
///
/// Each job keeps at most kKept of them, the first in run order, and knows
/// whether there are more: that bound keeps the computation linear in the
/// size of the graph (jobs + dependencies) and its memory at most kKept ids
/// per blocked job, where an exact union per job could be quadratic.
class RootCauses {
 public:
  static constexpr std::size_t kKept = 10;

  RootCauses() = default;
  /// One pass over the graph in run order. `result` holds one JobReport per
  /// job of `graph`.
  static RootCauses Compute(const Graph& graph, const RunResult& result);

  /// The root causes of `id` kept, in run order; empty for a job that is not
  /// blocked or when nothing was computed.
  std::span<const JobId> of(JobId id) const {
    if (id + 1 >= begin_.size()) return {};
    return {causes_.data() + begin_[id], causes_.data() + begin_[id + 1]};
  }
  /// Whether `id` has more than kKept root causes (then of(id) lists kKept).
  bool more(JobId id) const { return id < more_.size() && more_[id]; }

 private:
  std::vector<std::uint32_t> begin_;  // CSR over causes_: [begin_[id], begin_[id + 1]).
  std::vector<JobId> causes_;
  std::vector<bool> more_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_ROOT_CAUSES_H_
