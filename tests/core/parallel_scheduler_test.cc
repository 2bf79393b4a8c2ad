#include "core/parallel_scheduler.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/serial_scheduler.h"
#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::FakeClock;
using testing::Harness;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

// Runs RunParallel over a graph of plain jobs; outcomes come from a table of
// "fails this many times before succeeding" (-1: always fails).
class ParallelSchedulerTest : public ::testing::Test {
 protected:
  struct Attempt {
    std::string name;
    double at;  // Fake seconds.
  };

  const Graph& Build(std::string_view root) {
    auto built = h_.Build(root);
    if (!built.ok()) ADD_FAILURE() << built.message();
    graph_.emplace(std::move(built.value()));
    books_.emplace(*graph_);
    return *graph_;
  }

  WorkerCount Run(int workers, bool no_act = false, double work_seconds = 0) {
    std::mutex mutex;
    AttemptFn attempt = [&](JobId id) {
      const std::string& name = graph_->name(id);
      {
        std::lock_guard lock(mutex);
        attempts_.push_back({name, clock_.seconds()});
        for (JobId dep : graph_->deps(id)) {
          EXPECT_TRUE(books_->Succeeded(dep)) << name << " started before " << graph_->name(dep);
        }
      }
      if (work_seconds > 0) clock_.Advance(SecondsToDuration(work_seconds));
      // Read-only lookups: the maps are shared by the worker threads.
      const auto failing = fails_.find(name);
      const int failures = failing == fails_.end() ? 0 : failing->second;
      const int tried = ++tries_.at(name);
      return failures < 0 || tried <= failures ? JobStatus::kFailed : JobStatus::kChanged;
    };
    books_.emplace(*graph_, no_act);
    return RunParallel(*graph_, *books_, clock_, workers, attempt);
  }

  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const Attempt& a : attempts_) names.push_back(a.name);
    return names;
  }

  Harness h_;
  FakeClock clock_;
  std::optional<Graph> graph_;
  std::optional<RunBooks> books_;
  std::map<std::string, int> fails_;
  std::map<std::string, std::atomic<int>> tries_;
  std::vector<Attempt> attempts_;
};

TEST_F(ParallelSchedulerTest, RunsEveryJobOnceWhenAllSucceed) {
  std::vector<std::string> names;
  for (int i = 0; i < 50; ++i) {
    names.push_back("J" + std::to_string(i));
    h_.Add(names.back())
        .Deps(i >= 10 ? std::vector<std::string>{"J" + std::to_string(i - 10)}
                      : std::vector<std::string>{});
  }
  h_.Add("Root").Deps(names);
  for (const std::string& name : names) tries_[name] = 0;
  tries_["Root"] = 0;
  const Graph& graph = Build("Root");
  Run(8);
  EXPECT_EQ(attempts_.size(), graph.size());
  EXPECT_TRUE(books_->AllSucceeded());
}

// A try whose job code ends its worker's thread (pthread_exit) counts as
// failed: its retries and the other jobs still run, its dependent is
// blocked, and the run ends, however many workers there are.
TEST_F(ParallelSchedulerTest, TryThatEndsItsThreadFailsAndTheRunEnds) {
  h_.Add("Root").Deps({"Lost", "B", "C"});
  h_.Add("Lost").Tries(2).RetryDelay(0);
  h_.Add("B");
  h_.Add("C");
  const Graph& graph = Build("Root");
  for (int workers : {1, 2, 4}) {
    SCOPED_TRACE(workers);
    books_.emplace(graph);
    std::atomic<int> lost_tries = 0;
    const WorkerCount count =
        RunParallel(graph, *books_, clock_, workers, [&](JobId id) -> JobStatus {
          if (graph.name(id) == "Lost") {
            ++lost_tries;
            ::pthread_exit(nullptr);
          }
          return JobStatus::kOk;
        });
    EXPECT_EQ(lost_tries, 2);
    EXPECT_EQ(books_->FinalStatus(*graph.Find("Lost")), JobStatus::kFailed);
    EXPECT_EQ(books_->tries_used(*graph.Find("Lost")), 2);
    EXPECT_TRUE(books_->Succeeded(*graph.Find("B")));
    EXPECT_TRUE(books_->Succeeded(*graph.Find("C")));
    EXPECT_EQ(books_->FinalStatus(*graph.Find("Root")), JobStatus::kBlocked);
    EXPECT_EQ(count.shortfall, "");
  }
}

