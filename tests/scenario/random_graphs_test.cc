// A randomized property test of docs/semantics.md, "One run", "Parallel runs
// (-j N)" and "Cleanup": random DAGs of scripted jobs, each run with -j 1 and
// with -j 8, must keep the contract and agree with each other.
//
// Every job's behaviour depends only on the job itself (its script and which
// try it is on), so the contract fixes each job's final status, tries and
// error exactly; the test predicts them and checks the engine's invariants
// independently of that prediction as well. Graphs come from a fixed list of
// seeds, so a failure names a seed that reproduces it.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber {
namespace {

using core::JobId;
using core::JobStatus;
using testing::Harness;

constexpr int kMaxTries = 4;
constexpr std::uint32_t kFirstSeed = 1;
constexpr std::uint32_t kSeeds = 30;
constexpr int kWorkers = 8;

// Deterministic on every platform: std::mt19937 is fully specified, the
// standard distributions are not.
class Random {
 public:
  explicit Random(std::uint32_t seed) : engine_(seed) {}
  int Between(int lo, int hi) {
    return lo + static_cast<int>(engine_() % static_cast<std::uint32_t>(hi - lo + 1));
  }
  bool Percent(int percent) { return Between(0, 99) < percent; }

 private:
  std::mt19937 engine_;
};

// How a job's Check and Run behave on try t, when its object was created.
enum class Base {
  kPassAtOnce,         // Check always passes: ok.
  kPassFromTry,        // Check passes from try `from_try` on: ok then.
  kFixedByRun,         // Check fails; from try `from_try` on Run fixes it: changed.
  kRunThrowsButFixes,  // Like kFixedByRun, but Run always throws after fixing.
  kRunonly,            // A RunonlyJob whose Run throws before try `from_try`.
  kNeverHolds,         // Check always fails; Run throws on odd tries.
};
constexpr int kBaseCount = 6;

const char* BaseName(Base base) {
  switch (base) {
    case Base::kPassAtOnce:
      return "pass-at-once";
    case Base::kPassFromTry:
      return "pass-from-try";
    case Base::kFixedByRun:
      return "fixed-by-run";
    case Base::kRunThrowsButFixes:
      return "run-throws-but-fixes";
    case Base::kRunonly:
      return "runonly";
    case Base::kNeverHolds:
      return "never-holds";
  }
  return "?";
}

struct Script {
  Base base = Base::kPassAtOnce;
  int from_try = 1;
  std::uint32_t ctor_throws = 0;  // Bit t: the constructor throws on try t.
  bool use_fail = false;          // Fail through ctx.Fail() rather than by throwing.

