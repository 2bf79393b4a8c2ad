#include "core/invoker.h"

#include <cxxabi.h>

#include <cstdlib>
#include <exception>
#include <typeinfo>

namespace dojobber::core {
namespace {

std::string Demangle(const std::type_info* type) {
  if (type == nullptr) return "unknown type";
  int status = 0;
  char* readable = abi::__cxa_demangle(type->name(), nullptr, nullptr, &status);
  std::string name = status == 0 && readable != nullptr ? readable : type->name();
  std::free(readable);  // NOLINT: __cxa_demangle allocates with malloc.
  return name;
}

// Must be called from inside a catch block.
CallOutcome CaughtOutcome() {
  CallOutcome outcome;
  outcome.ok = false;
  outcome.error_type = Demangle(abi::__cxa_current_exception_type());
  try {
    throw;
  } catch (const std::exception& e) {
    outcome.error = e.what();
  } catch (const char* message) {
    outcome.error = message != nullptr ? message : "null C string thrown";
  } catch (const std::string& message) {
    outcome.error = message;
  } catch (...) {
    outcome.error = "exception of type '" + outcome.error_type + "'";
  }
  return outcome;
}

}  // namespace

CallOutcome CreateJob(const JobFactory& factory, std::unique_ptr<Job>& job) {
  try {
    job = factory();
  } catch (abi::__forced_unwind&) {
    throw;  // Thread cancellation must unwind; it is not a job failure.
  } catch (...) {
    return CaughtOutcome();
  }
  if (!job) return {false, "the job's factory returned no object", ""};
  return {};
}

CallOutcome CallPhase(Job& job, Phase phase, Context& ctx) {
  try {
    switch (phase) {
      case Phase::kCheck:
      case Phase::kRecheck:
        job.Check(ctx);
        break;
      case Phase::kRun:
        job.Run(ctx);
        break;
      case Phase::kCleanup:
        job.Cleanup(ctx);
        break;
    }
  } catch (abi::__forced_unwind&) {
    throw;  // Thread cancellation must unwind; it is not a job failure.
  } catch (...) {
    return CaughtOutcome();
  }
  return {};
}

CallOutcome CallRegistration(void (*register_jobs)(Registry&), Registry& registry) {
  try {
    register_jobs(registry);
  } catch (abi::__forced_unwind&) {
    throw;
  } catch (...) {
    return CaughtOutcome();
  }
  return {};
}

}  // namespace dojobber::core
