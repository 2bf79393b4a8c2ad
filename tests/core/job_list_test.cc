#include "core/job_list.h"

#include <sstream>

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

TEST(JobListTest, ShowsKindTriesDelayAndDepsInRunOrder) {
  Harness h;
  h.defaults = {3, 1.0};
  h.AddType<Group>("Root").Deps({"Bowl", "Pizza"});
  h.Add("Bowl").Tries(8).RetryDelay(0.001);
  h.AddType<Once>("Pizza");
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok());
  std::ostringstream out;
  WriteJobList(out, *graph);
  EXPECT_EQ(out.str(),
            "JOB    KIND     TRIES  DELAY   DEPS\n"
            "Bowl   job          8  0.001s  -\n"
            "Pizza  runonly      3  1s      -\n"
            "Root   dummy        3  1s      Bowl, Pizza\n");
}

TEST(JobListTest, ShowsResourceHintsWhenAJobHasThem) {
  Harness h;
  h.defaults = {3, 1.0};
  h.Add("Root").Deps({"Heavy"});
  h.Add("Heavy").Cpus(2).MemoryMiB(4096);
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok());
  std::ostringstream out;
  WriteJobList(out, *graph);
  EXPECT_EQ(out.str(),
            "JOB    KIND     TRIES  DELAY   CPUS  MEM        DEPS\n"
            "Heavy  job          3  1s      2     4096 MiB   -\n"
            "Root   job          3  1s      -     -          Heavy\n");
}

}  // namespace
}  // namespace dojobber::core