  bool CtorThrows(int t) const { return ((ctor_throws >> t) & 1u) != 0; }
  bool FirstCheckPasses(int t) const {
    return base == Base::kPassAtOnce || (base == Base::kPassFromTry && t >= from_try);
  }
  bool RecheckPasses(int t) const { return base != Base::kNeverHolds && t >= from_try; }
};

std::string CtorMessage(const std::string& name, int t) {
  return name + " cannot start on try " + std::to_string(t);
}
std::string CheckMessage(const std::string& name, int t) {
  return name + " does not hold on try " + std::to_string(t);
}
std::string RunMessage(const std::string& name, int t) {
  return name + " run broke on try " + std::to_string(t);
}
constexpr const char* kRunonlyFirstCheck = "Runonly node check intentionally fails first time.";

// One generated job. Dependencies are on earlier jobs only, so there is no
// cycle; they may repeat (a dependency named twice counts once).
struct JobPlan {
  std::string name;
  std::size_t index = 0;
  std::vector<std::size_t> deps;
  std::size_t deps_split = 0;  // Deps() is called twice, at this split.
  std::optional<int> tries;    // Unset: the run's default.
  std::optional<double> retry_delay;
  int limit = 1;  // The tries it gets.
  double delay = 0;
  Script script;
};

struct RandomGraph {
  std::uint32_t seed = 0;
  core::JobDefaults defaults;
  std::vector<JobPlan> jobs;  // The root, "All", last.
};

constexpr double kDelays[] = {0, 0.25, 0.5, 1, 1.5, 2};

double RandomDelay(Random& random) {
  return kDelays[random.Between(0, static_cast<int>(std::size(kDelays)) - 1)];
}

// A script with which a job given `limit` tries first succeeds on a try in
// 1..limit, or (when `doomed`) never within them.
Script RandomScript(Random& random, int limit, bool doomed) {
  Script script;
  script.use_fail = random.Percent(50);
  for (int t = 1; t <= kMaxTries + 1; ++t) {
    if (random.Percent(15)) script.ctor_throws |= 1u << t;
  }
  const int base = random.Between(0, kBaseCount - 2);  // Any but kNeverHolds.
  script.base = static_cast<Base>(base);
  if (doomed) {
    switch (random.Between(0, 2)) {
      case 0:  // Never holds.
        script.base = Base::kNeverHolds;
        break;
      case 1:  // Would hold, but only after its last try.
        if (script.base == Base::kPassAtOnce) script.base = Base::kPassFromTry;
        script.from_try = limit + random.Between(1, 2);
        break;
      default:  // Would hold, but its constructor throws from then on.
        script.from_try = script.base == Base::kPassAtOnce ? 1 : random.Between(1, limit);
        for (int t = script.from_try; t <= limit; ++t) script.ctor_throws |= 1u << t;
        break;
    }
    return script;
  }
  const int success = random.Between(1, limit);
  script.from_try = script.base == Base::kPassAtOnce ? 1 : random.Between(1, success);
  for (int t = script.from_try; t < success; ++t) script.ctor_throws |= 1u << t;
  script.ctor_throws &= ~(1u << success);
  return script;
}

RandomGraph Generate(std::uint32_t seed) {
  Random random(seed);
  RandomGraph graph;
  graph.seed = seed;
  graph.defaults = {random.Between(1, kMaxTries), RandomDelay(random)};
  std::size_t size = 0;
  switch (seed % 5) {
    case 0:
      size = static_cast<std::size_t>(random.Between(1, 3));
      break;
    case 1:
      size = static_cast<std::size_t>(random.Between(4, 30));
      break;
    case 2:
      size = static_cast<std::size_t>(random.Between(31, 120));
      break;
    default:
      size = static_cast<std::size_t>(random.Between(240, 300));
      break;
  }
  constexpr int kDoomedPercent[] = {0, 2, 8, 30};
  // Tiny graphs fail often, so that some runs have no success at all.
  const int doomed_percent = seed % 5 == 0 ? 50 : kDoomedPercent[(seed / 5) % 4];

  std::vector<bool> has_dependent(size, false);
  graph.jobs.resize(size);
  for (std::size_t i = 0; i < size; ++i) {
    JobPlan& job = graph.jobs[i];
    const bool root = i + 1 == size;
    job.index = i;
    job.name = root ? "All" : "J" + std::to_string(i);
    if (root) {
      for (std::size_t d = 0; d < i; ++d) {
        if (!has_dependent[d]) job.deps.push_back(d);
      }
    } else if (i > 0 && random.Percent(80)) {
      const int count = random.Between(1, std::min(static_cast<int>(i), 4));
      for (int k = 0; k < count; ++k) {
        const int earliest = random.Percent(50) ? std::max(0, static_cast<int>(i) - 8) : 0;
        job.deps.push_back(
            static_cast<std::size_t>(random.Between(earliest, static_cast<int>(i) - 1)));
      }
    }
    for (std::size_t d : job.deps) has_dependent[d] = true;
    job.deps_split = static_cast<std::size_t>(random.Between(0, static_cast<int>(job.deps.size())));
    if (random.Percent(75)) job.tries = random.Between(1, kMaxTries);
    if (random.Percent(75)) job.retry_delay = RandomDelay(random);
    job.limit = job.tries.value_or(graph.defaults.tries);
    job.delay = job.retry_delay.value_or(graph.defaults.retry_delay);
    job.script = RandomScript(random, job.limit, random.Percent(doomed_percent));
  }
  return graph;
}

// What the contract says of a job: its status, tries and error.
struct Outcome {
  JobStatus status = JobStatus::kBlocked;
  int tries = 0;
  std::optional<std::string> error;
};

// The outcome of a job whose dependencies all succeeded.
Outcome ExpectTried(const JobPlan& job, bool no_act) {
  const Script& s = job.script;
  const int last = no_act ? 1 : job.limit;
  for (int t = 1; t <= last; ++t) {
    std::string error;
    if (s.CtorThrows(t)) {
      error = "cannot create the job: " + CtorMessage(job.name, t);
    } else if (s.FirstCheckPasses(t)) {
      return {JobStatus::kOk, t, std::nullopt};
    } else if (no_act) {
      error = s.base == Base::kRunonly ? kRunonlyFirstCheck : CheckMessage(job.name, t);
    } else if (s.RecheckPasses(t)) {
      return {JobStatus::kChanged, t, std::nullopt};
    } else {
      error = s.base == Base::kRunonly ? RunMessage(job.name, t) : CheckMessage(job.name, t);
    }
    if (t == last) return {JobStatus::kFailed, t, error};
  }
  return {};
}

std::vector<Outcome> Expect(const RandomGraph& graph, bool no_act) {
  std::vector<Outcome> expected(graph.jobs.size());
  for (const JobPlan& job : graph.jobs) {
    bool deps_succeeded = true;
    for (std::size_t d : job.deps) deps_succeeded = deps_succeeded && Succeeded(expected[d].status);
    if (deps_succeeded) expected[job.index] = ExpectTried(job, no_act);
  }
  return expected;
}

// ---------------------------------------------------------------------------
// The jobs and what they record, thread-safely.

using TryKey = std::pair<std::size_t, int>;  // (job index, try number)

struct JobState {
  std::atomic<int> constructions{0};
  std::atomic<int> runs{0};
  // When each try started; written only by the try's own thread, and tries of
  // one job never overlap.
  std::vector<double> starts;
};

// Everything the jobs of one run record.
class World {
 public:
  World(std::size_t jobs, testing::FakeClock& clock, bool no_act)
      : states_(jobs), clock_(clock), no_act_(no_act) {}

