#include "core/try_runner.h"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/global_storage.h"
#include "core/in_process_executor.h"
#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::CheckThat;
using testing::Fails;
using testing::Harness;
using testing::Hooks;
using Lines = std::vector<std::string>;

// Makes single tries of the harness's jobs, outside any scheduler.
class TryRunnerTest : public ::testing::Test {
 protected:
  TryOutcome Try(std::string_view name, int try_number = 1, bool no_act = false) {
    if (!graph_) {
      auto built = h_.Build(std::nullopt);
      if (!built.ok()) {
        ADD_FAILURE() << built.message();
        return {};
      }
      graph_.emplace(std::move(built.value()));
    }
    env_.no_act = no_act;
    TryRunner runner(env_, working_directory_, cleanups_);
    const JobId id = *graph_->Find(name);
    return runner.Run(id, graph_->spec(id), try_number);
  }
  Lines Trace() const { return h_.observer.lines(); }

  Harness h_{Arguments({"word"}, {{"key", "value"}})};
  std::optional<Graph> graph_;
  LockedGlobalStorage global_;
  RunEnvironment env_{h_.registry.args(), global_, h_.observer, false};
  WorkingDirectory working_directory_;
  CleanupStack cleanups_;
};

TEST_F(TryRunnerTest, PassingCheckIsOkWithoutRun) {
  bool ran = false;
  h_.Add("Job", {{}, [&](Context&) { ran = true; }, {}});
  TryOutcome outcome = Try("Job");
  EXPECT_EQ(outcome.status, JobStatus::kOk);
  EXPECT_FALSE(outcome.error);
  EXPECT_FALSE(outcome.failed_by_check);
  EXPECT_FALSE(ran);
  EXPECT_EQ(Trace(), (Lines{"Job.check: pass"}));
}

TEST_F(TryRunnerTest, FailingCheckRunsThenRechecks) {
  h_.Add("Job", {CheckThat([](Context& c) { return c.local().contains("fixed"); }),
                 [](Context& c) { c.local()["fixed"] = true; },
                 {}});
  TryOutcome outcome = Try("Job");
  EXPECT_EQ(outcome.status, JobStatus::kChanged);
  EXPECT_FALSE(outcome.error);
  EXPECT_EQ(Trace(), (Lines{"Job.check: fail", "Job.run: pass", "Job.recheck: pass"}));
}

TEST_F(TryRunnerTest, FailingRecheckFailsWithTheRechecksError) {
  h_.Add("Job", {[](Context& c) { throw Error(std::string(PhaseName(c.phase())) + " says no"); },
                 [](Context&) { throw Error("run broke"); },
                 {}});
  TryOutcome outcome = Try("Job");
  EXPECT_EQ(outcome.status, JobStatus::kFailed);
  EXPECT_EQ(outcome.error, "recheck says no");
  EXPECT_TRUE(outcome.failed_by_check) << "the recheck's own verdict";
  EXPECT_EQ(Trace(),
            (Lines{"Job.check: fail", "Job.run: fail", "Job.recheck: fail \"recheck says no\""}));
}

TEST_F(TryRunnerTest, RunsErrorDoesNotDecideTheOutcome) {
  int checks = 0;
  h_.Add("Job", {[&](Context&) {
                   if (++checks == 1) throw Error("first");
                 },
                 [](Context&) { throw Error("run broke"); },
                 {}});
  TryOutcome outcome = Try("Job");
  EXPECT_EQ(outcome.status, JobStatus::kChanged);
  EXPECT_EQ(outcome.phases.check, PhaseResult::kFailed);
  EXPECT_EQ(outcome.phases.run, PhaseResult::kFailed);
  EXPECT_EQ(outcome.phases.recheck, PhaseResult::kPassed);
}

