#include "core/process_executor.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include <dojobber/command.h>

#include "core/command_groups.h"
#include "core/phase_progress.h"
#include "core/protocol.h"
#include "core/text_format.h"
#include "core/wire.h"

namespace dojobber::core {
namespace {

using nlohmann::json;
using SteadyTime = std::chrono::steady_clock;

// A line of the job's own output longer than this is passed on in pieces
// rather than held whole.
constexpr std::size_t kMaxOutputLine = 64 * 1024;

Phase ParsePhase(const std::string& name) {
  if (name == "run") return Phase::kRun;
  if (name == "recheck") return Phase::kRecheck;
  if (name == "cleanup") return Phase::kCleanup;
  return Phase::kCheck;
}

// Where a try's process runs, from its hello: what it says of itself
// (`where`, a cluster's step and node), else its pid.
std::string WorkerName(const json& hello) {
  std::string where = msg::Text(hello, msg::kWhere);
  if (!where.empty()) return where;
  const auto pid = hello.find(msg::kPid);
  if (pid != hello.end() && pid->is_number_integer()) {
    return "pid " + std::to_string(pid->get<std::int64_t>());
  }
  return "";
}

JobStatus ParseStatus(const std::string& name) {
  if (name == "ok") return JobStatus::kOk;
  if (name == "changed") return JobStatus::kChanged;
  return JobStatus::kFailed;
}

// Collects one descriptor's bytes into whole lines.
class LineReader {
 public:
  template <class Emit>
  void Feed(std::string_view data, Emit emit) {
    while (!data.empty()) {
      const std::size_t newline = data.find('\n');
      const std::size_t take = newline == std::string_view::npos ? data.size() : newline;
      pending_.append(data.substr(0, take));
      if (newline != std::string_view::npos || pending_.size() >= kMaxOutputLine) {
        emit(pending_);
        pending_.clear();
      }
      data.remove_prefix(newline == std::string_view::npos ? take : take + 1);
    }
  }
  template <class Emit>
  void Finish(Emit emit) {
    if (!pending_.empty()) emit(pending_);
    pending_.clear();
  }

 private:
  std::string pending_;
};

// What one try's or cleanup's process did, as far as the orchestrator saw.
struct SessionEnd {
  std::optional<json> end;      // The end message, if one came.
  std::string cause;            // Otherwise (or when killed), why it ended.
  bool killed = false;          // At its timeout or the end of a stop's grace.
  bool killed_by_stop = false;  // At the end of a stop's grace.
  bool timed_out = false;       // Killed at its time limit.
  PhaseProgress progress;       // The phases it reported.
  std::string worker;           // Where it ran, from its hello: "pid N" or its `where`.
  bool cleanup_owed = false;    // It created its job object.
};

// The orchestrator's side of one process: sends the start message, then
// reads the process's messages and output until it has ended, answering
// global storage requests and enforcing the time limit and the stop.
class Session {
 public:
  struct Limits {
    double timeout_seconds = 0;  // 0: none.
    std::stop_token stop;        // Empty for cleanups: they run after a stop.
    double stop_grace_seconds = 2;
  };

  Session(const RunScope& scope, TryProcess& process, JobId job, int try_number, Limits limits,
          bool relay_phases)
      : scope_(scope),
        process_(process),
        job_(job),
        name_(scope.graph.name(job)),
        try_number_(try_number),
        limits_(std::move(limits)),
        relay_phases_(relay_phases),
        started_(SteadyTime::now()) {
    outputs_.resize(process.outputs.size());
  }

  SessionEnd Run(const json& start) {
    if (Status sent = wire::WriteMessage(process_.channel_out, start); !sent) {
      // The process is gone already; what it said, and how it ended, tells why.
      channel_write_failed_ = true;
    }
    Pump([] { return false; });
    Drain();
    if (!result_.end && result_.cause.empty()) result_.cause = Ended();
    // The process is gone: so must be the commands it started.
    process_.EndCommands(commands_.groups());
    return std::move(result_);
  }

 private:
  // Whether `fd` has data (or its end) right now. The descriptors stay
  // blocking, since messages to the worker, which may be large, are written
  // on the same socket; reads happen only when poll() said there is data.
  static bool Readable(int fd) {
    pollfd ready{fd, POLLIN, 0};
    return ::poll(&ready, 1, 0) > 0 && ready.revents != 0;
  }

