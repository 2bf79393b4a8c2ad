#include "core/serial_scheduler.h"

#include <pthread.h>

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

using std::chrono::seconds;
using testing::FakeClock;
using testing::Harness;
using Names = std::vector<std::string>;

constexpr JobStatus kOk = JobStatus::kOk;
constexpr JobStatus kChanged = JobStatus::kChanged;
constexpr JobStatus kFailed = JobStatus::kFailed;

// Runs RunSerial over the harness's graph with a fake AttemptFn: each job's
// tries end with the outcomes scripted for it (the last one repeats; jobs
// without a script succeed), and each try takes `work` of fake time.
class SerialSchedulerTest : public ::testing::Test {
 protected:
  void Script(const std::string& name, std::deque<JobStatus> outcomes) {
    scripts_[name] = std::move(outcomes);
  }

  void RunGraph(std::string_view root, bool no_act = false) {
    auto built = h_.Build(root);
    ASSERT_TRUE(built.ok()) << built.message();
    graph_.emplace(std::move(built.value()));
    books_.emplace(*graph_, no_act);
    RunSerial(*graph_, *books_, clock_, [this](JobId id) {
      const std::string& name = graph_->name(id);
      attempts_.push_back(name);
      starts_.push_back(clock_.seconds());
      clock_.Advance(work_);
      std::deque<JobStatus>& script = scripts_[name];
      if (script.empty()) return kOk;
      const JobStatus outcome = script.front();
      if (script.size() > 1) script.pop_front();
      return outcome;
    });
  }

  JobStatus Final(std::string_view name) const { return books_->FinalStatus(*graph_->Find(name)); }
  int Tries(std::string_view name) const { return books_->tries_used(*graph_->Find(name)); }
  // The fake-clock seconds at which each try of `name` started.
  std::vector<double> StartsOf(const std::string& name) const {
    std::vector<double> starts;
    for (std::size_t i = 0; i < attempts_.size(); ++i) {
      if (attempts_[i] == name) starts.push_back(starts_[i]);
    }
    return starts;
  }

  // The clock's sleeps that actually waited.
  std::vector<Clock::Duration> Waits() const {
    std::vector<Clock::Duration> waits;
    for (Clock::Duration sleep : clock_.sleeps()) {
      if (sleep > Clock::Duration::zero()) waits.push_back(sleep);
    }
    return waits;
  }

  Harness h_;
  FakeClock clock_;
  Clock::Duration work_{};
  std::map<std::string, std::deque<JobStatus>> scripts_;
  std::optional<Graph> graph_;
  std::optional<RunBooks> books_;
  Names attempts_;
  std::vector<double> starts_;
};

TEST_F(SerialSchedulerTest, TriesEveryJobOnceInPostOrderWhenAllPass) {
  h_.Add("Root").Deps({"B", "A"});
  h_.Add("A").Deps({"C"});
  h_.Add("B").Deps({"C"});
  h_.Add("C");
  Script("A", {kChanged});
  RunGraph("Root");
  EXPECT_EQ(attempts_, (Names{"C", "B", "A", "Root"}));
  EXPECT_TRUE(books_->AllSucceeded());
  EXPECT_EQ(Final("A"), kChanged);
  EXPECT_TRUE(clock_.sleeps().empty());
}

TEST_F(SerialSchedulerTest, FailedJobsRetryRoundRobinAcrossPasses) {
  h_.Add("Root").Deps({"A", "B"});
  h_.Add("A");
  h_.Add("B");
  Script("A", {kFailed, kFailed, kChanged});
  Script("B", {kFailed});
  RunGraph("Root");
  EXPECT_EQ(attempts_, (Names{"A", "B", "A", "B", "A", "B"}));
  EXPECT_EQ(Final("A"), kChanged);
  EXPECT_EQ(Final("B"), kFailed);
  EXPECT_EQ(Final("Root"), JobStatus::kBlocked);
}

TEST_F(SerialSchedulerTest, DependentRunsInThePassItsDependencySucceeds) {
  h_.Add("Root").Deps({"A", "Ok"});
  h_.Add("A");
  h_.Add("Ok");
  Script("A", {kFailed, kOk});
  RunGraph("Root");
  EXPECT_EQ(attempts_, (Names{"A", "Ok", "A", "Root"}));
  EXPECT_TRUE(books_->AllSucceeded());
}

