#include "core/json_report.h"

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
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
  EXPECT_EQ(report["version"], 2);
  EXPECT_EQ(report["schema"], 2);
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

TEST_F(JsonReportTest, SaysWhatRanAndWhere) {
  const std::vector<std::string> argv = {"dojobber", "run", "--", "word"};
  const std::vector<std::string> positional = {"word"};
  const std::vector<ReportPlugin> plugins = {{"/opt/p/a.so", 3}, {"/opt/p/b.so", 3}};
  ReportInfo info{.root = "Root",
                  .exit_code = 1,
                  .dojobber_version = "9.8.7",
                  .host = "node7",
                  .command_line = argv,
                  .positional = positional,
                  .plugins = plugins,
                  .executor = "isolate",
                  .parallelism = 4};
  result_.started_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1500));
  result_.ended_at = result_.started_at + std::chrono::milliseconds(2);
  const nlohmann::json report = Report(info);
  EXPECT_EQ(report["dojobber_version"], "9.8.7");
  EXPECT_EQ(report["host"], "node7");
  EXPECT_EQ(report["command_line"], nlohmann::json(argv));
  EXPECT_EQ(report["positional"], nlohmann::json(positional));
  EXPECT_EQ(report["plugins"], nlohmann::json::parse(R"([{"path":"/opt/p/a.so","abi":3},
                                                          {"path":"/opt/p/b.so","abi":3}])"));
  EXPECT_EQ(report["executor"], "isolate");
  EXPECT_EQ(report["parallelism"], 4);
  EXPECT_EQ(report["log_lines_kept"], LogTails::kKept);
  EXPECT_EQ(report["started_at"], "1970-01-01T00:00:01.500Z");
  EXPECT_EQ(report["ended_at"], "1970-01-01T00:00:01.502Z");
}

TEST_F(JsonReportTest, GivesEachTrysPhasesAndWorker) {
  const nlohmann::json report = Report({"Root", false, 1});
  const nlohmann::json& broken = report["jobs"]["Broken"]["history"];
  ASSERT_EQ(broken.size(), 3u);
  for (const nlohmann::json& entry : broken) {
    EXPECT_EQ(entry["check"], "failed") << entry;
    EXPECT_EQ(entry["run"], "passed") << entry;
    EXPECT_EQ(entry["recheck"], "failed") << entry;
    EXPECT_THAT(entry["worker"].get<std::string>(), ::testing::StartsWith("thread "));
    EXPECT_EQ(entry["fatal"], false);
    EXPECT_EQ(entry["timed_out"], false);
  }
  const nlohmann::json& fixed = report["jobs"]["Fixed"]["history"][0];
  EXPECT_EQ(fixed["recheck"], "passed");
  EXPECT_EQ(report["jobs"]["Root"]["kind"], "job");
}

TEST_F(JsonReportTest, AWorkerNotKnownIsNull) {
  result_.jobs[*h_.graph->Find("Fixed")].last_try.worker = 0;
  EXPECT_EQ(Report({"Root", false, 1})["jobs"]["Fixed"]["history"][0]["worker"], nullptr);
}

TEST_F(JsonReportTest, GivesEachJobItsCleanupOrNull) {
  const nlohmann::json report = Report({"Root", false, 1});
  EXPECT_EQ(report["jobs"]["Fixed"]["cleanup"],
            nlohmann::json::parse(R"({"outcome":"ok","error":null})"));
  EXPECT_EQ(report["jobs"]["Broken"]["cleanup"], nullptr);
  result_.cleanup->failure = CleanupReport::FailedCleanup{*h_.graph->Find("Fixed"), 1, "stuck"};
  result_.cleanup->jobs[*h_.graph->Find("Fixed")] = CleanupOutcome::kFailed;
  EXPECT_EQ(Report({"Root", false, 3})["jobs"]["Fixed"]["cleanup"],
            nlohmann::json::parse(R"({"outcome":"failed","error":"stuck"})"));
}

TEST(JsonReportLogTest, KeepsTheLastLinesOfEachJobWithTheirTries) {
  Harness h;
  h.Add("Talker", {CheckThat([](Context& ctx) {
                     for (int i = 0; i < 60; ++i) ctx.log() << "line " << i << "\n";
                     return false;
                   }),
                   {},
                   {}})
      .Tries(2);
  RunResult result = h.Run("Talker", {}, nullptr);
  std::ostringstream out;
  WriteJsonReport(out, *h.graph, result, {"Talker", false, 1});
  const nlohmann::json job = nlohmann::json::parse(out.str())["jobs"]["Talker"];
  // Two tries of 120 lines each (Check and recheck): the last 50 are kept.
  ASSERT_EQ(job["log"].size(), LogTails::kKept) << job["log"];
  EXPECT_EQ(job["log_dropped"], 4 * 60 - 50);
  EXPECT_EQ(job["log"][0], nlohmann::json::parse(R"({"try":2,"line":"line 10"})"));
  EXPECT_EQ(job["log"][49], nlohmann::json::parse(R"({"try":2,"line":"line 59"})"));
}

}  // namespace
}  // namespace dojobber::core
