#include "core/invoker.h"

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/global_storage.h"
#include "core/run_observer.h"
#include "core/try_context.h"
#include "support/throwing_what.h"

namespace dojobber::invoker_test {

// A thrown type that is no std::exception, in a named namespace so its
// demangled name is predictable.
struct NotAnException {
  int code = 7;
};

// A std::exception whose what() is as broken as job code can make it (see
// also ThrowingWhat).
class NullWhat : public std::exception {
 public:
  const char* what() const noexcept override { return nullptr; }
};

}  // namespace dojobber::invoker_test

namespace dojobber::testing {
void ThrowFromWhat() { throw std::runtime_error("no message"); }
}  // namespace dojobber::testing

namespace dojobber::core {
namespace {

using invoker_test::NotAnException;
using invoker_test::NullWhat;
using testing::ThrowingWhat;

// Records which method was called, then throws whatever `thrower` throws.
class Probe : public Job {
 public:
  explicit Probe(std::function<void()> thrower = {}) : thrower_(std::move(thrower)) {}
  void Check(Context& ctx) override { Called(ctx, "Check"); }
  void Run(Context& ctx) override { Called(ctx, "Run"); }
  void Cleanup(Context& ctx) override { Called(ctx, "Cleanup"); }
  std::vector<std::string> calls;

 private:
  void Called(Context&, const char* method) {
    calls.emplace_back(method);
    if (thrower_) thrower_();
  }
  std::function<void()> thrower_;
};

class InvokerTest : public ::testing::Test {
 protected:
  CallOutcome Call(std::function<void()> thrower, Phase phase = Phase::kCheck) {
    Probe probe(std::move(thrower));
    return CallPhase(probe, phase, ctx_);
  }

  Arguments args_;
  LockedGlobalStorage global_;
  RunObserver observer_;
  RunEnvironment env_{args_, global_, observer_, false};
  std::string name_ = "Probe";
  nlohmann::json local_;
  TryContext ctx_{env_, 0, name_, 1, local_};
};

TEST_F(InvokerTest, CallsTheMethodThePhaseNames) {
  Probe probe;
  EXPECT_TRUE(CallPhase(probe, Phase::kCheck, ctx_).ok);
  EXPECT_TRUE(CallPhase(probe, Phase::kRun, ctx_).ok);
  EXPECT_TRUE(CallPhase(probe, Phase::kRecheck, ctx_).ok);
  EXPECT_TRUE(CallPhase(probe, Phase::kCleanup, ctx_).ok);
  EXPECT_EQ(probe.calls, (std::vector<std::string>{"Check", "Run", "Check", "Cleanup"}));
}

TEST_F(InvokerTest, ReturningIsSuccessWithoutError) {
  CallOutcome outcome = Call({});
  EXPECT_TRUE(outcome.ok);
  EXPECT_EQ(outcome.error, "");
  EXPECT_EQ(outcome.error_type, "");
}

TEST_F(InvokerTest, StdExceptionGivesItsMessageAndType) {
  CallOutcome outcome = Call([] { throw std::runtime_error("disk full"); });
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "disk full");
  EXPECT_EQ(outcome.error_type, "std::runtime_error");
}

TEST_F(InvokerTest, SdkErrorIsNamedByItsOwnType) {
  CallOutcome outcome = Call([] { throw ArgumentError("bad arg"); }, Phase::kRun);
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "bad arg");
  EXPECT_EQ(outcome.error_type, "dojobber::ArgumentError");
}

TEST_F(InvokerTest, IntGetsAGenericMessageNamingTheType) {
  CallOutcome outcome = Call([] { throw 42; });
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "exception of type 'int'");
  EXPECT_EQ(outcome.error_type, "int");
}

TEST_F(InvokerTest, CStringIsTheMessage) {
  CallOutcome outcome = Call([] { throw "plain C string"; });
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "plain C string");
  EXPECT_EQ(outcome.error_type, "char const*");
}

TEST_F(InvokerTest, NullCStringDoesNotCrash) {
  CallOutcome outcome = Call([] { throw static_cast<const char*>(nullptr); });
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "null C string thrown");
}

TEST_F(InvokerTest, StdStringIsTheMessage) {
  CallOutcome outcome = Call([] { throw std::string("a std::string"); });
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "a std::string");
  EXPECT_NE(outcome.error_type.find("basic_string"), std::string::npos) << outcome.error_type;
}