  JobState& state(std::size_t job) { return states_[job]; }
  const JobState& state(std::size_t job) const { return states_[job]; }
  double now() const { return clock_.seconds(); }
  bool no_act() const { return no_act_; }

  void Created(TryKey key) {
    std::lock_guard lock(mutex_);
    created_.push_back(key);
  }
  void CleanedUp(TryKey key) {
    std::lock_guard lock(mutex_);
    cleaned_.push_back(key);
  }
  void Violation(std::string what) {
    std::lock_guard lock(mutex_);
    violations_.push_back(std::move(what));
  }

  // Read once the run is over.
  const std::vector<TryKey>& created() const { return created_; }
  const std::vector<TryKey>& cleaned() const { return cleaned_; }
  const std::vector<std::string>& violations() const { return violations_; }

 private:
  std::vector<JobState> states_;
  testing::FakeClock& clock_;
  const bool no_act_;
  std::mutex mutex_;
  std::vector<TryKey> created_;
  std::vector<TryKey> cleaned_;
  std::vector<std::string> violations_;
};

// What every generated job object does: count its try at construction (the
// constructor may throw, per script), check that the engine agrees on the
// try number and its local storage, and log its Cleanup.
class Tracked {
 public:
  Tracked(const JobPlan& plan, World& world)
      : plan_(plan), world_(world), try_(++world.state(plan.index).constructions) {
    world.state(plan.index).starts.push_back(world.now());
    if (plan.script.CtorThrows(try_)) throw Error(CtorMessage(plan.name, try_));
    world.Created({plan.index, try_});
  }

  const Script& script() const { return plan_.script; }
  const std::string& name() const { return plan_.name; }
  int try_number() const { return try_; }

