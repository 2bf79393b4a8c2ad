#include "core/cleanup_stack.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/global_storage.h"
#include "core/in_process_executor.h"
#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::Harness;
using testing::Hooks;
using testing::ScriptedJob;
using Lines = std::vector<std::string>;

class CleanupStackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.Add("A");
    h_.Add("B");
    auto built = h_.Build(std::nullopt);
    ASSERT_TRUE(built.ok()) << built.message();
    graph_.emplace(std::move(built.value()));
  }
  JobId Id(std::string_view name) const { return *graph_->Find(name); }

  // Keeps a try of `name` whose Cleanup records "name#try" and then runs `then`.
  RetainedTry& Keep(std::string_view name, int try_number, testing::Hook then = {}) {
    auto cleanup = [this, then](Context& ctx) {
      calls_.push_back(ctx.job_name() + "#" + std::to_string(ctx.try_number()));
      if (then) then(ctx);
    };
    return stack_.Push(Id(name), try_number, std::make_unique<ScriptedJob>(Hooks{{}, {}, cleanup}));
  }
  CleanupReport RunAll() {
    const RunScope scope{*graph_, env_, stack_, working_directory_};
    return stack_.RunAll(scope, executor_);
  }

  Harness h_;
  std::optional<Graph> graph_;
  LockedGlobalStorage global_;
  RunEnvironment env_{h_.registry.args(), global_, h_.observer, false};
  WorkingDirectory working_directory_;
  CleanupStack stack_;
  InProcessExecutor executor_;
  Lines calls_;
};

TEST_F(CleanupStackTest, EmptyStackRunsNothing) {
  CleanupReport report = RunAll();
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.ran, 0u);
  EXPECT_EQ(report.pending, 0u);
  EXPECT_TRUE(report.jobs.empty());
}

TEST_F(CleanupStackTest, GivesEachJobItsOutcome) {
  h_.Add("C");
  h_.Add("D");
  auto built = h_.Build(std::nullopt);
  ASSERT_TRUE(built.ok()) << built.message();
  graph_.emplace(std::move(built.value()));
  Keep("B", 1);  // Pending: below the failure.
  Keep("A", 1);  // Pending too.
  Keep("C", 1, [](Context&) { throw Error("stuck"); });
  Keep("A", 2);  // Ok, but its try 1's is pending: pending outweighs ok.
  Keep("D", 1);
  CleanupReport report = RunAll();
  ASSERT_EQ(report.jobs.size(), graph_->size());
  EXPECT_EQ(report.jobs[Id("D")], CleanupOutcome::kOk);
  EXPECT_EQ(report.jobs[Id("C")], CleanupOutcome::kFailed);
  EXPECT_EQ(report.jobs[Id("A")], CleanupOutcome::kPending);
  EXPECT_EQ(report.jobs[Id("B")], CleanupOutcome::kPending);
}

TEST_F(CleanupStackTest, AJobWithoutAKeptTryHasNoOutcome) {
  Keep("A", 1);
  CleanupReport report = RunAll();
  ASSERT_EQ(report.jobs.size(), graph_->size());
  EXPECT_EQ(report.jobs[Id("A")], CleanupOutcome::kOk);
  EXPECT_EQ(report.jobs[Id("B")], CleanupOutcome::kNone);
}

TEST_F(CleanupStackTest, RunsNewestFirst) {
  Keep("A", 1);
  Keep("B", 1);
  Keep("A", 2);
  Keep("B", 2);
  EXPECT_EQ(stack_.size(), 4u);
  CleanupReport report = RunAll();
  EXPECT_EQ(calls_, (Lines{"B#2", "A#2", "B#1", "A#1"}));
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.ran, 4u);
  EXPECT_EQ(report.pending, 0u);
  EXPECT_EQ(stack_.size(), 0u);
}

