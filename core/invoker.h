#ifndef DOJOBBER_CORE_INVOKER_H_
#define DOJOBBER_CORE_INVOKER_H_

#include <functional>
#include <memory>
#include <string>

#include <dojobber/context.h>
#include <dojobber/job.h>
#include <dojobber/registry.h>

#include "core/try_context.h"

namespace dojobber::core {

/// How one call into job code ended. The message and type are copied into our
/// own strings at once: nothing thrown by a plugin outlives the call.
struct CallOutcome {
  bool ok = true;
  std::string error;       ///< what(), or a generic message for other types.
  std::string error_type;  ///< The exception's demangled type.
  /// The call failed with dojobber::Fatal (or ctx.FailFatal()): the job
  /// must not be tried again.
  bool fatal = false;
};

// The only place that calls into job code. Every exception type is caught.

/// Creates a job object with `factory`.
CallOutcome CreateJob(const JobFactory& factory, std::unique_ptr<Job>& job);
/// Calls the method of `job` that `phase` names. A method that returns
/// after ctx.Fail() fails with that message.
CallOutcome CallPhase(Job& job, Phase phase, TryContext& ctx);
/// Calls a plugin's registration function.
CallOutcome CallRegistration(const std::function<void(Registry&)>& register_jobs,
                             Registry& registry);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_INVOKER_H_