  // Reads and handles everything until `done()` or the process has ended.
  void Pump(const std::function<bool()>& done) {
    while (true) {
      HandleBuffered();
      if (done() || exited_) return;
      EnforceLimits();
      std::vector<pollfd> polls;
      polls.push_back({channel_open_ ? process_.channel_in : -1, POLLIN, 0});
      for (std::size_t i = 0; i < process_.outputs.size(); ++i) {
        polls.push_back({outputs_[i].open ? process_.outputs[i] : -1, POLLIN, 0});
      }
      polls.push_back({process_.ended, POLLIN, 0});
      if (::poll(polls.data(), polls.size(), PollMilliseconds()) <= 0) continue;
      // Messages first, as they were read: lines in the channel and lines on
      // stdout then keep the order in which the worker wrote them, as far as
      // one poll can tell.
      if (polls[0].revents != 0 && ReadChannel()) HandleBuffered();
      for (std::size_t i = 0; i < process_.outputs.size(); ++i) {
        if (polls[i + 1].revents != 0) ReadOutput(i);
      }
      if (polls.back().revents != 0) exited_ = true;
    }
  }

  // Handles the whole messages read so far, in order. Stops at the reply
  // that ends an update: what follows it must wait until the storage's
  // lock is released (it may be a request for the storage).
  void HandleBuffered() {
    while (!protocol_broken_ && !(in_update_ && update_reply_)) {
      Expected<std::optional<json>> next = reader_.Next();
      if (!next) return ProtocolError(next.message());
      if (!*next) return;
      Handle(**next);
    }
  }

  // The process has ended: take what is left in the pipes, without waiting
  // for their end, since a process it started may hold them open for ever.
  void Drain() {
    while (channel_open_ && Readable(process_.channel_in) && ReadChannel()) {
    }
    HandleBuffered();
    for (std::size_t i = 0; i < outputs_.size(); ++i) {
      while (outputs_[i].open && Readable(process_.outputs[i]) && ReadOutput(i)) {
      }
      outputs_[i].lines.Finish([&](const std::string& line) { Output(line); });
    }
  }

  // Until the next deadline, but short enough to notice a stop request.
  int PollMilliseconds() const {
    constexpr int kStopCheckMs = 50;
    if (killed_ || limits_.timeout_seconds <= 0) return kStopCheckMs;  // Also: kill again.
    // In doubles: a timeout of 1e308 s must not overflow a cast.
    const double left_ms = (limits_.timeout_seconds - Elapsed()) * 1000.0 + 1;
    return static_cast<int>(std::clamp(left_ms, 0.0, double{kStopCheckMs}));
  }

  double Elapsed() const {
    return std::chrono::duration<double>(SteadyTime::now() - started_).count();
  }

  void EnforceLimits() {
    if (killed_) {
      // Still there: kill again (an implementation may escalate).
      constexpr double kKillAgainSeconds = 5;
      if (SteadyTime::now() - killed_at_ >= std::chrono::duration<double>(kKillAgainSeconds)) {
        process_.Kill();
        killed_at_ = SteadyTime::now();
      }
      return;
    }
    if (limits_.timeout_seconds > 0 && Elapsed() >= limits_.timeout_seconds) {
      Kill("timed out after " + FormatSeconds(limits_.timeout_seconds) + " s");
      result_.timed_out = true;
      return;
    }
    if (!limits_.stop.stop_requested()) return;
    if (!stop_seen_) {
      stop_seen_ = SteadyTime::now();
      if (!channel_write_failed_) {
        (void)wire::WriteMessage(process_.channel_out, {{msg::kType, msg::kStop}});
      }
    }
    if (SteadyTime::now() - *stop_seen_ >=
        std::chrono::duration<double>(limits_.stop_grace_seconds)) {
      Kill("interrupted: killed at the end of the grace period");
      result_.killed_by_stop = true;
    }
  }

  void Kill(std::string cause) {
    process_.Kill();
    killed_ = true;
    killed_at_ = SteadyTime::now();
    result_.killed = true;
    result_.cause = std::move(cause);
  }