TEST_F(TryRunnerTest, APhaseNotReachedHasNoOutcome) {
  h_.Add("Passes");
  h_.Add("FatalCheck", {[](Context&) { throw dojobber::Fatal("never"); }, {}, {}});
  const TryOutcome passes = Try("Passes");
  EXPECT_EQ(passes.phases.check, PhaseResult::kPassed);
  EXPECT_EQ(passes.phases.run, PhaseResult::kNotReached);
  EXPECT_EQ(passes.phases.recheck, PhaseResult::kNotReached);
  const TryOutcome fatal = Try("FatalCheck");
  EXPECT_EQ(fatal.phases.check, PhaseResult::kFailed);
  EXPECT_EQ(fatal.phases.run, PhaseResult::kNotReached);
}

TEST_F(TryRunnerTest, NoActNeverRuns) {
  bool ran = false;
  h_.Add("Job", {Fails("absent"), [&](Context&) { ran = true; }, {}});
  TryOutcome outcome = Try("Job", 1, /*no_act=*/true);
  EXPECT_EQ(outcome.status, JobStatus::kFailed);
  EXPECT_EQ(outcome.error, "absent");
  EXPECT_TRUE(outcome.failed_by_check) << "the Check's own verdict";
  EXPECT_FALSE(ran);
  EXPECT_EQ(Trace(), (Lines{"Job.check: fail"}));
  EXPECT_EQ(outcome.phases.check, PhaseResult::kFailed);
  EXPECT_EQ(outcome.phases.run, PhaseResult::kNotReached);
  EXPECT_EQ(outcome.phases.recheck, PhaseResult::kNotReached);
}

TEST_F(TryRunnerTest, ThrowingConstructorFailsLikeACheck) {
  h_.registry.Add("Job", []() -> std::unique_ptr<Job> { throw std::runtime_error("no config"); });
  TryOutcome outcome = Try("Job", 2);
  EXPECT_EQ(outcome.status, JobStatus::kFailed);
  EXPECT_EQ(outcome.error, "cannot create the job: no config");
  EXPECT_FALSE(outcome.failed_by_check) << "no Check was called";
  EXPECT_EQ(outcome.phases.check, PhaseResult::kFailed) << "as the trace says";
  EXPECT_EQ(Trace(), (Lines{"Job.check: fail"}));
  const auto event = h_.observer.events().at(0);
  EXPECT_EQ(event.phase, Phase::kCheck);
  EXPECT_EQ(event.try_number, 2);
  EXPECT_EQ(event.error, "cannot create the job: no config");
  EXPECT_EQ(event.error_type, "std::runtime_error");
  EXPECT_EQ(cleanups_.size(), 0u);
}

TEST_F(TryRunnerTest, ContextDescribesTheTry) {
  std::vector<std::string> seen;
  h_.Add("Job", {[&](Context& c) {
                   seen.push_back(c.job_name() + " " + PhaseName(c.phase()) + " try " +
                                  std::to_string(c.try_number()) + " " + c.args().GetString("key") +
                                  " " + c.args().positional().at(0) +
                                  (c.is_recheck() ? " recheck" : "") +
                                  (c.no_act() ? " no-act" : ""));
                   if (!c.is_recheck()) throw Error("again");
                 },
                 [&](Context& c) { seen.push_back(std::string("in ") + PhaseName(c.phase())); },
                 {}});
  (void)Try("Job", 3);
  EXPECT_EQ(seen, (Lines{"Job check try 3 value word", "in run",
                         "Job recheck try 3 value word recheck"}));
}

TEST_F(TryRunnerTest, RunErrorIsVisibleOnlyInTheRecheck) {
  std::vector<std::optional<std::string>> errors;
  h_.Add("Job", {[&](Context& c) {
                   errors.push_back(c.run_error());
                   if (!c.is_recheck()) throw Error("first");
                 },
                 [&](Context& c) {
                   errors.push_back(c.run_error());
                   throw Error("run broke");
                 },
                 {}});
  (void)Try("Job");
  EXPECT_EQ(errors, (std::vector<std::optional<std::string>>{std::nullopt, std::nullopt,
                                                             std::string("run broke")}));
}

