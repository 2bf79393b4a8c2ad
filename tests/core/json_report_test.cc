#include "core/json_report.h"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::CheckThat;
using testing::Harness;

class JsonReportTest : public ::testing::Test {
 protected:
  // Root -> {Fixed (run fixes it), Broken (never passes)}; Root is blocked.
  void SetUp() override {
    h_.Add("Root").Deps({"Fixed", "Broken"});
    h_.Add("Fixed", {CheckThat([](Context& c) { return c.local().contains("done"); }),
                     [](Context& c) {
                       c.local()["done"] = true;
                       c.SetResult({{"path", "/etc/x"}, {"bytes", 3}});
                     },
                     [](Context&) {}});
    h_.Add("Broken", {CheckThat([](Context&) { return false; }, "disk \"full\"\nreally"), {}, {}});
    result_ = h_.Run("Root");
    ASSERT_FALSE(h_.failure);
  }

  nlohmann::json Report(ReportInfo info) {
    std::ostringstream out;
    WriteJsonReport(out, *h_.graph, result_, info);
    return nlohmann::json::parse(out.str());
  }

  Harness h_;
  RunResult result_;
};

TEST_F(JsonReportTest, HasTheVerdictAndCounts) {
  nlohmann::json report = Report({"Root", false, 1});
  EXPECT_EQ(report["version"], 1);
  EXPECT_EQ(report["root"], "Root");
  EXPECT_EQ(report["roots"], nlohmann::json::array({"Root"}));
  EXPECT_EQ(report["success"], false);
  EXPECT_EQ(report["partial_success"], true);
  EXPECT_EQ(report["no_act"], false);
  EXPECT_EQ(report["exit_code"], 1);
  EXPECT_EQ(report["counts"],
            (nlohmann::json{{"ok", 0}, {"changed", 1}, {"failed", 1}, {"blocked", 1}}));
  EXPECT_TRUE(report["duration_s"].is_number());
}

TEST_F(JsonReportTest, GivesEachTryInItsHistoryAndTheSeed) {
  result_.seed = 4242;
  nlohmann::json report = Report({"Root", false, 1});
  EXPECT_EQ(report["seed"], 4242);
  const nlohmann::json& broken = report["jobs"]["Broken"];
  ASSERT_EQ(broken["history"].size(), 3u) << broken;
  for (std::size_t n = 0; n < 3; ++n) {
    const nlohmann::json& entry = broken["history"][n];
    EXPECT_EQ(entry["try"], n + 1);
    EXPECT_EQ(entry["error"], "disk \"full\"\nreally");
    EXPECT_EQ(entry["run_error"], nullptr);
    EXPECT_LE(entry["start"].get<double>(), entry["end"].get<double>());
  }
  EXPECT_EQ(broken["history"][0]["start"], broken["start_s"]);
  EXPECT_EQ(broken["history"][2]["end"], broken["end_s"]);
  EXPECT_EQ(broken["run_error"], nullptr);
  EXPECT_EQ(broken["fatal"], false);
  EXPECT_EQ(report["jobs"]["Fixed"]["history"].size(), 1u);
  EXPECT_EQ(report["jobs"]["Root"]["history"], nlohmann::json::array());
}

TEST(JsonReportFieldsTest, RunErrorAndFatalComeFromTheJobsLastTry) {
  Harness h;
  h.Add("Root").Deps({"RunFailed", "Fatal"});
  h.Add("RunFailed", {CheckThat([](Context&) { return false; }, "no /x/etc"),
                      [](Context&) { throw Error("cannot create"); },
                      {}})
      .Tries(2);
  h.Add("Fatal", {[](Context&) { throw dojobber::Fatal("never"); }, {}, {}});
  RunResult result = h.Run("Root");
  std::ostringstream out;
  WriteJsonReport(out, *h.graph, result, {"Root", false, 1});
  const nlohmann::json jobs = nlohmann::json::parse(out.str())["jobs"];
  EXPECT_EQ(jobs["RunFailed"]["error"], "no /x/etc");
  EXPECT_EQ(jobs["RunFailed"]["run_error"], "cannot create");
  EXPECT_EQ(jobs["RunFailed"]["history"][0]["run_error"], "cannot create");
  EXPECT_EQ(jobs["RunFailed"]["fatal"], false);
  EXPECT_EQ(jobs["Fatal"]["fatal"], true);
  EXPECT_EQ(jobs["Fatal"]["tries"], 1);
}

