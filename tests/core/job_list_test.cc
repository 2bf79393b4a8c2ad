#include "core/job_list.h"

#include <limits>
#include <sstream>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::Harness;

class Group : public DummyJob {};
class Once : public RunonlyJob {
 public:
  void Run(Context&) override {}
};

// The job list of the graph below `root`.
std::string ListBelow(Harness& h, std::string_view root) {
  auto graph = h.Build(root);
  if (!graph.ok()) return "cannot build: " + std::string(graph.message());
  std::ostringstream out;
  WriteJobList(out, *graph);
  return out.str();
}

TEST(JobListTest, ShowsKindTriesDelayAndDepsInRunOrder) {
  Harness h;
  h.defaults = {3, 1.0};
  h.AddType<Group>("Root").Deps({"Bowl", "Pizza"});
  h.Add("Bowl").Tries(8).RetryDelay(0.001);
  h.AddType<Once>("Pizza");
  EXPECT_EQ(ListBelow(h, "Root"),
            "JOB    KIND     TRIES  DELAY   DEPS\n"
            "Bowl   job          8  0.001s  -\n"
            "Pizza  runonly      3  1s      -\n"
            "Root   dummy        3  1s      Bowl, Pizza\n");
}

TEST(JobListTest, AlignsNamesByDisplayWidth) {
  Harness h;
  h.defaults = {3, 1.0};
  h.Add("Root").Deps({"東京 backup", "Repo café"});
  h.Add("東京 backup");
  h.Add("Repo café");
  EXPECT_EQ(ListBelow(h, "Root"),
            "JOB          KIND     TRIES  DELAY   DEPS\n"
            "東京 backup  job          3  1s      -\n"
            "Repo café    job          3  1s      -\n"
            "Root         job          3  1s      東京 backup, Repo café\n");
}

TEST(JobListTest, ShowsResourceHintsWhenAJobHasThem) {
  Harness h;
  h.defaults = {3, 1.0};
  h.Add("Root").Deps({"Heavy"});
  h.Add("Heavy").Cpus(2).MemoryMiB(4096);
  EXPECT_EQ(ListBelow(h, "Root"),
            "JOB    KIND     TRIES  DELAY   CPUS  MEM        DEPS\n"
            "Heavy  job          3  1s      2     4096 MiB   -\n"
            "Root   job          3  1s      -     -          Heavy\n");
}

TEST(JobListTest, ShowsBackoffAndJitterWhenAJobHasThem) {
  Harness h;
  h.defaults = {3, 1.0};
  h.Add("Root").Deps({"Backoff", "Capped", "Jitter"});
  h.Add("Backoff").RetryBackoff(2, std::numeric_limits<double>::infinity());
  h.Add("Capped").RetryBackoff(1.5, 60);
  h.Add("Jitter").RetryJitter(0.1);
  EXPECT_EQ(ListBelow(h, "Root"),
            "JOB      KIND     TRIES  DELAY   BACKOFF          JITTER  DEPS\n"
            "Backoff  job          3  1s      x2               -       -\n"
            "Capped   job          3  1s      x1.5 max 60s     -       -\n"
            "Jitter   job          3  1s      -                10%     -\n"
            "Root     job          3  1s      -                -       Backoff, Capped, Jitter\n");
}

TEST(JobListTest, ShowsTheRunsDefaultBackoffForJobsWithoutTheirOwn) {
  Harness h;
  h.defaults = {3, 1.0};
  h.defaults.retry_backoff = 3;
  h.defaults.retry_jitter = 0.25;
  // A job's own values win; with no backoff left in the graph, no columns.
  h.Add("Own").RetryBackoff(1, std::numeric_limits<double>::infinity()).RetryJitter(0);
  EXPECT_EQ(ListBelow(h, "Own"),
            "JOB  KIND     TRIES  DELAY   DEPS\n"
            "Own  job          3  1s      -\n");
  h.Add("Default");
  EXPECT_EQ(ListBelow(h, "Default"),
            "JOB      KIND     TRIES  DELAY   BACKOFF          JITTER  DEPS\n"
            "Default  job          3  1s      x3               25%     -\n");
}

}  // namespace
}  // namespace dojobber::core