TEST_F(ParallelSchedulerTest, NeverMoreWorkersThanJobs) {
  h_.Add("Root").Deps({"A", "B"});
  h_.Add("A");
  h_.Add("B");
  for (const char* name : {"Root", "A", "B"}) tries_[name] = 0;
  Build("Root");
  const WorkerCount workers = Run(100000);
  EXPECT_EQ(workers.started, 3);
  EXPECT_EQ(workers.shortfall, "");
  EXPECT_TRUE(books_->AllSucceeded());
}

// Out of threads, the run goes on with the workers it has and says why. In
// a child process whose address space is capped so that thread stacks soon
// cannot be mapped.
TEST_F(ParallelSchedulerTest, RunsWithFewerWorkersWhenThreadsRunOut) {
  if (kSanitized) GTEST_SKIP() << "sanitizers reserve more address space than the cap";
  std::vector<std::string> names;
  for (int i = 0; i < 2000; ++i) names.push_back("J" + std::to_string(i));
  h_.Add("Root").Deps(names);
  for (const std::string& name : names) h_.Add(name);
  for (const std::string& name : names) tries_[name] = 0;
  tries_["Root"] = 0;
  Build("Root");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::ifstream statm("/proc/self/statm");
    std::size_t pages = 0;
    statm >> pages;
    const rlim_t cap = pages * static_cast<rlim_t>(::sysconf(_SC_PAGESIZE)) + (256u << 20);
    const rlimit limit{cap, cap};
    if (::setrlimit(RLIMIT_AS, &limit) != 0) ::_exit(10);
    const WorkerCount workers = Run(2000);  // 8 MiB of stack each: 16 GiB.
    if (!books_->AllSucceeded()) ::_exit(11);
    if (workers.started >= 2000 || workers.started < 1) ::_exit(12);
    if (workers.shortfall.empty()) ::_exit(13);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << "10: setrlimit failed; 11: not every job ran; 12: no shortfall in workers; 13: no reason";
}

TEST_F(ParallelSchedulerTest, OneWorkerTakesTheEarliestReadyJobInPostOrder) {
  h_.Add("Root").Deps({"A", "B", "C"});
  h_.Add("A");
  h_.Add("B");
  h_.Add("C");
  for (const char* name : {"Root", "A", "B", "C"}) tries_[name] = 0;
  Build("Root");
  Run(1);
  EXPECT_EQ(Names(), (std::vector<std::string>{"A", "B", "C", "Root"}));
}

TEST_F(ParallelSchedulerTest, FailedDependencyBlocksDependents) {
  h_.Add("Root").Deps({"Mid"});
  h_.Add("Mid").Deps({"Base"});
  h_.Add("Base").Tries(2);
  fails_["Base"] = -1;
  for (const char* name : {"Root", "Mid", "Base"}) tries_[name] = 0;
  const Graph& graph = Build("Root");
  Run(4);
  EXPECT_EQ(Names(), (std::vector<std::string>{"Base", "Base"}));
  EXPECT_EQ(books_->FinalStatus(*graph.Find("Base")), JobStatus::kFailed);
  EXPECT_EQ(books_->FinalStatus(*graph.Find("Mid")), JobStatus::kBlocked);
  EXPECT_EQ(books_->FinalStatus(*graph.Find("Root")), JobStatus::kBlocked);
}

TEST_F(ParallelSchedulerTest, RetriesWaitForTheDelaySinceTheLastStart) {
  h_.Add("Flaky").Tries(3).RetryDelay(2.0);
  fails_["Flaky"] = 2;
  tries_["Flaky"] = 0;
  Build("Flaky");
  Run(2);
  ASSERT_EQ(attempts_.size(), 3u);
  EXPECT_GE(attempts_[1].at - attempts_[0].at, 2.0);
  EXPECT_GE(attempts_[2].at - attempts_[1].at, 2.0);
  EXPECT_TRUE(books_->AllSucceeded());
}

TEST_F(ParallelSchedulerTest, RetryDelayDoesNotHoldAWorker) {
  std::vector<std::string> all = {"Flaky"};
  h_.Add("Flaky").Tries(2).RetryDelay(1.0);
  fails_["Flaky"] = 1;
  tries_["Flaky"] = 0;
  for (int i = 0; i < 6; ++i) {
    all.push_back("W" + std::to_string(i));
    h_.Add(all.back());
    tries_[all.back()] = 0;
  }
  h_.Add("Root").Deps(all);
  tries_["Root"] = 0;
  Build("Root");
  Run(2, false, 0.1);  // Each try takes 0.1 fake seconds: 0.6 s of other work.
  std::vector<std::string> order = Names();
  ASSERT_EQ(order.size(), 9u);
  // Flaky's second try comes after every W job: the workers did them while
  // Flaky waited, instead of one worker waiting with it.
  const auto second_flaky =
      std::find(std::find(order.begin(), order.end(), "Flaky") + 1, order.end(), "Flaky");
  ASSERT_NE(second_flaky, order.end());
  for (int i = 0; i < 6; ++i) {
    EXPECT_LT(std::find(order.begin(), order.end(), "W" + std::to_string(i)), second_flaky);
  }
  EXPECT_TRUE(books_->AllSucceeded());
}

