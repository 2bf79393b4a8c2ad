#include "core/root_causes.h"

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/run_result.h"
#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::Harness;

// Root causes computed for `statuses` (by job name; jobs not named are ok) on
// the graph below `root`; returned as names per job.
class RootCausesTest : public ::testing::Test {
 protected:
  void Compute(std::string_view root, const std::map<std::string, JobStatus>& statuses) {
    auto built = h_.Build(root);
    ASSERT_TRUE(built.ok()) << built.message();
    graph_.emplace(std::move(*built));
    JobReport ok;
    ok.status = JobStatus::kOk;
    result_.jobs.assign(graph_->size(), ok);
    for (const auto& [name, status] : statuses) {
      const std::optional<JobId> id = graph_->Find(name);
      ASSERT_TRUE(id) << name;
      result_.jobs[*id].status = status;
    }
    causes_ = RootCauses::Compute(*graph_, result_);
  }
  std::vector<std::string> Of(std::string_view name) const {
    std::vector<std::string> names;
    for (JobId id : causes_.of(*graph_->Find(name))) names.push_back(graph_->name(id));
    return names;
  }
  bool More(std::string_view name) const { return causes_.more(*graph_->Find(name)); }

  Harness h_;
  std::optional<Graph> graph_;
  RunResult result_;
  RootCauses causes_;
};

constexpr JobStatus kFailed = JobStatus::kFailed;
constexpr JobStatus kBlocked = JobStatus::kBlocked;

TEST_F(RootCausesTest, FollowsAChainDownToTheFailedJob) {
  h_.Add("Top").Deps({"Middle"});
  h_.Add("Middle").Deps({"Good", "Broken"});
  h_.Add("Good");
  h_.Add("Broken");
  Compute("Top", {{"Top", kBlocked}, {"Middle", kBlocked}, {"Broken", kFailed}});
  EXPECT_EQ(Of("Top"), std::vector<std::string>{"Broken"});
  EXPECT_EQ(Of("Middle"), std::vector<std::string>{"Broken"});
  EXPECT_TRUE(Of("Broken").empty()) << "a failed job is its own cause";
  EXPECT_TRUE(Of("Good").empty());
  EXPECT_FALSE(More("Top"));
}

TEST_F(RootCausesTest, ListsEachCauseOnceInRunOrder) {
  // Two paths reach F1; F2 comes after F1 in run order although Y names it first.
  h_.Add("Root").Deps({"X", "Y"});
  h_.Add("X").Deps({"F1"});
  h_.Add("Y").Deps({"F2", "F1"});
  h_.Add("F1");
  h_.Add("F2");
  Compute("Root",
          {{"Root", kBlocked}, {"X", kBlocked}, {"Y", kBlocked}, {"F1", kFailed}, {"F2", kFailed}});
  EXPECT_EQ(Of("Root"), (std::vector<std::string>{"F1", "F2"}));
  EXPECT_EQ(Of("Y"), (std::vector<std::string>{"F1", "F2"}));
}

TEST_F(RootCausesTest, KeepsTheFirstTenAndKnowsThereAreMore) {
  std::vector<std::string> failed;
  std::map<std::string, JobStatus> statuses{
      {"Root", kBlocked}, {"Wide", kBlocked}, {"Narrow", kBlocked}};
  for (int i = 0; i < 12; ++i) {
    failed.push_back("F" + std::to_string(i));
    h_.Add(failed.back());
    statuses[failed.back()] = kFailed;
  }
  h_.Add("Wide").Deps(failed);
  h_.Add("Narrow").Deps({"F11"});
  h_.Add("Exact").Deps(std::vector<std::string>(failed.begin(), failed.begin() + 10));
  statuses["Exact"] = kBlocked;
  h_.Add("Root").Deps({"Wide", "Exact", "Narrow"});
  Compute("Root", statuses);
  const std::vector<std::string> first_ten(failed.begin(), failed.begin() + 10);
  EXPECT_EQ(Of("Wide"), first_ten);
  EXPECT_TRUE(More("Wide"));
  EXPECT_EQ(Of("Exact"), first_ten);
  EXPECT_FALSE(More("Exact")) << "exactly ten is not more";
  EXPECT_EQ(Of("Root"), first_ten) << "F10 and F11 are past the first ten";
  EXPECT_TRUE(More("Root"));
}

TEST_F(RootCausesTest, NoneWhenNothingFailed) {
  // An interrupted run: blocked jobs whose dependencies were never tried.
  h_.Add("Root").Deps({"Waiting"});
  h_.Add("Waiting");
  Compute("Root", {{"Root", kBlocked}, {"Waiting", kBlocked}});
  EXPECT_TRUE(Of("Root").empty());
  EXPECT_FALSE(More("Root"));
  EXPECT_TRUE(RootCauses().of(0).empty()) << "nothing computed";
}

}  // namespace
}  // namespace dojobber::core