TEST_F(SerialSchedulerTest, BlockedJobsAreNeverAttempted) {
  h_.Add("Root").Deps({"Mid"});
  h_.Add("Mid").Deps({"Broken"});
  h_.Add("Broken");
  Script("Broken", {kFailed});
  RunGraph("Root");
  EXPECT_EQ(attempts_, (Names{"Broken", "Broken", "Broken"}));
  EXPECT_EQ(Final("Mid"), JobStatus::kBlocked);
  EXPECT_EQ(Final("Root"), JobStatus::kBlocked);
  EXPECT_EQ(Tries("Root"), 0);
}

TEST_F(SerialSchedulerTest, EachJobGetsItsOwnNumberOfTries) {
  h_.Add("Root").Deps({"Once", "Five"});
  h_.Add("Once").Tries(1);
  h_.Add("Five").Tries(5);
  Script("Once", {kFailed});
  Script("Five", {kFailed});
  RunGraph("Root");
  EXPECT_EQ(attempts_, (Names{"Once", "Five", "Five", "Five", "Five", "Five"}));
  EXPECT_EQ(Tries("Once"), 1);
  EXPECT_EQ(Tries("Five"), 5);
}

TEST_F(SerialSchedulerTest, StopsWhenTheOnlyFailedJobsHaveNoTriesLeft) {
  h_.Add("Root").Deps({"A"});
  h_.Add("A").Tries(1);
  Script("A", {kFailed});
  RunGraph("Root");
  EXPECT_EQ(attempts_, (Names{"A"}));
}

TEST_F(SerialSchedulerTest, FirstTriesNeverSleep) {
  h_.Add("Root").Deps({"A", "B"});
  h_.Add("A").RetryDelay(5);
  h_.Add("B").RetryDelay(5);
  RunGraph("Root");
  EXPECT_TRUE(clock_.sleeps().empty());
  EXPECT_EQ(clock_.seconds(), 0);
}

TEST_F(SerialSchedulerTest, SleepsOnlyForWhatIsLeftOfTheDelaySinceThePreviousStart) {
  h_.Add("A").RetryDelay(5).Tries(3);
  Script("A", {kFailed});
  work_ = seconds(2);
  RunGraph("A");
  EXPECT_EQ(StartsOf("A"), (std::vector<double>{0, 5, 10}));
  // Only retries sleep, each for the delay minus the try's own 2 seconds.
  EXPECT_EQ(clock_.sleeps(), (std::vector<Clock::Duration>{seconds(3), seconds(3)}));
  EXPECT_EQ(clock_.seconds(), 12);
}

TEST_F(SerialSchedulerTest, DelayIsSpentOnOtherJobsWork) {
  h_.Add("Root").Deps({"A", "B"});
  h_.Add("A").RetryDelay(5);
  h_.Add("B").RetryDelay(0);
  Script("A", {kFailed});
  Script("B", {kFailed});
  work_ = seconds(2);
  RunGraph("Root");
  EXPECT_EQ(attempts_, (Names{"A", "B", "A", "B", "A", "B"}));
  EXPECT_EQ(StartsOf("A"), (std::vector<double>{0, 5, 10}));
  EXPECT_EQ(StartsOf("B"), (std::vector<double>{2, 7, 12}));
  // A waits 5 - 2 (B's work) - 2 (its own) = 1; B never waits.
  EXPECT_EQ(Waits(), (std::vector<Clock::Duration>{seconds(1), seconds(1)}));
}

TEST_F(SerialSchedulerTest, EnoughOtherWorkMeansNoWaiting) {
  h_.Add("Root").Deps({"Slow", "Busy"});
  h_.Add("Slow").RetryDelay(3);
  h_.Add("Busy").RetryDelay(0);
  Script("Slow", {kFailed});
  Script("Busy", {kFailed});
  work_ = seconds(4);
  RunGraph("Root");
  EXPECT_EQ(StartsOf("Slow"), (std::vector<double>{0, 8, 16}));
  EXPECT_EQ(clock_.seconds(), 24);  // Six tries of 4 seconds, no sleep.
  EXPECT_TRUE(Waits().empty());
}

