#include "core/invoker.h"

#include <cxxabi.h>

#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>

#include <dojobber/error.h>

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

// Inside a catch (...): whether the exception is a forced unwind
// (pthread_exit, cancellation), which must be rethrown. It is a foreign
// exception, so current_exception() cannot hold it. Not caught as
// abi::__forced_unwind&: that binds a reference to the null object the
// runtime hands over for it, which UBSan rightly reports.
bool IsForcedUnwind() { return !std::current_exception(); }

CallOutcome Failed(std::string message, const std::type_info* type) {
  return {false, std::move(message), Demangle(type)};
}

// For an exception with no message of its own: "exception of type 'T'",
// then `detail`.
CallOutcome FailedWithoutMessage(const std::type_info* type, std::string_view detail = "") {
  CallOutcome outcome = Failed("", type);
  outcome.error = "exception of type '" + outcome.error_type + "'";
  outcome.error += detail;
  return outcome;
}

// The outcome for a std::exception a job threw. what() is job code too: it
// may return null or throw, and neither may crash dojobber or escape the
// call, so the message then names the type and what went wrong instead.
CallOutcome FailedWithWhat(const std::exception& e) {
  // what() is noexcept, so a what() that throws ends the process inside
  // itself, unless it was compiled without exception tables (-fno-exceptions,
  // C): then its exception reaches this frame. Called through the noexcept
  // member, the call would lie outside the try below as far as the unwinder
  // knows, and it would call std::terminate here; through a pointer that may
  // throw, the try covers it.
  using What = const char* (std::exception::*)() const;
  const What what = &std::exception::what;
  const char* message = nullptr;
  try {
    message = (e.*what)();
  } catch (...) {
    if (IsForcedUnwind()) throw;  // As in Guarded.
    return FailedWithoutMessage(&typeid(e), " (its what() threw)");
  }
  if (message == nullptr) return FailedWithoutMessage(&typeid(e), " (its what() returned null)");
  return Failed(message, &typeid(e));
}

// Calls `call` and turns whatever it throws into a CallOutcome. Each catch
// clause classifies the exception directly: rethrowing to classify would
// unwind twice, and unwinding is most of what a failing Check costs.
template <class Call>
CallOutcome Guarded(Call&& call) {
  try {
    call();
  } catch (const Fatal& e) {
    CallOutcome outcome = FailedWithWhat(e);
    outcome.fatal = true;
    return outcome;
  } catch (const std::exception& e) {
    return FailedWithWhat(e);
  } catch (const char* message) {
    return Failed(message != nullptr ? message : "null C string thrown", &typeid(const char*));
  } catch (const std::string& message) {
    return Failed(message, &typeid(std::string));
  } catch (...) {
    // pthread_exit or a cancellation: it must go on unwinding, and whoever
    // called into job code books the lost call (see core/lost_thread.h).
    if (IsForcedUnwind()) throw;
    return FailedWithoutMessage(abi::__cxa_current_exception_type());
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
  std::optional<TryContext::FailRequest> failure = ctx.TakeFailure();
  if (outcome.ok && failure) return {false, std::move(failure->message), "", failure->fatal};
  return outcome;
}

CallOutcome CallRegistration(const std::function<void(Registry&)>& register_jobs,
                             Registry& registry) {
  return Guarded([&] { register_jobs(registry); });
}

}  // namespace dojobber::core
