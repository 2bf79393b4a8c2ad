#include "core/parallel_scheduler.h"

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <queue>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "core/lost_thread.h"

namespace dojobber::core {
namespace {

// The shared state of one parallel run; every member is guarded by mutex_.
class ParallelRun {
 public:
  ParallelRun(const Graph& graph, RunBooks& books, Clock& clock, const AttemptFn& attempt,
              const std::stop_token& stop)
      : graph_(graph), books_(books), clock_(clock), attempt_(attempt), stop_(stop) {
    for (JobId id = 0; id < graph.size(); ++id) {
      if (books.DepsSucceeded(id)) ready_.push(id);
    }
  }

  // Replaces workers that job code ended until every worker has left, on
  // the calling thread, which runs no job code itself while it can start
  // threads (a caller that job code ended could not finish the run). Adds
  // the threads it starts to `threads`.
  void Supervise(std::vector<std::jthread>& threads) {
    std::unique_lock lock(mutex_);
    while (true) {
      supervise_.wait(lock, [this] { return lost_ > 0 || live_ == 0; });
      if (lost_ == 0) return;  // Every worker has left: the run is over.
      --lost_;
      lock.unlock();
      if (!Start(threads).empty()) WorkHere();  // Out of threads: the run ends on this one.
      lock.lock();
    }
  }

  // Starts a worker thread. Returns why not when the system has no thread
  // to spare (ulimit -u, memory), else an empty string.
  std::string Start(std::vector<std::jthread>& threads) {
    std::lock_guard lock(mutex_);  // Counted before it can leave.
    try {
      threads.emplace_back([this] { Work(); });
      ++live_;
      return {};
    } catch (const std::system_error& error) {
      return error.what();
    }
  }

  // The calling thread becomes a worker.
  void WorkHere() {
    {
      std::lock_guard lock(mutex_);
      ++live_;
    }
    Work();
  }

  // One worker: take the best ready job, try it outside the lock, book the
  // outcome; wait when there is nothing to take.
  void Work() {
    std::unique_lock lock(mutex_);
    while (true) {
      if (stop_.stop_requested()) {
        // Start nothing new; the run ends once the running tries have.
        if (running_ == 0) {
          wake_.notify_all();
          Leave();
          return;
        }
        wake_.wait(lock);
        continue;
      }
      ReleaseExpiredTimers();
      if (!ready_.empty()) {
        const JobId id = ready_.top();
        ready_.pop();
        // Pass the baton: one idle worker per job left, each waking the next.
        // Waking them all would make a hundred threads fight for the lock
        // after every try.
        if (!ready_.empty()) wake_.notify_one();
        ++running_;
        books_.BeginTry(id, clock_.Now());
        lock.unlock();
        UnwindGuard lost([&] { Lose(id); });
        const TryEnd outcome = attempt_(id);
        lost.Dismiss();
        lock.lock();
        --running_;
        Book(id, outcome);
        if (stop_.stop_requested() && running_ == 0) wake_.notify_all();
      } else if (running_ == 0 && timers_.empty()) {
        wake_.notify_all();  // Done: let the other workers see it.
        Leave();
        return;
      } else if (!timers_.empty()) {
        clock_.WaitUntil(wake_, lock, timers_.top().first);
      } else {
        wake_.wait(lock);
      }
    }
  }

 private:
  using Timer = std::pair<Clock::TimePoint, JobId>;

  // Jobs that become ready are taken by this worker, which loops, and by the
  // workers it wakes. A new earliest timer wakes one idle worker to wait for
  // it, since the others may be waiting without a deadline.
  void Book(JobId id, TryEnd outcome) {
    const TryVerdict verdict = books_.EndTry(id, outcome);
    if (books_.Succeeded(id)) {
      for (JobId dependent : graph_.dependents(id)) {
        if (books_.DepsSucceeded(dependent)) ready_.push(dependent);
      }
    } else if (!verdict.done) {
      if (timers_.empty() || verdict.retry_at < timers_.top().first) wake_.notify_one();
      timers_.emplace(verdict.retry_at, id);
    }
  }

  // Under the lock: a worker returns from Work().
  void Leave() {
    if (--live_ == 0) supervise_.notify_one();
  }

  // Job code ended this worker's thread during a try of `id` (its stack is
  // unwinding): fail the try as the executor would have, and have the
  // supervisor start a worker in this one's place, so that the run keeps its
  // width and never waits for a try that will not end.
  void Lose(JobId id) {
    std::lock_guard lock(mutex_);
    --running_;
    Book(id, JobStatus::kFailed);
    --live_;
    ++lost_;
    supervise_.notify_one();
    wake_.notify_all();  // The run may be over, or a timer due: let the others look.
  }

  void ReleaseExpiredTimers() {
    if (timers_.empty()) return;
    const Clock::TimePoint now = clock_.Now();
    while (!timers_.empty() && timers_.top().first <= now) {
      ready_.push(timers_.top().second);
      timers_.pop();
    }
  }

  const Graph& graph_;
  RunBooks& books_;
  Clock& clock_;
  const AttemptFn& attempt_;
  const std::stop_token& stop_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::priority_queue<JobId, std::vector<JobId>, std::greater<>> ready_;  // Earliest first.
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  int running_ = 0;
  std::condition_variable supervise_;  // live_ or lost_ changed.
  int live_ = 0;                       // Workers started and not yet left.
  int lost_ = 0;                       // Workers lost to job code, not yet replaced.

 public:
  // Wakes the idle workers when a stop is requested, so they can leave. The
  // lock orders the wake-up after any worker's check of the token.
  void Wake() {
    std::lock_guard lock(mutex_);
    wake_.notify_all();
  }
};

}  // namespace

WorkerCount RunParallel(const Graph& graph, RunBooks& books, Clock& clock, int workers,
                        const AttemptFn& attempt, const std::stop_token& stop) {
  ParallelRun run(graph, books, clock, attempt, stop);
  std::stop_callback wake_on_stop(stop, [&run] { run.Wake(); });
  // More workers than jobs would only sleep.
  const std::size_t wanted =
      std::clamp<std::size_t>(static_cast<std::size_t>(std::max(workers, 1)), 1, graph.size());
  WorkerCount count;
  std::vector<std::jthread> threads;
  threads.reserve(wanted);
  while (threads.size() < wanted && count.shortfall.empty()) {
    count.shortfall = run.Start(threads);  // On failure the run goes on with fewer.
  }
  count.started = std::max<int>(static_cast<int>(threads.size()), 1);
  if (threads.empty()) run.WorkHere();  // Not one thread to spare: this one works.
  run.Supervise(threads);
  return count;
}

}  // namespace dojobber::core
