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

CallOutcome Failed(std::string message, const std::type_info* type) {
  return {false, std::move(message), Demangle(type)};
}

// Calls `call` and turns whatever it throws into a CallOutcome. Each catch
// clause classifies the exception directly: rethrowing to classify would
// unwind twice, and unwinding is most of what a failing Check costs.
template <class Call>
CallOutcome Guarded(Call&& call) {
  try {
    call();
  } catch (abi::__forced_unwind&) {
    throw;  // Thread cancellation must unwind; it is not a job failure.
  } catch (const std::exception& e) {
    return Failed(e.what(), &typeid(e));
  } catch (const char* message) {
    return Failed(message != nullptr ? message : "null C string thrown", &typeid(const char*));
  } catch (const std::string& message) {
    return Failed(message, &typeid(std::string));
  } catch (...) {
    const std::type_info* type = abi::__cxa_current_exception_type();
    CallOutcome outcome = Failed("", type);
    outcome.error = "exception of type '" + outcome.error_type + "'";
    return outcome;
  }
  return {};
}

}  // namespace

CallOutcome CreateJob(const JobFactory& factory, std::unique_ptr<Job>& job) {
  CallOutcome outcome = Guarded([&] { job = factory(); });
  if (outcome.ok && !job) return {false, "the job's factory returned no object", ""};
  return outcome;
}

CallOutcome CallPhase(Job& job, Phase phase, TryContext& ctx) {
  CallOutcome outcome = Guarded([&] {
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
  });
  std::optional<std::string> failure = ctx.TakeFailure();
  if (outcome.ok && failure) return {false, std::move(*failure), ""};
  return outcome;
}

CallOutcome CallRegistration(void (*register_jobs)(Registry&), Registry& registry) {
  return Guarded([&] { register_jobs(registry); });
}

}  // namespace dojobber::core
