#ifndef DOJOBBER_CORE_SERIAL_SCHEDULER_H_
#define DOJOBBER_CORE_SERIAL_SCHEDULER_H_

#include <functional>
#include <stop_token>

#include "core/clock.h"
#include "core/graph.h"
#include "core/run_books.h"

namespace dojobber::core {

/// Makes one try of a job and returns its outcome (kOk, kChanged, kFailed;
/// a failure maybe fatal).
using AttemptFn = std::function<TryEnd(JobId id)>;

/// Runs the graph one try at a time, in passes (the `-j 1` order):
///
///   each pass walks the jobs in post-order and, for each job that has not
///   succeeded, whose dependencies have all succeeded and whose last try's
///   verdict (RunBooks::EndTry) was a retry, waits until the verdict's time and
///   makes one try. Another pass follows while some job awaits a retry.
///
/// Failed jobs thus retry round-robin, each pass giving every one of them one
/// more try. A pass only visits jobs that have not finished, so it costs
/// O(jobs left) plus the edges of the jobs that succeed. Once `stop` is
/// requested no further try starts (a retry delay being waited out ends).
///
/// The tries run on a thread of the scheduler's own, never the caller's: a
/// try whose job code ends that thread (pthread_exit) is booked as failed,
/// and a new thread goes on where it stopped (see core/lost_thread.h).
void RunSerial(const Graph& graph, RunBooks& books, Clock& clock, const AttemptFn& attempt,
               const std::stop_token& stop = {});

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_SERIAL_SCHEDULER_H_
