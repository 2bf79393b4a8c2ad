// SEMANTICS.md, "Jobs": how the engine treats the job code it calls: a fresh
// object per try, throwing constructors, and any thrown type.

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::job_code_test {

// Thrown by jobs below: not a std::exception.
struct Tantrum {};

}  // namespace dojobber::job_code_test

namespace dojobber {
namespace {

using core::JobStatus;
using testing::Harness;
using Lines = std::vector<std::string>;

// Its constructor throws for the first `failures` objects.
class Fragile final : public Job {
 public:
  Fragile(int& made, int failures) {
    if (++made <= failures) throw Error("no socket (" + std::to_string(made) + ")");
  }
  void Check(Context&) override {}
  void Run(Context&) override {}
};

TEST(JobCodeTest, ThrowingConstructorFailsTheTryLikeAFailedCheck) {
  Harness h;
  int made = 0;
  h.registry.Add("Fragile", [&made] { return std::make_unique<Fragile>(made, 1); });
  core::RunResult result = h.Run("Fragile");
  EXPECT_EQ(h.Job(result, "Fragile").status, JobStatus::kOk);
  EXPECT_EQ(h.Job(result, "Fragile").tries, 2);
  EXPECT_EQ(h.observer.lines(), (Lines{"Fragile.check: fail", "Fragile.check: pass"}));
}

TEST(JobCodeTest, ThrowingConstructorDoesNotStopTheRun) {
  Harness h;
  int made = 0;
  h.Add("Root").Deps({"Fragile", "Steady"});
  h.registry.Add("Fragile", [&made] { return std::make_unique<Fragile>(made, 100); });
  h.Add("Steady");
  core::RunResult result = h.Run("Root");
  const core::JobReport& fragile = h.Job(result, "Fragile");
  EXPECT_EQ(fragile.status, JobStatus::kFailed);
  EXPECT_EQ(fragile.tries, 3);
  EXPECT_EQ(fragile.error, "cannot create the job: no socket (3)");
  EXPECT_EQ(h.Job(result, "Steady").status, JobStatus::kOk);
  EXPECT_EQ(h.Job(result, "Root").status, JobStatus::kBlocked);
  EXPECT_EQ(h.observer.lines(), (Lines{"Fragile.check: fail", "Steady.check: pass",
                                       "Fragile.check: fail", "Fragile.check: fail"}));
}

TEST(JobCodeTest, FactoryReturningNothingFailsTheTry) {
  Harness h;
  h.registry.Add("Empty", [] { return std::unique_ptr<Job>(); }).Tries(1);
  core::RunResult result = h.Run("Empty");
  EXPECT_EQ(h.Job(result, "Empty").status, JobStatus::kFailed);
  EXPECT_EQ(h.Job(result, "Empty").error,
            "cannot create the job: the job's factory returned no object");
}

TEST(JobCodeTest, ThrownIntFailsWithAMessageNamingTheType) {
  Harness h;
  h.Add("Numeric", {[](Context&) { throw 42; }, {}, {}}).Tries(1);
  core::RunResult result = h.Run("Numeric");
  EXPECT_EQ(h.Job(result, "Numeric").status, JobStatus::kFailed);
  EXPECT_EQ(h.Job(result, "Numeric").error, "exception of type 'int'");
  EXPECT_EQ(h.observer.lines().back(), "Numeric.recheck: fail \"exception of type 'int'\"");
}

TEST(JobCodeTest, ThrownCustomTypeFailsWithAMessageNamingTheType) {
  Harness h;
  h.Add("Moody", {[](Context&) { throw job_code_test::Tantrum{}; }, {}, {}}).Tries(1);
  core::RunResult result = h.Run("Moody");
  EXPECT_EQ(h.Job(result, "Moody").error, "exception of type 'dojobber::job_code_test::Tantrum'");
  EXPECT_EQ(h.observer.events().back().error_type, "dojobber::job_code_test::Tantrum");
}

TEST(JobCodeTest, ThrownCustomTypeFromRunIsRecordedButDoesNotDecide) {
  Harness h;
  h.Add("Moody", {[](Context& c) {
                    if (!c.is_recheck()) throw Error("absent");
                  },
                  [](Context&) { throw job_code_test::Tantrum{}; },
                  {}});
  core::RunResult result = h.Run("Moody");
  EXPECT_EQ(h.Job(result, "Moody").status, JobStatus::kChanged);
  EXPECT_EQ(h.observer.lines(),
            (Lines{"Moody.check: fail", "Moody.run: fail", "Moody.recheck: pass"}));
}

TEST(JobCodeTest, ThrownStringsAreTheirOwnMessage) {
  Harness h;
  h.Add("Root").Deps({"CString", "StdString"});
  h.Add("CString", {[](Context&) { throw "plain text"; }, {}, {}}).Tries(1);
  h.Add("StdString", {[](Context&) { throw std::string("string text"); }, {}, {}}).Tries(1);
  core::RunResult result = h.Run("Root");
  EXPECT_EQ(h.Job(result, "CString").error, "plain text");
  EXPECT_EQ(h.Job(result, "StdString").error, "string text");
}

// Counts its objects; each remembers what happened to it in its own try.
class Counted final : public Job {
 public:
  explicit Counted(std::vector<std::string>& log) : log_(log) { log_.push_back("new"); }
  void Check(Context& ctx) override {
    ++calls_;
    log_.push_back("try " + std::to_string(ctx.try_number()) + " call " + std::to_string(calls_));
    if (ctx.try_number() < 3) throw Error("again");
  }
  void Run(Context&) override { ++calls_; }

 private:
  std::vector<std::string>& log_;
  int calls_ = 0;
};

TEST(JobCodeTest, EveryTryGetsAFreshObject) {
  Harness h;
  Lines log;
  h.registry.Add("Counted", [&log] { return std::make_unique<Counted>(log); });
  core::RunResult result = h.Run("Counted");
  EXPECT_EQ(h.Job(result, "Counted").status, JobStatus::kOk);
  // One object per try; within a try Check, Run and recheck share it.
  EXPECT_EQ(log, (Lines{"new", "try 1 call 1", "try 1 call 3", "new", "try 2 call 1",
                        "try 2 call 3", "new", "try 3 call 1"}));
}

}  // namespace
}  // namespace dojobber
