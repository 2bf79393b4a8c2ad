#include "core/isolated_tries.h"

#include <optional>
#include <string>
#include <utility>

#include "core/child_process.h"
#include "core/global_storage.h"
#include "core/invoker.h"
#include "core/phase_progress.h"

namespace dojobber::core {
namespace {

// The changes from `before` to `after`, top-level key by key.
nlohmann::json Changes(const nlohmann::json& before, const nlohmann::json& after) {
  nlohmann::json set = nlohmann::json::object();
  nlohmann::json erase = nlohmann::json::array();
  for (const auto& [key, value] : after.items()) {
    auto old = before.find(key);
    if (old == before.end() || *old != value) set[key] = value;
  }
  for (const auto& [key, value] : before.items()) {
    if (!after.contains(key)) erase.push_back(key);
  }
  return {{"set", std::move(set)}, {"erase", std::move(erase)}};
}

void Apply(GlobalStorage& global, const nlohmann::json& changes) {
  if (!changes.is_object()) return;
  const nlohmann::json set = changes.value("set", nlohmann::json::object());
  const nlohmann::json erase = changes.value("erase", nlohmann::json::array());
  if (set.empty() && erase.empty()) return;
  global.Update([&](nlohmann::json& all) {
    for (const auto& [key, value] : set.items()) all[key] = value;
    for (const auto& key : erase) {
      if (key.is_string()) all.erase(key.get<std::string>());
    }
  });
}

std::string Text(const nlohmann::json& message, const char* key) {
  auto it = message.find(key);
  return it != message.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// In the child: passes the try's trace and log lines to the parent.
class ChannelObserver final : public RunObserver {
 public:
  explicit ChannelObserver(int channel) : channel_(channel) {}
  void OnPhase(const PhaseEvent& event) override {
    SendToParent(channel_, {{"t", "phase"},
                            {"p", PhaseName(event.phase)},
                            {"ok", event.passed},
                            {"e", event.error},
                            {"et", event.error_type}});
  }
  void OnCleanupOwed(JobId, int) override { SendToParent(channel_, {{"t", "owed"}}); }
  void OnJobLog(JobId, std::string_view, std::string_view line) override {
    SendToParent(channel_, {{"t", "log"}, {"l", line}});
  }

 private:
  int channel_;
};

// In the parent: relays what a child sends to the run's observer.
class Relay final : public ChildListener {
 public:
  Relay(const RunEnvironment& env, JobId id, const std::string& name, bool relay_phases)
      : env_(env), id_(id), name_(name), relay_phases_(relay_phases) {}

  void OnMessage(const nlohmann::json& message) override {
    const std::string type = Text(message, "t");
    if (type == "log") {
      env_.observer.OnJobLog(id_, name_, Text(message, "l"));
    } else if (type == "phase") {
      const Phase phase = ParsePhase(Text(message, "p"));
      const bool passed = message.value("ok", false);
      progress_.Reported(phase, passed);
      if (relay_phases_ && env_.observer.wants_phases()) {
        const std::string error = Text(message, "e");
        const std::string type_name = Text(message, "et");
        env_.observer.OnPhase({id_, name_, phase, try_number_, passed, error, type_name});
      }
    } else if (type == "owed") {
      cleanup_owed_ = true;
    } else if (type == "end") {
      end_ = message;
    }
  }
  void OnOutputLine(std::string_view line) override { env_.observer.OnJobLog(id_, name_, line); }

  void set_try_number(int try_number) { try_number_ = try_number; }
  const std::optional<nlohmann::json>& end() const { return end_; }
  // Whether the child created the job object, which then needs a Cleanup.
  bool cleanup_owed() const { return cleanup_owed_; }
  // What the child had done when it died without an outcome.
  const PhaseProgress& progress() const { return progress_; }

 private:
  static Phase ParsePhase(const std::string& name) {
    if (name == "run") return Phase::kRun;
    if (name == "recheck") return Phase::kRecheck;
    if (name == "cleanup") return Phase::kCleanup;
    return Phase::kCheck;
  }

  const RunEnvironment& env_;
  JobId id_;
  const std::string& name_;
  bool relay_phases_;
  int try_number_ = 0;
  bool cleanup_owed_ = false;
  PhaseProgress progress_;
  std::optional<nlohmann::json> end_;
};

JobStatus ParseStatus(const std::string& name) {
  if (name == "ok") return JobStatus::kOk;
  if (name == "changed") return JobStatus::kChanged;
  return JobStatus::kFailed;
}

}  // namespace

TryOutcome IsolatedTries::Run(JobId id, int try_number, double timeout_seconds) {
  const std::string& name = graph_.name(id);
  const nlohmann::json before = env_.global.Snapshot();
  auto child_main = [&](int channel) {
    LockedGlobalStorage global(before);
    ChannelObserver observer(channel);
    const RunEnvironment env{env_.args, global, observer, env_.no_act};
    CleanupStack kept;
    const TryOutcome outcome = TryRunner(graph_, env, working_directory_, kept).Run(id, try_number);
    nlohmann::json end = {{"t", "end"},
                          {"status", StatusName(outcome.status)},
                          {"error", outcome.error ? nlohmann::json(*outcome.error) : nullptr},
                          {"result", outcome.result},
                          {"global", Changes(before, global.Snapshot())}};
    if (kept.size() > 0) end["local"] = kept.Top().local;
    SendToParent(channel, end);
  };
  Relay relay(env_, id, name, /*relay_phases=*/true);
  relay.set_try_number(try_number);
  const ChildEnd ended =
      RunInChild(child_main, {timeout_seconds, stop_, stop_grace_seconds_}, relay);

  const bool keep = graph_.spec(id).traits.has_cleanup;
  if (const auto& end = relay.end(); end && !ended.timed_out && !ended.stopped) {
    Apply(env_.global, end->value("global", nlohmann::json()));
    if (keep && end->contains("local")) cleanups_.PushRemote(id, try_number, (*end)["local"]);
    TryOutcome outcome{ParseStatus(Text(*end, "status")), std::nullopt,
                       end->value("result", nlohmann::json())};
    if (outcome.status == JobStatus::kFailed) outcome.error = Text(*end, "error");
    return outcome;
  }
  // The child died (or was killed) before it could report: the phase it was
  // in fails with the cause.
  const std::string cause = ended.Describe(timeout_seconds);
  if (env_.observer.wants_phases()) {
    env_.observer.OnPhase(
        {id, name, relay.progress().InProgress(env_.no_act), try_number, false, cause, ""});
  }
  if (keep && relay.cleanup_owed()) cleanups_.PushRemote(id, try_number, nullptr);
  return {JobStatus::kFailed, cause, nullptr};
}

CallOutcome IsolatedTries::Cleanup(const RetainedTry& kept) {
  const std::string& name = graph_.name(kept.job);
  const nlohmann::json before = env_.global.Snapshot();
  auto child_main = [&](int channel) {
    LockedGlobalStorage global(before);
    ChannelObserver observer(channel);
    const RunEnvironment env{env_.args, global, observer, env_.no_act};
    std::unique_ptr<Job> job;
    CallOutcome outcome = CreateJob(graph_.spec(kept.job).factory, job);
    if (outcome.ok) {
      nlohmann::json local = kept.local;
      TryContext ctx(env, kept.job, name, kept.try_number, local);
      ctx.set_phase(Phase::kCleanup);
      outcome = CallPhase(*job, Phase::kCleanup, ctx);
    }
    SendToParent(channel, {{"t", "end"},
                           {"ok", outcome.ok},
                           {"e", outcome.error},
                           {"et", outcome.error_type},
                           {"global", Changes(before, global.Snapshot())}});
  };
  // The cleanup's own trace line comes from the cleanup stack, not the child.
  Relay relay(env_, kept.job, name, /*relay_phases=*/false);
  const double timeout = graph_.timeout(kept.job);
  // Cleanups run after a stop too: only their timeout limits them.
  const ChildEnd ended = RunInChild(child_main, {timeout, {}, 0}, relay);
  if (const auto& end = relay.end(); end && !ended.timed_out && !ended.stopped) {
    Apply(env_.global, end->value("global", nlohmann::json()));
    return {end->value("ok", false), Text(*end, "e"), Text(*end, "et")};
  }
  return {false, ended.Describe(timeout), ""};
}

}  // namespace dojobber::core
