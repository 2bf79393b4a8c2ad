#include "core/serial_scheduler.h"

#include <cstddef>
#include <numeric>
#include <vector>

#include "core/lost_thread.h"

namespace dojobber::core {
namespace {

// The passes of one serial run. Its state lives here rather than on the
// stack of the thread that makes the tries, so that a new thread can go on
// where a lost one stopped.
class SerialRun {
 public:
  SerialRun(const Graph& graph, RunBooks& books, Clock& clock, const AttemptFn& attempt,
            const std::stop_token& stop)
      : graph_(graph),
        books_(books),
        clock_(clock),
        attempt_(attempt),
        stop_(stop),
        open_(graph.size()) {
    std::iota(open_.begin(), open_.end(), JobId{0});
  }

  // Makes passes until no job is left to try or a stop is requested.
  void Passes() {
    while (!open_.empty()) {
      for (; at_ < open_.size(); ++at_) {
        const JobId id = open_[at_];
        // A try starts by reading the job's registration, which in a large
        // graph is a cache miss: fetch the one a few jobs ahead meanwhile.
        constexpr std::size_t kPrefetchDistance = 8;
        if (at_ + kPrefetchDistance < open_.size()) {
          __builtin_prefetch(&graph_.spec(open_[at_ + kPrefetchDistance]).factory);
        }
        if (!books_.DepsSucceeded(id)) {  // Blocked in this pass.
          open_[kept_++] = id;
          continue;
        }
        // A job tried before is here because its verdict was a retry, whose
        // time the books keep (NextTryAt), so no copy per job is needed here.
        if (books_.tries_used(id) > 0) clock_.SleepUntil(books_.NextTryAt(id), stop_);
        if (stop_.stop_requested()) return;
        books_.BeginTry(id, clock_.Now());
        // Job code that ends this thread fails the try; the next thread
        // starts with the job after it.
        UnwindGuard lost([&] {
          Keep(id, books_.EndTry(id, JobStatus::kFailed));
          ++at_;
        });
        const TryEnd outcome = attempt_(id);
        lost.Dismiss();
        Keep(id, books_.EndTry(id, outcome));
      }
      open_.resize(kept_);
      at_ = 0;
      kept_ = 0;
      if (!retry_pending_) return;
      retry_pending_ = false;
    }
  }

 private:
  void Keep(JobId id, const TryVerdict& verdict) {
    if (verdict.done) return;
    retry_pending_ = true;
    open_[kept_++] = id;
  }

  const Graph& graph_;
  RunBooks& books_;
  Clock& clock_;
  const AttemptFn& attempt_;
  const std::stop_token& stop_;
  std::vector<JobId> open_;  // Jobs that may still be tried, in post-order.
  std::size_t at_ = 0;       // The next job of this pass.
  std::size_t kept_ = 0;     // open_[0, kept_) stay open for the next pass.
  bool retry_pending_ = false;
};

}  // namespace

void RunSerial(const Graph& graph, RunBooks& books, Clock& clock, const AttemptFn& attempt,
               const std::stop_token& stop) {
  SerialRun run(graph, books, clock, attempt, stop);
  while (!RunOnSpareThread([&run] { run.Passes(); })) {
    // A try's job code ended the thread; the try is booked: go on.
  }
}

}  // namespace dojobber::core