  // Reads what the channel has into the reader; returns whether it gave data.
  bool ReadChannel() {
    std::array<char, 65536> buffer{};
    const ssize_t got = ::read(process_.channel_in, buffer.data(), buffer.size());
    if (got < 0) {
      if (errno != EINTR && errno != EAGAIN) channel_open_ = false;
      return false;
    }
    if (got == 0) {
      channel_open_ = false;
      return false;
    }
    reader_.Feed(std::string_view(buffer.data(), static_cast<std::size_t>(got)));
    return true;
  }

  bool ReadOutput(std::size_t i) {
    std::array<char, 65536> buffer{};
    const ssize_t got = ::read(process_.outputs[i], buffer.data(), buffer.size());
    if (got <= 0) {
      if (got == 0 || (errno != EINTR && errno != EAGAIN)) outputs_[i].open = false;
      return false;
    }
    outputs_[i].lines.Feed(std::string_view(buffer.data(), static_cast<std::size_t>(got)),
                           [&](const std::string& line) { Output(line); });
    return true;
  }

  void Output(std::string_view line) {
    if (!process_.TakeOutputLine(line))
      scope_.env.observer.OnJobLog(job_, name_, try_number_, line);
  }

  // A worker that breaks the protocol cannot be trusted with anything more.
  void ProtocolError(const std::string& what) {
    channel_open_ = false;
    protocol_broken_ = true;
    if (!killed_) Kill("the try's process broke the protocol: " + what);
  }

  void Handle(json& message) {
    const std::string type = msg::Text(message, msg::kType);
    if (type == msg::kLog) {
      Output(msg::Text(message, msg::kLine));
    } else if (type == msg::kPhase) {
      const Phase phase = ParsePhase(msg::Text(message, msg::kPhaseName));
      const bool passed = message.value(msg::kPassed, false);
      result_.progress.Reported(phase, passed);
      if (relay_phases_ && scope_.env.observer.wants_phases()) {
        const std::string error = msg::Text(message, msg::kError);
        const std::string error_type = msg::Text(message, msg::kErrorType);
        scope_.env.observer.OnPhase({job_, name_, phase, try_number_, passed, error, error_type});
      }
    } else if (type == msg::kCleanupOwed) {
      result_.cleanup_owed = true;
    } else if (type == msg::kGlobalRead) {
      scope_.env.global.Read([&](const json& all) { Reply({{msg::kValue, all}}); });
    } else if (type == msg::kGlobalGet || type == msg::kGlobalSet || type == msg::kGlobalErase ||
               type == msg::kGlobalAdd) {
      Reply(Keyed(type, message));
    } else if (type == msg::kGlobalUpdate) {
      Update();
    } else if (type == msg::kGlobalCommit || type == msg::kGlobalAbort) {
      if (!in_update_) return ProtocolError("'" + type + "' outside an update");
      update_reply_ = std::move(message);
    } else if (type == msg::kEnd) {
      result_.end = std::move(message);
    } else if (type == msg::kCommand || type == msg::kCommandEnded) {
      const auto group = message.find(msg::kGroup);
      if (group == message.end() || !group->is_number_integer() ||
          group->get<std::int64_t>() <= 1 ||
          group->get<std::int64_t>() > std::numeric_limits<pid_t>::max()) {
        return ProtocolError("'" + type + "' without a process group");
      }
      if (!process_.CommandsAreLocal()) return;
      const auto id = static_cast<pid_t>(group->get<std::int64_t>());
      if (type == msg::kCommand) {
        (void)commands_.Started(id);
      } else {
        commands_.Ended(id);
      }
    } else if (type == msg::kHello) {
      result_.worker = WorkerName(message);
      if (message.value(msg::kVersion, 0) != wire::kVersion) {
        ProtocolError("it speaks protocol version " +
                      std::to_string(message.value(msg::kVersion, 0)) + ", this orchestrator " +
                      std::to_string(wire::kVersion));
      }
    } else {
      ProtocolError("unknown message type '" + type + "'");
    }
  }

  void Reply(json reply) {
    reply[msg::kType] = msg::kGlobal;
    if (!wire::WriteMessage(process_.channel_out, reply)) channel_write_failed_ = true;
  }

