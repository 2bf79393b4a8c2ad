#include "core/root_causes.h"

#include <algorithm>

#include "core/run_result.h"

namespace dojobber::core {
namespace {

// Adds `cause` to `kept`, sorted and without duplicates, holding at most
// kKept + 1 ids (the smallest): enough to tell whether there are more than
// kKept. O(kKept) per call, whatever a job's number of dependencies.
void Keep(std::vector<JobId>& kept, JobId cause) {
  const auto at = std::lower_bound(kept.begin(), kept.end(), cause);
  if (at != kept.end() && *at == cause) return;
  if (kept.size() > RootCauses::kKept) {
    if (at == kept.end()) return;
    kept.pop_back();
  }
  kept.insert(std::lower_bound(kept.begin(), kept.end(), cause), cause);
}

}  // namespace

RootCauses RootCauses::Compute(const Graph& graph, const RunResult& result) {
  RootCauses causes;
  const std::size_t size = graph.size();
  causes.begin_.reserve(size + 1);
  causes.begin_.push_back(0);
  causes.more_.assign(size, false);
  std::vector<JobId> merged;
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
          Keep(merged, dep);
          continue;
        }
        for (JobId cause : causes.of(dep)) Keep(merged, cause);
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
