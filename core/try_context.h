#ifndef DOJOBBER_CORE_TRY_CONTEXT_H_
#define DOJOBBER_CORE_TRY_CONTEXT_H_

#include <functional>
#include <optional>
#include <ostream>
#include <stop_token>
#include <string>
#include <utility>

#include <dojobber/context.h>

#include "core/command_groups.h"
#include "core/graph.h"
#include "core/job_log.h"
#include "core/run_observer.h"

namespace dojobber::core {

/// What every try of a run shares.
struct RunEnvironment {
  const Arguments& args;
  GlobalStorage& global;
  RunObserver& observer;
  bool no_act = false;
  /// Requested once the run is asked to stop (Ctrl-C, SIGTERM, SIGHUP).
  std::stop_token stop = {};
  /// Where `stop` is not requested by another thread (a try's own process,
  /// which runs no thread of ours), this looks for a stop request that has
  /// arrived and requests `stop`; called by StopRequested().
  std::function<void()> poll_stop = {};
  /// Where the commands of every try go, when the tries of this environment
  /// all report to one place (a try's own process, which tells its
  /// orchestrator); null: each try keeps its own (TryContext).
  CommandTracker* commands = nullptr;

  bool StopRequested() const {
    if (poll_stop) poll_stop();
    return stop.stop_requested();
  }
};

/// The Context of one try (or one cleanup). Local storage is owned by the
/// caller, so a try's storage can outlive the try for its Cleanup.
class TryContext final : public Context {
 public:
  /// `commands`, when given, tracks the try's commands (the TryControl's of
  /// a try that can be abandoned); else env.commands, else the context's own.
  TryContext(const RunEnvironment& env, JobId job, const std::string& name, int try_number,
             nlohmann::json& local, const std::atomic<bool>* muted = nullptr,
             CommandTracker* commands = nullptr);
  ~TryContext() override;

  const std::string& job_name() const override { return name_; }
  const Arguments& args() const override { return env_.args; }
  Phase phase() const override { return phase_; }
  bool no_act() const override { return env_.no_act; }
  int try_number() const override { return try_number_; }
  nlohmann::json& local() override;
  GlobalStorage& global() override { return env_.global; }
  void SetResult(nlohmann::json result) override { result_ = std::move(result); }
  std::ostream& log() override;
  const std::optional<std::string>& run_error() const override { return run_error_; }
  void Fail(std::string message) override { failure_ = FailRequest{std::move(message), false}; }
  void FailFatal(std::string message) override { failure_ = FailRequest{std::move(message), true}; }
  bool stop_requested() const override { return env_.StopRequested(); }
  std::stop_token stop_token() const override {
    (void)env_.StopRequested();  // Brings a stop that has arrived into the token.
    return env_.stop;
  }

  CommandTracker& commands() override;

  void set_phase(Phase phase) { phase_ = phase; }
  void set_run_error(std::optional<std::string> error) { run_error_ = std::move(error); }
  nlohmann::json& result() { return result_; }
  /// A Fail() or FailFatal() call.
  struct FailRequest {
    std::string message;
    bool fatal = false;
  };
  /// The last Fail() or FailFatal() call since the last take, if any.
  std::optional<FailRequest> TakeFailure() { return std::exchange(failure_, std::nullopt); }

 private:
  const RunEnvironment& env_;
  JobId job_;
  const std::string& name_;
  int try_number_;
  nlohmann::json& local_;
  const std::atomic<bool>* muted_;
  Phase phase_ = Phase::kCheck;
  std::optional<std::string> run_error_;
  std::optional<FailRequest> failure_;
  nlohmann::json result_;
  std::optional<JobLog> log_buffer_;  // Made on first use: most jobs never log.
  std::optional<std::ostream> log_;
  CommandTracker* commands_;
  std::optional<TryCommands> own_commands_;  // Made on first use.
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_TRY_CONTEXT_H_