  // A keyed global storage call, made here as the job would make it
  // in-process; what it throws goes back as the reply's error.
  json Keyed(const std::string& type, json& message) {
    const std::string key = msg::Text(message, msg::kKey);
    GlobalStorage& global = scope_.env.global;
    try {
      if (type == msg::kGlobalGet) {
        json reply = {{msg::kFound, false}};
        global.Read([&](const json& all) {
          auto it = all.find(key);
          if (it == all.end()) return;
          reply[msg::kFound] = true;
          reply[msg::kValue] = *it;
        });
        return reply;
      }
      if (type == msg::kGlobalSet) {
        global.Set(key, std::move(message[msg::kValue]));
        return json::object();
      }
      if (type == msg::kGlobalErase) return {{msg::kFound, global.Erase(key)}};
      return {{msg::kValue, global.Add(key, message.value(msg::kDelta, std::int64_t{0}))}};
    } catch (const std::exception& error) {
      return {{msg::kError, error.what()}};
    }
  }

  // Holds the storage's lock while the worker works on its copy: until its
  // commit or abort, or its end. A process that ends (or is killed) inside
  // an Update changes nothing.
  void Update() {
    if (in_update_) return ProtocolError("an update inside an update");
    in_update_ = true;
    update_reply_.reset();
    scope_.env.global.Update([&](json& all) {
      Reply({{msg::kValue, all}});
      Pump([&] { return update_reply_.has_value() || !channel_open_ || killed_; });
      if (!update_reply_ || msg::Text(*update_reply_, msg::kType) != msg::kGlobalCommit) return;
      json* value = update_reply_->contains(msg::kValue) ? &(*update_reply_)[msg::kValue] : nullptr;
      if (value != nullptr && value->is_object()) all = std::move(*value);
    });
    in_update_ = false;
    update_reply_.reset();
  }

  std::string Ended() {
    Expected<int> status = process_.WaitStatus();
    if (!status) return status.message();
    return process_.Describe(*status);
  }

  struct OutputStream {
    LineReader lines;
    bool open = true;
  };