TEST_F(SerialSchedulerTest, FractionalDelaysAreHonoured) {
  h_.Add("A").RetryDelay(0.25);
  Script("A", {kFailed});
  RunGraph("A");
  EXPECT_EQ(StartsOf("A"), (std::vector<double>{0, 0.25, 0.5}));
}

TEST_F(SerialSchedulerTest, NoActStopsAfterOnePass) {
  h_.Add("Root").Deps({"Broken", "Fine"});
  h_.Add("Broken");
  h_.Add("Fine");
  Script("Broken", {kFailed});
  RunGraph("Root", /*no_act=*/true);
  EXPECT_EQ(attempts_, (Names{"Broken", "Fine"}));
  EXPECT_EQ(Tries("Broken"), 1);
  EXPECT_EQ(Final("Broken"), kFailed);
  EXPECT_EQ(Final("Root"), JobStatus::kBlocked);
}

TEST_F(SerialSchedulerTest, NoActStillReachesDependentsOfPassingJobs) {
  h_.Add("Root").Deps({"Fine"});
  h_.Add("Fine");
  RunGraph("Root", /*no_act=*/true);
  EXPECT_EQ(attempts_, (Names{"Fine", "Root"}));
  EXPECT_TRUE(books_->AllSucceeded());
}

}  // namespace
}  // namespace dojobber::core

namespace dojobber::core {
namespace {

TEST(SerialSchedulerStopTest, StopsBeforeTheNextTry) {
  testing::Harness h;
  h.Add("Root").Deps({"A", "B"});
  h.Add("A");
  h.Add("B");
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok());
  RunBooks books(*graph);
  testing::FakeClock clock;
  std::stop_source stop;
  std::vector<std::string> tried;
  RunSerial(
      *graph, books, clock,
      [&](JobId id) {
        tried.push_back(graph->name(id));
        stop.request_stop();  // The stop comes during A's try.
        return JobStatus::kOk;
      },
      stop.get_token());
  EXPECT_EQ(tried, (std::vector<std::string>{"A"}));
  EXPECT_EQ(books.FinalStatus(*graph->Find("A")), JobStatus::kOk);
  EXPECT_EQ(books.FinalStatus(*graph->Find("B")), JobStatus::kBlocked);
}

TEST(SerialSchedulerStopTest, AStopDuringARetryDelayEndsTheWait) {
  testing::Harness h;
  h.Add("Flaky").Tries(3).RetryDelay(3600);
  auto graph = h.Build("Flaky");
  ASSERT_TRUE(graph.ok());
  RunBooks books(*graph);
  SteadyClock clock;  // Real: the wait must really end early.
  std::stop_source stop;
  int tries = 0;
  std::jthread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stop.request_stop();
  });
  RunSerial(
      *graph, books, clock,
      [&](JobId) {
        ++tries;
        return JobStatus::kFailed;
      },
      stop.get_token());
  EXPECT_EQ(tries, 1);
  EXPECT_EQ(books.FinalStatus(0), JobStatus::kFailed);
  EXPECT_TRUE(books.HasTriesLeft(0));
}

// A try whose job code ends its thread (pthread_exit) counts as failed;
// the passes go on with the job after it on a new thread.
TEST(SerialSchedulerThreadTest, TryThatEndsItsThreadFailsAndTheRunGoesOn) {
  Harness h;
  h.Add("Root").Deps({"A", "Lost", "B"});
  h.Add("A");
  h.Add("Lost").Tries(2).RetryDelay(0);
  h.Add("B");
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok()) << graph.message();
  RunBooks books(*graph, false);
  FakeClock clock;
  std::vector<std::string> attempts;
  RunSerial(*graph, books, clock, [&](JobId id) -> JobStatus {
    attempts.push_back(graph->name(id));
    if (graph->name(id) == "Lost") ::pthread_exit(nullptr);
    return kOk;
  });
  EXPECT_EQ(attempts, (Names{"A", "Lost", "B", "Lost"}));
  EXPECT_EQ(books.FinalStatus(*graph->Find("Lost")), kFailed);
  EXPECT_EQ(books.FinalStatus(*graph->Find("Root")), JobStatus::kBlocked);
}

}  // namespace
}  // namespace dojobber::core