  void Check(Context& ctx) {
    Verify(ctx, ctx.is_recheck() ? "recheck" : "check");
    if (!ctx.is_recheck()) {
      ctx.local()["try"] = try_;
    } else if (ctx.local().value("try", 0) != try_) {
      world_.Violation(plan_.name + " lost its local storage before the recheck");
    }
  }
  void Run(Context& ctx) {
    Verify(ctx, "run");
    ++world_.state(plan_.index).runs;
    if (ctx.no_act()) world_.Violation(plan_.name + ": Run called in a no-act run");
  }
  void Cleanup(Context& ctx) {
    Verify(ctx, "cleanup");
    // Every try of a Job runs Check first (setting "try"); a RunonlyJob's
    // Check is the library's, so it sets "try" in Run, which no-act skips.
    const bool sets_try = plan_.script.base != Base::kRunonly || !world_.no_act();
    if (ctx.local().value("try", 0) != (sets_try ? try_ : 0)) {
      world_.Violation(plan_.name + " try " + std::to_string(try_) +
                       ": Cleanup got another try's local storage " + ctx.local().dump());
    }
    world_.CleanedUp({plan_.index, ctx.try_number()});
  }
  void Fail(Context& ctx, std::string message) const {
    if (plan_.script.use_fail) return ctx.Fail(std::move(message));
    throw Error(message);
  }

 private:
  void Verify(Context& ctx, const char* phase) {
    if (ctx.try_number() != try_ || ctx.job_name() != plan_.name) {
      world_.Violation(plan_.name + " " + phase + ": object of try " + std::to_string(try_) +
                       " called as " + ctx.job_name() + " try " + std::to_string(ctx.try_number()));
    }
  }

  const JobPlan& plan_;
  World& world_;
  const int try_;
};

class RandomJob final : public Job {
 public:
  RandomJob(const JobPlan& plan, World& world) : tracked_(plan, world) {}

  void Check(Context& ctx) override {
    tracked_.Check(ctx);
    const Script& s = tracked_.script();
    const int t = tracked_.try_number();
    bool holds = false;
    switch (s.base) {
      case Base::kPassAtOnce:
        holds = true;
        break;
      case Base::kPassFromTry:
        holds = t >= s.from_try;
        break;
      case Base::kFixedByRun:
      case Base::kRunThrowsButFixes:
        holds = ctx.is_recheck() && ctx.local().value("fixed", false);
        break;
      case Base::kRunonly:
      case Base::kNeverHolds:
        break;
    }
    if (!holds) tracked_.Fail(ctx, CheckMessage(tracked_.name(), t));
  }

  void Run(Context& ctx) override {
    tracked_.Run(ctx);
    const Script& s = tracked_.script();
    const int t = tracked_.try_number();
    switch (s.base) {
      case Base::kFixedByRun:
        ctx.local()["fixed"] = t >= s.from_try;
        break;
      case Base::kRunThrowsButFixes:
        ctx.local()["fixed"] = t >= s.from_try;
        tracked_.Fail(ctx, RunMessage(tracked_.name(), t));
        break;
      case Base::kNeverHolds:
        if (t % 2 == 1) tracked_.Fail(ctx, RunMessage(tracked_.name(), t));
        break;
      case Base::kPassAtOnce:
      case Base::kPassFromTry:
      case Base::kRunonly:
        break;
    }
  }

  void Cleanup(Context& ctx) override { tracked_.Cleanup(ctx); }

 private:
  Tracked tracked_;
};

class RandomRunonlyJob final : public RunonlyJob {
 public:
  RandomRunonlyJob(const JobPlan& plan, World& world) : tracked_(plan, world) {}

  void Run(Context& ctx) override {
    tracked_.Run(ctx);
    ctx.local()["try"] = tracked_.try_number();
    const int t = tracked_.try_number();
    if (t < tracked_.script().from_try) tracked_.Fail(ctx, RunMessage(tracked_.name(), t));
  }

  void Cleanup(Context& ctx) override { tracked_.Cleanup(ctx); }