  const RunScope& scope_;
  TryProcess& process_;
  const JobId job_;
  const std::string& name_;
  const int try_number_;
  const Limits limits_;
  const bool relay_phases_;
  const SteadyTime::time_point started_;
  std::optional<SteadyTime::time_point> stop_seen_;
  SteadyTime::time_point killed_at_;
  wire::FrameReader reader_;
  std::vector<OutputStream> outputs_;
  bool channel_open_ = true;      // More bytes may come.
  bool protocol_broken_ = false;  // What comes is ignored: the worker broke the protocol.
  bool channel_write_failed_ = false;
  bool exited_ = false;
  bool killed_ = false;
  bool in_update_ = false;
  std::optional<json> update_reply_;
  SessionEnd result_;
  TryCommands commands_;  // The process groups of its commands, while they run.
};

}  // namespace

TryProcess::~TryProcess() {
  std::vector<int> fds = outputs;
  fds.push_back(channel_in);
  if (channel_out != channel_in) fds.push_back(channel_out);
  fds.push_back(ended);
  for (int fd : fds) {
    if (fd >= 0) ::close(fd);
  }
}

std::string TryProcess::Describe(int wait_status) {
  if (WIFSIGNALED(wait_status)) {
    const int sig = WTERMSIG(wait_status);
    const char* abbrev = ::sigabbrev_np(sig);
    return "killed by signal " +
           (abbrev != nullptr ? "SIG" + std::string(abbrev) : std::to_string(sig));
  }
  if (WIFEXITED(wait_status)) {
    const int code = WEXITSTATUS(wait_status);
    // A status of 0 would read as success: say what it means here.
    return "exited with status " + std::to_string(code) +
           (code == 0 ? " before reporting an outcome" : "");
  }
  return "ended without reporting an outcome";
}

ProcessExecutor::ProcessExecutor(std::unique_ptr<Launcher> launcher, Options options)
    : launcher_(std::move(launcher)), options_(options) {}

ProcessExecutor::~ProcessExecutor() = default;

Status ProcessExecutor::Start(const RunScope& scope) {
  started_ = launcher_->Start(scope);
  return started_;
}

TryOutcome ProcessExecutor::RunTry(const RunScope& scope, const TryRequest& request) {
  const std::string& name = scope.graph.name(request.job);
  auto failed = [&](std::string cause, Phase phase) {
    if (scope.env.observer.wants_phases()) {
      scope.env.observer.OnPhase({request.job, name, phase, request.try_number, false, cause, ""});
    }
    return TryOutcome{JobStatus::kFailed, std::move(cause), nullptr};
  };
  if (!started_) return failed(started_.message(), Phase::kCheck);
  auto process = launcher_->Launch(scope, request.job);
  if (!process) return failed(process.message(), Phase::kCheck);

  const json start = {{msg::kType, msg::kStart},
                      {msg::kVersion, wire::kVersion},
                      {msg::kAction, msg::kTryAction},
                      {msg::kJob, name},
                      {msg::kTry, request.try_number},
                      {msg::kNoAct, scope.env.no_act},
                      {msg::kStopRequested, scope.env.stop.stop_requested()}};
  Session session(scope, **process, request.job, request.try_number,
                  {request.timeout_seconds, scope.env.stop, options_.stop_grace_seconds},
                  /*relay_phases=*/true);
  SessionEnd ended = session.Run(start);
  process->reset();  // Closes its descriptors.

  const bool keep = scope.graph.spec(request.job).traits.has_cleanup;
  if (ended.end && !ended.killed) {
    json& end = *ended.end;
    if (keep && end.contains(msg::kLocal)) {
      scope.cleanups.PushRemote(request.job, request.try_number, std::move(end[msg::kLocal]));
    } else if (keep && ended.cleanup_owed) {
      scope.cleanups.PushRemote(request.job, request.try_number, nullptr);
    }
    TryOutcome outcome{ParseStatus(msg::Text(end, msg::kStatus)), std::nullopt,
                       end.value(msg::kResult, json())};
    if (outcome.status == JobStatus::kFailed) {
      outcome.error = msg::Text(end, msg::kError);
      const auto by_check = end.find(msg::kByCheck);
      outcome.failed_by_check =
          by_check != end.end() && by_check->is_boolean() && by_check->get<bool>();
      // A peer's message is not trusted to have a key's type.
      const auto fatal = end.find(msg::kFatal);
      outcome.fatal = fatal != end.end() && fatal->is_boolean() && fatal->get<bool>();
    }
    if (const auto run_error = end.find(msg::kRunError);
        run_error != end.end() && run_error->is_string()) {
      outcome.run_error = run_error->get<std::string>();
    }
    outcome.phases = ended.progress.Phases(false, scope.env.no_act);
    outcome.worker = std::move(ended.worker);
    return outcome;
  }
  // It ended (or was killed) before it could report: the phase it was in
  // fails with the cause.
  if (keep && ended.cleanup_owed)
    scope.cleanups.PushRemote(request.job, request.try_number, nullptr);
  TryOutcome outcome = failed(std::move(ended.cause), ended.progress.InProgress(scope.env.no_act));
  outcome.killed_by_stop = ended.killed_by_stop;
  outcome.timed_out = ended.timed_out;
  outcome.phases = ended.progress.Phases(true, scope.env.no_act);
  outcome.worker = std::move(ended.worker);
  return outcome;
}

CallOutcome ProcessExecutor::RunCleanup(const RunScope& scope, RetainedTry& kept) {
  if (!started_) return {false, started_.message(), ""};
  auto process = launcher_->Launch(scope, kept.job);
  if (!process) return {false, process.message(), ""};
  const json start = {{msg::kType, msg::kStart},     {msg::kVersion, wire::kVersion},
                      {msg::kAction, msg::kCleanup}, {msg::kJob, scope.graph.name(kept.job)},
                      {msg::kTry, kept.try_number},  {msg::kNoAct, scope.env.no_act},
                      {msg::kStopRequested, false},  {msg::kLocal, kept.local}};
  // The cleanup's own trace line comes from the cleanup stack, not the
  // process; cleanups run after a stop too, so only their timeout limits them.
  Session session(scope, **process, kept.job, kept.try_number,
                  {scope.graph.timeout(kept.job), {}, 0}, /*relay_phases=*/false);
  SessionEnd ended = session.Run(start);
  process->reset();
  if (ended.end && !ended.killed) {
    const json& end = *ended.end;
    return {msg::Text(end, msg::kStatus) == "ok", msg::Text(end, msg::kError),
            msg::Text(end, msg::kErrorType)};
  }
  return {false, std::move(ended.cause), ""};
}

}  // namespace dojobber::core