TEST_F(TryRunnerTest, RunThatReturnsLeavesNoRunError) {
  std::optional<std::string> in_recheck = "unset";
  h_.Add("Job", {[&](Context& c) {
                   if (!c.is_recheck()) throw Error("first");
                   in_recheck = c.run_error();
                 },
                 {},
                 {}});
  (void)Try("Job");
  EXPECT_EQ(in_recheck, std::nullopt);
}

TEST_F(TryRunnerTest, LocalStorageIsSharedWithinATry) {
  std::string seen;
  h_.Add("Job", {[&](Context& c) {
                   if (!c.is_recheck()) {
                     c.local()["from"] = "check";
                     throw Error("first");
                   }
                   seen = c.local().dump();
                 },
                 [](Context& c) { c.local()["run"] = c.local()["from"]; },
                 {}});
  (void)Try("Job");
  EXPECT_EQ(seen, R"({"from":"check","run":"check"})");
}

TEST_F(TryRunnerTest, ResultIsWhatTheTryRecorded) {
  h_.Add("Job", {[](Context& c) {
                   c.SetResult("from " + std::string(PhaseName(c.phase())));
                   if (!c.is_recheck()) throw Error("first");
                 },
                 {},
                 {}});
  h_.Add("Failing", {[](Context& c) {
                       c.SetResult(nlohmann::json{{"n", 1}});
                       throw Error("no");
                     },
                     {},
                     {}});
  EXPECT_EQ(Try("Job").result, "from recheck");
  EXPECT_EQ(Try("Failing").result, (nlohmann::json{{"n", 1}}));
}

TEST_F(TryRunnerTest, KeepsOnlyJobsWithACleanup) {
  h_.Add("Plain");
  h_.Add("Cleans", {{}, {}, [](Context&) {}});
  (void)Try("Plain");
  EXPECT_EQ(cleanups_.size(), 0u);
  (void)Try("Cleans");
  (void)Try("Cleans", 2);
  EXPECT_EQ(cleanups_.size(), 2u);
}

TEST_F(TryRunnerTest, KeptTryGivesItsLocalStorageToCleanup) {
  std::string in_cleanup;
  h_.Add("Cleans", {[](Context& c) { c.local()["made"] = c.try_number(); },
                    {},
                    [&](Context& c) { in_cleanup += c.local().dump(); }});
  (void)Try("Cleans", 1);
  (void)Try("Cleans", 2);
  InProcessExecutor executor;
  CleanupReport report =
      cleanups_.RunAll(RunScope{*graph_, env_, cleanups_, working_directory_}, executor);
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(in_cleanup, R"({"made":2}{"made":1})");
}

TEST_F(TryRunnerTest, PartialLogLineIsFlushedAtTheEndOfTheTry) {
  h_.Add("Job", {[](Context& c) { c.log() << "half "; }, {}, {}});
  (void)Try("Job");
  EXPECT_EQ(h_.observer.logs(), (Lines{"Job: half "}));
}

}  // namespace
}  // namespace dojobber::core

namespace dojobber::core {
namespace {

// An observer that wants only log lines, as the CLI's trace without -v.
class LogsOnly final : public RunObserver {
 public:
  bool wants_phases() const override { return false; }
  void OnPhase(const PhaseEvent&) override { ++phases; }
  int phases = 0;
};

TEST(TryRunnerQuietTest, ObserverThatWantsNoPhasesGetsNone) {
  testing::Harness h;
  h.Add("Job", {testing::CheckThat([](Context& c) { return c.is_recheck(); }), {}, {}});
  auto graph = h.Build("Job");
  ASSERT_TRUE(graph.ok());
  LogsOnly observer;
  LockedGlobalStorage global;
  RunEnvironment env{h.registry.args(), global, observer, false};
  WorkingDirectory working_directory;
  CleanupStack cleanups;
  TryRunner runner(env, working_directory, cleanups);
  EXPECT_EQ(runner.Run(0, graph->spec(0), 1).status, JobStatus::kChanged);
  EXPECT_EQ(observer.phases, 0);
}

}  // namespace
}  // namespace dojobber::core
