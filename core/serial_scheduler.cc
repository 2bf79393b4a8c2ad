#include "core/serial_scheduler.h"

#include <numeric>
#include <vector>

namespace dojobber::core {

void RunSerial(const Graph& graph, Plan& plan, Clock& clock, const AttemptFn& attempt,
               const std::stop_token& stop) {
  std::vector<JobId> open(graph.size());  // Jobs that may still be tried, in post-order.
  std::iota(open.begin(), open.end(), JobId{0});
  while (!open.empty()) {
    bool retry_pending = false;
    std::size_t kept = 0;
    for (std::size_t at = 0; at < open.size(); ++at) {
      const JobId id = open[at];
      // A try starts by reading the job's registration, which in a large
      // graph is a cache miss: fetch the one a few jobs ahead meanwhile.
      constexpr std::size_t kPrefetchDistance = 8;
      if (at + kPrefetchDistance < open.size()) {
        __builtin_prefetch(&graph.spec(open[at + kPrefetchDistance]).factory);
      }
      if (!plan.DepsSucceeded(id)) {  // Blocked in this pass.
        open[kept++] = id;
        continue;
      }
      // A job tried before is here because its verdict was a retry, whose
      // time the plan keeps (NextTryAt), so no copy per job is needed here.
      if (plan.tries_used(id) > 0) clock.SleepUntil(plan.NextTryAt(id), stop);
      if (stop.stop_requested()) return;
      plan.BeginTry(id, clock.Now());
      const TryVerdict verdict = plan.EndTry(id, attempt(id));
      if (!verdict.done) {
        retry_pending = true;
        open[kept++] = id;
      }
    }
    open.resize(kept);
    if (!retry_pending) break;
  }
}

}  // namespace dojobber::core