TEST_F(JsonReportTest, DescribesEveryJob) {
  nlohmann::json jobs = Report({"Root", false, 1})["jobs"];
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs["Fixed"]["status"], "changed");
  EXPECT_EQ(jobs["Fixed"]["tries"], 1);
  EXPECT_TRUE(jobs["Fixed"]["error"].is_null());
  EXPECT_EQ(jobs["Fixed"]["result"], (nlohmann::json{{"path", "/etc/x"}, {"bytes", 3}}));
  EXPECT_EQ(jobs["Fixed"]["deps"], nlohmann::json::array());
  EXPECT_TRUE(jobs["Fixed"]["start_s"].is_number());
  EXPECT_EQ(jobs["Broken"]["status"], "failed");
  EXPECT_EQ(jobs["Broken"]["tries"], 3);
  EXPECT_EQ(jobs["Broken"]["error"], "disk \"full\"\nreally");
  EXPECT_TRUE(jobs["Broken"]["result"].is_null());
  EXPECT_EQ(jobs["Root"]["status"], "blocked");
  EXPECT_EQ(jobs["Root"]["tries"], 0);
  EXPECT_EQ(jobs["Root"]["deps"], (nlohmann::json{"Fixed", "Broken"}));
  EXPECT_TRUE(jobs["Root"]["start_s"].is_null());
  EXPECT_TRUE(jobs["Root"]["end_s"].is_null());
}

TEST_F(JsonReportTest, ListsJobsInRunOrder) {
  std::ostringstream out;
  WriteJsonReport(out, *h_.graph, result_, {"Root", false, 1});
  const std::string text = out.str();
  EXPECT_LT(text.find("\"Fixed\":{"), text.find("\"Broken\":{"));
  EXPECT_LT(text.find("\"Broken\":{"), text.find("\"Root\":{"));
}

TEST_F(JsonReportTest, ReportsCleanupOutcome) {
  nlohmann::json cleanup = Report({"Root", false, 1})["cleanup"];
  EXPECT_EQ(cleanup["ran"], 1);  // Only Fixed has a Cleanup.
  EXPECT_EQ(cleanup["pending"], 0);
  EXPECT_TRUE(cleanup["failed_job"].is_null());
  EXPECT_TRUE(cleanup["error"].is_null());
}

TEST(JsonReportPlanTest, ADryRunHasThePlanAndARealRunHasNone) {
  Harness h;
  h.Add("Root").Deps({"InPlace", "Drifted"});
  h.Add("InPlace");
  h.Add("Drifted", {CheckThat([](Context&) { return false; }), {}, {}});
  RunResult result = h.Run("Root", {.no_act = true});
  const DryRunPlan plan = DryRunPlan::Of(*h.graph, result);
  std::ostringstream out;
  WriteJsonReport(out, *h.graph, result, {"Root", true, 6, &plan});
  nlohmann::json report = nlohmann::json::parse(out.str());
  EXPECT_EQ(report["plan"],
            nlohmann::json::parse(R"({"ok": 1, "would_run": 1, "unknown": 1, "failed": 0})"));
  EXPECT_EQ(report["jobs"]["InPlace"]["plan"], "ok");
  EXPECT_EQ(report["jobs"]["Drifted"]["plan"], "would_run");
  EXPECT_EQ(report["jobs"]["Drifted"]["status"], "failed") << "statuses stay as they are";
  EXPECT_EQ(report["jobs"]["Root"]["plan"], "unknown");
  EXPECT_EQ(report["jobs"]["Root"]["status"], "blocked");
  EXPECT_EQ(report["counts"]["failed"], 1);

  std::ostringstream real;
  WriteJsonReport(real, *h.graph, result, {"Root", false, 1});
  nlohmann::json without = nlohmann::json::parse(real.str());
  EXPECT_FALSE(without.contains("plan"));
  EXPECT_FALSE(without["jobs"]["Root"].contains("plan"));
}

TEST(JsonReportNoCleanupTest, CleanupIsNullWhenItDidNotRun) {
  Harness h;
  h.Add("A");
  RunResult result = h.Run("A", {.no_act = true, .cleanup = false});
  std::ostringstream out;
  WriteJsonReport(out, *h.graph, result, {"A", true, 0});
  nlohmann::json report = nlohmann::json::parse(out.str());
  EXPECT_TRUE(report["cleanup"].is_null());
  EXPECT_EQ(report["no_act"], true);
  EXPECT_EQ(report["success"], true);
}

}  // namespace
}  // namespace dojobber::core

namespace dojobber::core {
namespace {

TEST(JsonReportInterruptTest, MarksTheRunAndTheUnsettledJobs) {
  testing::Harness h;
  std::stop_source stop;
  h.Add("Root").Deps({"First"});
  h.Add("First", {[&](Context&) { stop.request_stop(); }, {}, {}});
  h.Add("Never");
  RunResult result = h.Run("Root", {.stop = stop.get_token()});
  std::ostringstream out;
  WriteJsonReport(out, *h.graph, result, {"Root", false, 130});
  nlohmann::json report = nlohmann::json::parse(out.str());
  EXPECT_EQ(report["interrupted"], true);
  EXPECT_EQ(report["exit_code"], 130);
  EXPECT_EQ(report["jobs"]["First"]["interrupted"], false);
  EXPECT_EQ(report["jobs"]["Root"]["interrupted"], true);
  EXPECT_EQ(report["cleanup"]["skipped"], 0);
}

}  // namespace
}  // namespace dojobber::core