TEST_F(ParallelSchedulerTest, NoActDoesNotRetry) {
  h_.Add("A").Tries(3);
  fails_["A"] = -1;
  tries_["A"] = 0;
  Build("A");
  Run(4, /*no_act=*/true);
  EXPECT_EQ(attempts_.size(), 1u);
  EXPECT_EQ(books_->FinalStatus(0), JobStatus::kFailed);
}

// Final statuses and tries are the same as the serial order's on random
// graphs whose outcomes depend only on the job (fails N times, or always).
TEST(ParallelSchedulerPropertyTest, AgreesWithSerialOnRandomGraphs) {
  std::mt19937 random(7);
  for (int round = 0; round < 20; ++round) {
    Harness h;
    const int size = 5 + static_cast<int>(random() % 60);
    std::map<std::string, int> fails;
    std::vector<std::string> names;
    for (int i = 0; i < size; ++i) {
      names.push_back("J" + std::to_string(i));
      std::vector<std::string> deps;
      for (int d = 0; d < i; ++d) {
        if (random() % 6 == 0) deps.push_back(names[static_cast<std::size_t>(d)]);
      }
      const int tries = 1 + static_cast<int>(random() % 3);
      h.Add(names.back()).Deps(deps).Tries(tries).RetryDelay(0.5);
      const auto roll = random() % 4;
      fails[names.back()] = roll == 0 ? -1 : static_cast<int>(roll) - 1;
    }
    h.Add("Root").Deps(names);
    fails["Root"] = 0;
    auto graph = h.Build("Root");
    ASSERT_TRUE(graph.ok());
    auto run = [&](int workers) {
      RunBooks books(*graph);
      FakeClock clock;
      std::map<std::string, std::atomic<int>> tried;
      for (const auto& [name, count] : fails) tried[name] = 0;
      AttemptFn attempt = [&](JobId id) {
        const std::string& name = graph->name(id);
        const int n = ++tried[name];
        const int f = fails.at(name);
        return f < 0 || n <= f ? JobStatus::kFailed : JobStatus::kOk;
      };
      if (workers == 1) {
        RunSerial(*graph, books, clock, attempt);
      } else {
        RunParallel(*graph, books, clock, workers, attempt);
      }
      std::vector<std::pair<JobStatus, int>> outcome;
      for (JobId id = 0; id < graph->size(); ++id) {
        outcome.emplace_back(books.FinalStatus(id), books.tries_used(id));
      }
      return outcome;
    };
    EXPECT_EQ(run(1), run(8)) << "round " << round;
  }
}

}  // namespace
}  // namespace dojobber::core

namespace dojobber::core {
namespace {

TEST(ParallelSchedulerStopTest, RunningTriesFinishAndNothingNewStarts) {
  testing::Harness h;
  std::vector<std::string> all;
  for (int i = 0; i < 20; ++i) {
    all.push_back("J" + std::to_string(i));
    h.Add(all.back());
  }
  h.Add("Root").Deps(all);
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok());
  RunBooks books(*graph);
  testing::FakeClock clock;
  std::stop_source stop;
  std::atomic<int> tried{0};
  RunParallel(
      *graph, books, clock, 4,
      [&](JobId) {
        if (++tried == 3) stop.request_stop();
        return JobStatus::kOk;
      },
      stop.get_token());
  // At most the tries already running when the stop came (4 workers) ran.
  EXPECT_GE(tried.load(), 3);
  EXPECT_LE(tried.load(), 3 + 3);
  EXPECT_EQ(books.FinalStatus(*graph->Find("Root")), JobStatus::kBlocked);
}

TEST(ParallelSchedulerStopTest, AStopEndsTheWaitForARetryTimer) {
  testing::Harness h;
  h.Add("Flaky").Tries(3).RetryDelay(3600);
  auto graph = h.Build("Flaky");
  ASSERT_TRUE(graph.ok());
  RunBooks books(*graph);
  SteadyClock clock;
  std::stop_source stop;
  std::jthread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stop.request_stop();
  });
  RunParallel(
      *graph, books, clock, 2, [](JobId) { return JobStatus::kFailed; }, stop.get_token());
  EXPECT_EQ(books.tries_used(0), 1);
}

}  // namespace
}  // namespace dojobber::core
