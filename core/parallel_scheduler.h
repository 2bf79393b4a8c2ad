#ifndef DOJOBBER_CORE_PARALLEL_SCHEDULER_H_
#define DOJOBBER_CORE_PARALLEL_SCHEDULER_H_

#include <stop_token>
#include <string>

#include "core/clock.h"
#include "core/graph.h"
#include "core/run_books.h"
#include "core/serial_scheduler.h"

namespace dojobber::core {

/// Runs the graph with `workers` threads (the `-j N` order):
///
///   a job is ready when all its dependencies have succeeded; a job whose
///   try's verdict (RunBooks::EndTry) is a retry becomes ready again at the
///   verdict's time (a timer: no worker sleeps it out). Idle workers take the
///   ready job earliest in post-order, so with enough work the order stays
///   close to the serial one. The run ends when nothing is running, ready or
///   waiting on a timer.
///
/// Reaches the same final statuses as RunSerial for every job whose outcome
/// depends only on its dependencies. `attempt` is called from several threads
/// at once, never twice at once for the same job. Once `stop` is requested
/// no further try starts; the run ends when the running tries have.
/// How many workers ran: `workers`, but at most one per job; fewer, with
/// the system's reason in `shortfall`, when threads ran out.
struct WorkerCount {
  int started = 0;
  std::string shortfall;
};

/// The calling thread is one of the workers.
WorkerCount RunParallel(const Graph& graph, RunBooks& books, Clock& clock, int workers,
                        const AttemptFn& attempt, const std::stop_token& stop = {});

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_PARALLEL_SCHEDULER_H_
