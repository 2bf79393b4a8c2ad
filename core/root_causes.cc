#include "core/root_causes.h"

#include <algorithm>

#include "core/run_result.h"

namespace dojobber::core {
namespace {

// Merges `from` into `kept`, both sorted and without duplicates, keeping
// the smallest kKept + 1 ids: enough to tell whether there are more than
// kKept. O(kKept) per call, whatever a job's number of dependencies.
void Merge(std::vector<JobId>& kept, std::span<const JobId> from, std::vector<JobId>& scratch) {
  scratch.clear();
  auto a = kept.begin();
  auto b = from.begin();
  while (scratch.size() <= RootCauses::kKept && (a != kept.end() || b != from.end())) {
    if (b == from.end() || (a != kept.end() && *a <= *b)) {
      if (b != from.end() && *b == *a) ++b;
      scratch.push_back(*a++);
    } else {
      scratch.push_back(*b++);
    }
  }
  kept.swap(scratch);
}

}  // namespace

RootCauses RootCauses::Compute(const Graph& graph, const RunResult& result) {
  RootCauses causes;
  const std::size_t size = graph.size();
  causes.begin_.reserve(size + 1);
  causes.begin_.push_back(0);
  causes.more_.assign(size, false);
  std::vector<JobId> merged;
  std::vector<JobId> scratch;
  // Ids are in post-order, so every dependency's list is final before its
  // dependents read it; each edge is looked at once, with at most kKept ids.
  for (JobId id = 0; id < size; ++id) {
    if (result.jobs[id].status == JobStatus::kBlocked) {
      merged.clear();
      bool more = false;
      for (JobId dep : graph.deps(id)) {
        const JobStatus status = result.jobs[dep].status;
        if (Succeeded(status)) continue;
        if (status == JobStatus::kFailed) {
          Merge(merged, std::span<const JobId>(&dep, 1), scratch);
          continue;
        }
        Merge(merged, causes.of(dep), scratch);
        more = more || causes.more(dep);
      }
      // A dependency with more than kKept lists its first kKept: its others
      // come later in run order than those, so the first kKept of the union
      // are exact, and so is whether there are more.
      if (merged.size() > kKept) {
        merged.resize(kKept);
        more = true;
      }
      causes.causes_.insert(causes.causes_.end(), merged.begin(), merged.end());
      causes.more_[id] = more;
    }
    causes.begin_.push_back(static_cast<std::uint32_t>(causes.causes_.size()));
  }
  return causes;
}

}  // namespace dojobber::core