TEST_F(InvokerTest, CustomClassGetsAGenericMessageNamingTheType) {
  CallOutcome outcome = Call([] { throw NotAnException{}; }, Phase::kCleanup);
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error_type, "dojobber::invoker_test::NotAnException");
  EXPECT_EQ(outcome.error, "exception of type 'dojobber::invoker_test::NotAnException'");
}

TEST_F(InvokerTest, NullWhatGetsAMessageNamingTheType) {
  CallOutcome outcome = Call([] { throw NullWhat(); });
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error_type, "dojobber::invoker_test::NullWhat");
  EXPECT_EQ(outcome.error,
            "exception of type 'dojobber::invoker_test::NullWhat' (its what() returned null)");
}

TEST_F(InvokerTest, ThrowingWhatGetsAMessageNamingTheType) {
  CallOutcome outcome = Call([] { throw ThrowingWhat(); }, Phase::kRun);
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error_type, "dojobber::testing::ThrowingWhat");
  EXPECT_EQ(outcome.error,
            "exception of type 'dojobber::testing::ThrowingWhat' (its what() threw)");
}

// A broken what() fails that call alone: the next call is unaffected.
TEST_F(InvokerTest, BrokenWhatFailsOnlyItsOwnCall) {
  EXPECT_FALSE(Call([] { throw NullWhat(); }).ok);
  EXPECT_FALSE(Call([] { throw ThrowingWhat(); }).ok);
  EXPECT_TRUE(Call({}).ok);
}

TEST_F(InvokerTest, FactoryThrowingANullWhatIsAFailedOutcome) {
  std::unique_ptr<Job> job;
  CallOutcome outcome = CreateJob([]() -> std::unique_ptr<Job> { throw NullWhat(); }, job);
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error,
            "exception of type 'dojobber::invoker_test::NullWhat' (its what() returned null)");
  EXPECT_EQ(job, nullptr);
}

TEST_F(InvokerTest, MessageIsCopiedBeforeTheExceptionDies) {
  // The message outlives the exception object and its own buffer.
  CallOutcome outcome = Call([] { throw std::runtime_error(std::string(1000, 'x')); });
  EXPECT_EQ(outcome.error, std::string(1000, 'x'));
}

TEST_F(InvokerTest, FailWithoutThrowingFailsTheCall) {
  CallOutcome outcome = Call([this] { ctx_.Fail("not converged"); });
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "not converged");
  EXPECT_EQ(outcome.error_type, "");
}

TEST_F(InvokerTest, ExceptionAfterFailWins) {
  CallOutcome outcome = Call([this] {
    ctx_.Fail("first");
    throw std::runtime_error("then thrown");
  });
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "then thrown");
}

TEST_F(InvokerTest, FailLastsForOneCall) {
  EXPECT_FALSE(Call([this] { ctx_.Fail("once"); }).ok);
  EXPECT_TRUE(Call({}).ok);
  EXPECT_FALSE(Call([this] {
                 ctx_.Fail("once");
                 throw 1;
               }).ok);
  EXPECT_TRUE(Call({}).ok);
}

TEST_F(InvokerTest, CreateJobHandsOverTheObject) {
  std::unique_ptr<Job> job;
  CallOutcome outcome = CreateJob([] { return std::make_unique<Probe>(); }, job);
  EXPECT_TRUE(outcome.ok);
  EXPECT_NE(dynamic_cast<Probe*>(job.get()), nullptr);
}

TEST_F(InvokerTest, ThrowingFactoryIsAFailedOutcome) {
  std::unique_ptr<Job> job;
  CallOutcome outcome =
      CreateJob([]() -> std::unique_ptr<Job> { throw std::invalid_argument("no config"); }, job);
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "no config");
  EXPECT_EQ(outcome.error_type, "std::invalid_argument");
  EXPECT_EQ(job, nullptr);
}

TEST_F(InvokerTest, FactoryThrowingANonExceptionIsAFailedOutcome) {
  std::unique_ptr<Job> job;
  CallOutcome outcome = CreateJob([]() -> std::unique_ptr<Job> { throw 3; }, job);
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "exception of type 'int'");
}

TEST_F(InvokerTest, FactoryReturningNullIsAFailedOutcome) {
  std::unique_ptr<Job> job;
  CallOutcome outcome = CreateJob([] { return std::unique_ptr<Job>(); }, job);
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "the job's factory returned no object");
  EXPECT_EQ(job, nullptr);
}

}  // namespace
}  // namespace dojobber::core