TEST_F(CleanupStackTest, ReportsEachCleanupToTheObserver) {
  Keep("A", 1);
  Keep("B", 3, [](Context&) { throw Error("busy"); });
  (void)RunAll();
  ASSERT_EQ(h_.observer.events().size(), 1u);
  const auto event = h_.observer.events()[0];
  EXPECT_EQ(event.phase, Phase::kCleanup);
  EXPECT_EQ(event.try_number, 3);
  EXPECT_EQ(event.error_type, "dojobber::Error");
  EXPECT_EQ(h_.observer.lines(), (Lines{"B.cleanup: fail \"busy\""}));
}

TEST_F(CleanupStackTest, StopsAtTheFirstThrowingCleanup) {
  Keep("A", 1);
  Keep("B", 1);
  Keep("A", 2, [](Context&) { throw Error("still mounted"); });
  Keep("B", 2);
  CleanupReport report = RunAll();
  EXPECT_EQ(calls_, (Lines{"B#2", "A#2"}));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure->job, Id("A"));
  EXPECT_EQ(report.failure->try_number, 2);
  EXPECT_EQ(report.failure->error, "still mounted");
  EXPECT_EQ(report.ran, 2u);
  EXPECT_EQ(report.pending, 2u);
  EXPECT_EQ(stack_.size(), 2u);
  EXPECT_EQ(h_.observer.lines(), (Lines{"B.cleanup: pass", "A.cleanup: fail \"still mounted\""}));
}

TEST_F(CleanupStackTest, CallingAgainGoesOnBelowTheFailure) {
  Keep("A", 1);
  Keep("B", 1, [](Context&) { throw 7; });
  Keep("A", 2);
  CleanupReport first = RunAll();
  EXPECT_EQ(first.failure->error, "exception of type 'int'");
  EXPECT_EQ(first.pending, 1u);
  CleanupReport second = RunAll();
  EXPECT_TRUE(second.ok());
  EXPECT_EQ(second.ran, 1u);
  EXPECT_EQ(calls_, (Lines{"A#2", "B#1", "A#1"}));  // The failed one is not called again.
  EXPECT_EQ(RunAll().ran, 0u);
}

TEST_F(CleanupStackTest, CleanupSeesItsTrysLocalStorage) {
  Lines seen;
  Keep("A", 1, [&](Context& ctx) { seen.push_back(ctx.local().dump()); }).local["n"] = 1;
  Keep("A", 2, [&](Context& ctx) { seen.push_back(ctx.local().dump()); }).local["n"] = 2;
  (void)RunAll();
  EXPECT_EQ(seen, (Lines{R"({"n":2})", R"({"n":1})"}));
}

TEST_F(CleanupStackTest, CleanupContextSaysCleanup) {
  std::optional<Phase> phase;
  bool had_run_error = true;
  Keep("A", 1, [&](Context& ctx) {
    phase = ctx.phase();
    had_run_error = ctx.run_error().has_value();
  });
  (void)RunAll();
  EXPECT_EQ(phase, Phase::kCleanup);
  EXPECT_FALSE(had_run_error);
}

TEST_F(CleanupStackTest, EachCleanupStartsInTheCapturedDirectory) {
  testing::ScopedTempDir elsewhere;
  testing::ScopedCwd keep;
  Lines dirs;
  auto wander = [&](Context&) {
    dirs.push_back(std::filesystem::current_path().string());
    std::filesystem::current_path(elsewhere.path());
  };
  Keep("A", 1, wander);
  Keep("B", 1, wander);
  (void)RunAll();
  EXPECT_EQ(dirs, (Lines{keep.saved().string(), keep.saved().string()}));
}

TEST_F(CleanupStackTest, FreesEachObjectAfterItsCleanup) {
  auto alive = std::make_shared<int>(0);
  std::weak_ptr<int> watch = alive;
  stack_.Push(Id("A"), 1,
              std::make_unique<ScriptedJob>(Hooks{{}, {}, [alive](Context&) { (void)alive; }}));
  alive.reset();
  EXPECT_FALSE(watch.expired());  // Held by the kept job's hook.
  (void)RunAll();
  EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace dojobber::core
