#ifndef DOJOBBER_CONTEXT_H_
#define DOJOBBER_CONTEXT_H_

#include <optional>
#include <ostream>
#include <stop_token>
#include <string>

#include <nlohmann/json.hpp>

#include <dojobber/arguments.h>
#include <dojobber/command_tracker.h>
#include <dojobber/storage.h>

namespace dojobber {

/// Which of a job's methods is being called.
enum class Phase {
  kCheck,    ///< The first Check of a try.
  kRun,      ///< Run, after a failed Check.
  kRecheck,  ///< Check again, after Run.
  kCleanup,  ///< Cleanup, after the run.
};

/// "check", "run", "recheck" or "cleanup", as in the verbose trace.
inline const char* PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kCheck:
      return "check";
    case Phase::kRun:
      return "run";
    case Phase::kRecheck:
      return "recheck";
    case Phase::kCleanup:
      return "cleanup";
  }
  return "?";
}

/// What the engine gives a job's Check, Run and Cleanup. Owned by the engine;
/// valid only during the call it is passed to.
class Context {
 public:
  virtual ~Context() = default;

  /// This job's name, as registered.
  virtual const std::string& job_name() const = 0;
  /// The run's positional and keyword arguments.
  virtual const Arguments& args() const = 0;

  /// The method being called.
  virtual Phase phase() const = 0;
  /// True in the Check that follows Run.
  bool is_recheck() const { return phase() == Phase::kRecheck; }
  /// True in a dry run (`--no-act`): only Checks are called.
  virtual bool no_act() const = 0;
  /// Which try of this job this is, from 1.
  virtual int try_number() const = 0;

  /// This try's local storage: a JSON object shared by this try's Check, Run,
  /// recheck and Cleanup, and empty again at the next try.
  virtual nlohmann::json& local() = 0;
  /// The run's global storage, shared by all jobs; safe under parallel runs.
  virtual GlobalStorage& global() = 0;

  /// Records this job's result: any JSON value, shown in the JSON report.
  /// The value recorded by the job's last try is the one reported.
  virtual void SetResult(nlohmann::json result) = 0;

  /// A stream for the job's own output. Each line is passed on whole, labelled
  /// with the job's name.
  virtual std::ostream& log() = 0;

  /// Fails the current Check, Run or Cleanup with `message`, without an
  /// exception; return right after calling it. Equivalent to throwing
  /// dojobber::Error(message), but costs nanoseconds instead of the
  /// microseconds an exception takes, for checks that fail often:
  ///
  ///     if (!Converged()) return ctx.Fail("not converged yet");
  ///
  /// If the method then throws anyway, the exception's message wins.
  virtual void Fail(std::string message) = 0;
  /// Like Fail(), but as `throw dojobber::Fatal(message)`: the job fails at
  /// once, with no further tries. Return right after calling it.
  ///
  ///     if (!ValidName(name)) return ctx.FailFatal("bad name: " + name);
  virtual void FailFatal(std::string message) = 0;

  /// In the recheck: the message Run threw in this try, or nothing when Run
  /// returned normally. Empty in every other phase.
  virtual const std::optional<std::string>& run_error() const = 0;

  /// Whether the run has been asked to stop (the first Ctrl-C, SIGTERM or
  /// SIGHUP). A long Run should look now and then and return early (or
  /// throw) when it is true: the run is waiting for it, and after the stop
  /// no further phase of this try starts. Cheap to call; works the same in
  /// a try that runs in its own process (`--executor isolate`, a cluster
  /// node), where it also reads the stop request from the orchestrator.
  virtual bool stop_requested() const = 0;
  /// The same stop as a std::stop_token, for waits that take one
  /// (std::condition_variable_any, std::stop_callback). In a try that runs
  /// in its own process, a stop that has arrived is brought into the token
  /// whenever stop_requested(), stop_token() or a global storage call runs,
  /// so poll stop_requested() there rather than wait on a callback alone.
  virtual std::stop_token stop_token() const = 0;

  /// Where dojobber::RunCommand registers the process groups of the commands
  /// this try starts, so that the engine can end them with the try (see
  /// <dojobber/command.h>). Job code has no other use for it. A Context
  /// without an engine behind it keeps nothing.
  virtual CommandTracker& commands() {
    static UntrackedCommands untracked;
    return untracked;
  }
};

}  // namespace dojobber

#endif  // DOJOBBER_CONTEXT_H_
