#ifndef DOJOBBER_CORE_WORKER_H_
#define DOJOBBER_CORE_WORKER_H_

#include <functional>
#include <string>
#include <string_view>

#include <dojobber/arguments.h>

#include "core/job_registry.h"

namespace dojobber::core {

/// Finds the registration of the job a start message names; null when no
/// such job is registered in this process.
using FindJob = std::function<const JobSpec*(std::string_view name)>;

/// The worker side of the protocol (docs/protocol.md): runs in the process
/// that makes one try or one cleanup for the orchestrator. Reads the start
/// message from `in_fd`, makes the try (TryRunner) or calls the Cleanup,
/// with global storage served live by the orchestrator over the same
/// channel, sends each phase, log line and finally the end message to
/// `out_fd` (the same descriptor as `in_fd` for a socket). Starts no thread.
/// Returns the exit status for the process: 0 once the end was sent, 1 when
/// the channel failed (nothing more can be told to the orchestrator).
/// Job code that ends the calling thread (pthread_exit) fails the try or
/// cleanup with that cause; the process then ends at once, with status 0.
/// `setup_error`, when not empty, is why this process cannot make tries (its
/// plugins did not load): the try or cleanup then fails with it. `where`,
/// when not empty, says where this process runs beyond its pid (a cluster's
/// step and node); it goes to the orchestrator in the hello.
int ServeWorker(int in_fd, int out_fd, const Arguments& args, const FindJob& find,
                std::string_view setup_error = {}, std::string_view where = {});

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_WORKER_H_