 private:
  Tracked tracked_;
};

// ---------------------------------------------------------------------------
// Running and checking.

std::string Describe(const std::optional<std::string>& error) {
  return error ? "\"" + *error + "\"" : "no error";
}

std::string Describe(JobStatus status, int tries) {
  return std::string(core::StatusName(status)) + " after " + std::to_string(tries) + " tries";
}

// One run of a generated graph: its name and each job's outcome.
struct RunRecord {
  std::string label;              // "seed 7, -j 8", for messages.
  std::vector<Outcome> outcomes;  // By generated index.
};

// Runs `graph` and checks everything that concerns this run alone.
RunRecord RunAndCheck(const RandomGraph& graph, int jobs, bool no_act) {
  RunRecord run;
  run.label = "seed " + std::to_string(graph.seed) + ", -j " + std::to_string(jobs) +
              (no_act ? ", no-act" : "");
  const std::size_t size = graph.jobs.size();

  Harness h;
  World world(size, h.clock, no_act);
  h.defaults = graph.defaults;
  for (const JobPlan& plan : graph.jobs) {
    JobBuilder& builder =
        plan.script.base == Base::kRunonly
            ? h.registry.Add(
                  plan.name,
                  [&plan, &world] { return std::make_unique<RandomRunonlyJob>(plan, world); })
            : h.registry.Add(plan.name,
                             [&plan, &world] { return std::make_unique<RandomJob>(plan, world); });
    std::vector<std::string> first;
    std::vector<std::string> second;
    for (std::size_t k = 0; k < plan.deps.size(); ++k) {
      (k < plan.deps_split ? first : second).push_back(graph.jobs[plan.deps[k]].name);
    }
    builder.Deps(std::move(first)).Deps(std::move(second));
    if (plan.tries) builder.Tries(*plan.tries);
    if (plan.retry_delay) builder.RetryDelay(*plan.retry_delay);
  }
  // Jobs the root does not reach are not part of the run, nor are their
  // problems reported.
  auto never = [&world](const char* name) {
    return testing::Hooks{
        [&world, name](Context&) { world.Violation(std::string(name) + " ran"); }, {}, {}};
  };
  h.Add("Orphan", never("Orphan")).Deps({"All", "NoSuchJob"}).Tries(0);
  h.Add("Stray", never("Stray")).Deps({graph.jobs[0].name}).RetryDelay(-1);

  core::RunOptions options;
  options.no_act = no_act;
  options.jobs = jobs;
  const core::RunResult result = h.Run("All", options);
  if (h.failure) {
    ADD_FAILURE() << run.label << ": the graph was refused: " << *h.failure;
    return run;
  }
  const core::Graph& g = *h.graph;
  EXPECT_EQ(g.size(), size) << run.label << ": the graph has the root and all it reaches";
  EXPECT_FALSE(g.Find("Orphan")) << run.label;
  EXPECT_FALSE(g.Find("Stray")) << run.label;
  EXPECT_EQ(world.violations(), std::vector<std::string>{}) << run.label;

  // The engine's report of each generated job.
  std::vector<JobId> id_of(size);
  std::map<std::string, std::size_t> index_of;
  for (const JobPlan& plan : graph.jobs) {
    const std::optional<JobId> id = g.Find(plan.name);
    if (!id) {
      ADD_FAILURE() << run.label << ": " << plan.name << " is not in the graph";
      return run;
    }
    id_of[plan.index] = *id;
    index_of[plan.name] = plan.index;
  }
  if (result.jobs.size() != size) {
    ADD_FAILURE() << run.label << ": " << result.jobs.size() << " job reports for " << size;
    return run;
  }
  for (const JobPlan& plan : graph.jobs) {
    const core::JobReport& report = result.jobs[id_of[plan.index]];
    run.outcomes.push_back({report.status, report.tries, report.error});
  }
  const auto& out = run.outcomes;

  // 1. Blocked exactly when a dependency did not succeed.
  for (const JobPlan& plan : graph.jobs) {
    const JobId id = id_of[plan.index];
    std::optional<std::string> unmet;
    for (JobId dep : g.deps(id)) {
      if (!Succeeded(result.jobs[dep].status)) {
        unmet = g.name(dep) + " (" + core::StatusName(result.jobs[dep].status) + ")";
        break;
      }
    }
    const bool blocked = out[plan.index].status == JobStatus::kBlocked;
    if (blocked != unmet.has_value()) {
      ADD_FAILURE() << run.label << ": " << plan.name << " is "
                    << core::StatusName(out[plan.index].status)
                    << (unmet ? " although its dependency " + *unmet + " did not succeed"
                              : " although all its dependencies succeeded");
      break;
    }
  }

  // 2. Never more tries than the limit; a failed job used them all; a blocked
  //    one none. Each try created exactly one object (constructor included).
  for (const JobPlan& plan : graph.jobs) {
    const Outcome& o = out[plan.index];
    const JobId id = id_of[plan.index];
    const int limit = no_act ? 1 : g.tries(id);
    std::string wrong;
    if (g.tries(id) != plan.limit || g.retry_delay(id) != plan.delay) {
      wrong = "has " + std::to_string(g.tries(id)) + " tries and " +
              std::to_string(g.retry_delay(id)) + " s delay, registered " +
              std::to_string(plan.limit) + " and " + std::to_string(plan.delay);
    } else if (o.tries > limit) {
      wrong = "used " + std::to_string(o.tries) + " tries of " + std::to_string(limit);
    } else if (o.status == JobStatus::kFailed && o.tries != limit) {
      wrong =
          "failed after " + std::to_string(o.tries) + " of its " + std::to_string(limit) + " tries";
    } else if (o.status == JobStatus::kBlocked && o.tries != 0) {
      wrong = "is blocked but used " + std::to_string(o.tries) + " tries";
    } else if (Succeeded(o.status) && o.tries < 1) {
      wrong = "succeeded without a try";
    } else if (world.state(plan.index).constructions != o.tries) {
      wrong = "was constructed " + std::to_string(world.state(plan.index).constructions) +
              " times in " + std::to_string(o.tries) + " tries";
    } else if (Succeeded(o.status) == o.error.has_value() && o.status != JobStatus::kBlocked) {
      wrong = "is " + std::string(core::StatusName(o.status)) + " with " + Describe(o.error);
    }
    if (!wrong.empty()) {
      ADD_FAILURE() << run.label << ": " << plan.name << " " << wrong;
      break;
    }
  }

  // Each job's outcome is the one its script and the contract call for.
  const std::vector<Outcome> expected = Expect(graph, no_act);
  for (const JobPlan& plan : graph.jobs) {
    const Outcome& o = out[plan.index];
    const Outcome& e = expected[plan.index];
    if (o.status != e.status || o.tries != e.tries || o.error != e.error) {
      ADD_FAILURE() << run.label << ": " << plan.name << " (" << BaseName(plan.script.base)
                    << " from try " << plan.script.from_try << ", constructor mask "
                    << plan.script.ctor_throws << ", " << plan.limit << " tries) is "
                    << Describe(o.status, o.tries) << " with " << Describe(o.error) << "; expected "
                    << Describe(e.status, e.tries) << " with " << Describe(e.error);
      break;
    }
  }

  // No Run in a no-act run; the trace shows every try and every Run.
  std::map<std::pair<std::string, Phase>, int> phases;
  for (const auto& event : h.observer.events()) ++phases[{event.name, event.phase}];
  for (const JobPlan& plan : graph.jobs) {
    const int runs = world.state(plan.index).runs;
    const int checks = phases[{plan.name, Phase::kCheck}];
    const int traced_runs = phases[{plan.name, Phase::kRun}];
    if ((no_act && runs != 0) || checks != out[plan.index].tries || traced_runs != runs) {
      ADD_FAILURE() << run.label << ": " << plan.name << " ran " << runs << " times (traced "
                    << traced_runs << ") and traced " << checks << " checks in "
                    << out[plan.index].tries << " tries";
      break;
    }
  }

  // With -j 1 the time between the starts of two tries is at least the delay.
  // (With -j N the fake clock may jump between the scheduler's start of a try
  // and the constructor, so only the scheduler's own times would tell.)
  if (jobs == 1) {
    for (const JobPlan& plan : graph.jobs) {
      const std::vector<double>& starts = world.state(plan.index).starts;
      for (std::size_t t = 1; t < starts.size(); ++t) {
        if (starts[t] - starts[t - 1] < plan.delay - 1e-9) {
          ADD_FAILURE() << run.label << ": " << plan.name << " try " << t + 1 << " started "
                        << starts[t] - starts[t - 1] << " s after try " << t << ", delay "
                        << plan.delay;
          break;
        }
      }
    }
  }

  // 4. Every created try is cleaned up exactly once; with -j 1 newest first.
  std::vector<TryKey> created = world.created();
  std::vector<TryKey> cleaned = world.cleaned();
  if (jobs == 1) {
    const std::vector<TryKey> reversed(created.rbegin(), created.rend());
    EXPECT_TRUE(cleaned == reversed) << run.label << ": cleanups are not the exact reverse of "
                                     << "the " << created.size() << " creations";
  } else {
    // Under -j N: one job's tries unwind newest first, and a job's tries unwind
    // before the successful try of each dependency they waited for.
    std::vector<std::map<int, std::size_t>> position(size);
    for (std::size_t at = 0; at < cleaned.size(); ++at) {
      position[cleaned[at].first][cleaned[at].second] = at;
    }
    std::string wrong;
    for (const JobPlan& plan : graph.jobs) {
      const auto& mine = position[plan.index];
      std::size_t previous = cleaned.size();
      for (const auto& [t, at] : mine) {  // Ascending tries: descending positions.
        if (at > previous) {
          wrong = plan.name + " try " + std::to_string(t) + " was cleaned up after an earlier try";
        }
        previous = at;
      }
      if (mine.empty() || !wrong.empty()) continue;
      const auto& [my_first, my_first_at] = *mine.begin();  // Cleaned up last.
      for (std::size_t d : plan.deps) {
        const auto their_last = position[d].find(out[d].tries);
        if (!Succeeded(out[d].status) || their_last == position[d].end()) continue;
        if (my_first_at > their_last->second) {
          wrong = plan.name + " try " + std::to_string(my_first) + " was cleaned up after " +
                  graph.jobs[d].name + " try " + std::to_string(out[d].tries) +
                  ", the dependency it waited for";
        }
      }
      if (!wrong.empty()) break;
    }
    EXPECT_EQ(wrong, "") << run.label;
  }
  std::sort(created.begin(), created.end());
  std::sort(cleaned.begin(), cleaned.end());
  EXPECT_TRUE(created == cleaned) << run.label << ": " << created.size() << " tries created, "
                                  << cleaned.size() << " cleaned up, not the same ones";
  EXPECT_TRUE(std::adjacent_find(cleaned.begin(), cleaned.end()) == cleaned.end())
      << run.label << ": a try was cleaned up twice";
  if (result.cleanup) {
    EXPECT_TRUE(result.cleanup->ok()) << run.label;
    EXPECT_EQ(result.cleanup->ran, created.size()) << run.label;
    EXPECT_EQ(result.cleanup->pending, 0u) << run.label;
  } else {
    ADD_FAILURE() << run.label << ": the result has no cleanup report";
  }

  // 5. success and partial_success agree with the statuses.
  std::size_t succeeded = 0;
  for (const Outcome& o : out) succeeded += Succeeded(o.status) ? 1u : 0u;
  EXPECT_EQ(result.success, succeeded == size)
      << run.label << ": " << succeeded << " of " << size << " jobs succeeded";
  EXPECT_EQ(result.partial_success, succeeded > 0)
      << run.label << ": " << succeeded << " of " << size << " jobs succeeded";
  return run;
}

// 3. -j 1 and -j N give every job the same status, tries and error.
void ExpectSameOutcomes(const RandomGraph& graph, const RunRecord& serial,
                        const RunRecord& parallel) {
  if (serial.outcomes.size() != graph.jobs.size() ||
      parallel.outcomes.size() != graph.jobs.size()) {
    return;  // Already reported.
  }
  for (const JobPlan& plan : graph.jobs) {
    const Outcome& a = serial.outcomes[plan.index];
    const Outcome& b = parallel.outcomes[plan.index];
    if (a.status != b.status || a.tries != b.tries || a.error != b.error) {
      ADD_FAILURE() << "seed " << graph.seed << ": " << plan.name << " is "
                    << Describe(a.status, a.tries) << " with " << Describe(a.error) << " ("
                    << serial.label << ") but " << Describe(b.status, b.tries) << " with "
                    << Describe(b.error) << " (" << parallel.label << ")";
      return;
    }
  }
}

TEST(RandomGraphsTest, SerialAndParallelRunsKeepTheContractAndAgree) {
  for (std::uint32_t seed = kFirstSeed; seed < kFirstSeed + kSeeds; ++seed) {
    const RandomGraph graph = Generate(seed);
    const RunRecord serial = RunAndCheck(graph, 1, /*no_act=*/false);
    const RunRecord parallel = RunAndCheck(graph, kWorkers, /*no_act=*/false);
    ExpectSameOutcomes(graph, serial, parallel);
  }
}

TEST(RandomGraphsTest, NoActRunsNeverRunAndTryEachJobOnce) {
  for (std::uint32_t seed : {1u, 4u, 8u, 13u, 19u, 24u}) {
    const RandomGraph graph = Generate(seed);
    const RunRecord serial = RunAndCheck(graph, 1, /*no_act=*/true);
    const RunRecord parallel = RunAndCheck(graph, kWorkers, /*no_act=*/true);
    ExpectSameOutcomes(graph, serial, parallel);
  }
}

// The generator is worth something only if it reaches every kind of job and
// outcome; this guards it against a change that quietly narrows it.
TEST(RandomGraphsTest, GeneratedGraphsCoverEveryScriptAndOutcome) {
  std::map<Base, int> bases;
  std::map<JobStatus, int> statuses;
  std::map<int, int> tries_used;
  int constructor_failures = 0;
  int jobs = 0;
  int successes = 0;
  int total_failures = 0;
  std::size_t largest = 0;
  std::size_t smallest = SIZE_MAX;
  for (std::uint32_t seed = kFirstSeed; seed < kFirstSeed + kSeeds; ++seed) {
    const RandomGraph graph = Generate(seed);
    const std::vector<Outcome> expected = Expect(graph, /*no_act=*/false);
    std::size_t succeeded = 0;
    for (const JobPlan& plan : graph.jobs) {
      ++bases[plan.script.base];
      const Outcome& e = expected[plan.index];
      ++statuses[e.status];
      ++tries_used[e.tries];
      for (int t = 1; t <= e.tries; ++t) constructor_failures += plan.script.CtorThrows(t) ? 1 : 0;
      succeeded += Succeeded(e.status) ? 1u : 0u;
    }
    jobs += static_cast<int>(graph.jobs.size());
    successes += succeeded == graph.jobs.size() ? 1 : 0;
    total_failures += succeeded == 0 ? 1 : 0;
    largest = std::max(largest, graph.jobs.size());
    smallest = std::min(smallest, graph.jobs.size());
  }
  EXPECT_EQ(bases.size(), static_cast<std::size_t>(kBaseCount));
  EXPECT_EQ(statuses.size(), 4u);  // ok, changed, failed, blocked.
  for (int t = 0; t <= kMaxTries; ++t) EXPECT_GT(tries_used[t], 0) << t << " tries";
  EXPECT_GT(constructor_failures, 0);
  EXPECT_GT(successes, 0);       // Some runs succeed entirely...
  EXPECT_GT(total_failures, 0);  // ...and in some no job succeeds.
  EXPECT_EQ(smallest, 1u);
  EXPECT_GE(largest, 280u);
  EXPECT_GT(jobs, 3000);
}

}  // namespace
}  // namespace dojobber
