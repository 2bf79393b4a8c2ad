#include "core/saved_report.h"

#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "core/status_report.h"

namespace dojobber::core {
namespace {

Expected<SavedReport> Read(const std::string& json) {
  std::istringstream in(json);
  return ReadSavedReport(in);
}

// A version-1 report: F failed after two tries, L and Top blocked by it.
constexpr const char* kFailedRun = R"({"version": 1, "root": "Top", "roots": ["Top"],
  "success": false, "partial_success": true, "no_act": false, "interrupted": false,
  "exit_code": 1, "duration_s": 2.5, "seed": 7,
  "cleanup": {"ran": 0, "pending": 0, "skipped": 0, "failed_job": null, "error": null},
  "jobs": {
  "Fine": {"status": "ok", "tries": 1, "error": null, "deps": [], "duration_s": 0.5,
           "start_s": 0, "end_s": 0.5, "history": [{"try": 1, "start": 0, "end": 0.5,
           "error": null, "run_error": null}]},
  "F": {"status": "failed", "tries": 2, "error": "disk full", "run_error": "no space",
        "deps": [], "duration_s": 0.25, "start_s": 0.5, "end_s": 2.5,
        "history": [{"try": 1, "start": 0.5, "end": 0.6, "error": "first", "run_error": null},
                    {"try": 2, "start": 2.4, "end": 2.5, "error": "disk full",
                     "run_error": "no space"}]},
  "L": {"status": "blocked", "tries": 0, "error": null, "deps": ["Fine", "F"],
        "start_s": null, "end_s": null, "history": []},
  "Top": {"status": "blocked", "tries": 0, "error": null, "deps": ["L", "Fine"],
          "start_s": null, "end_s": null, "history": []}}})";

TEST(SavedReportTest, RebuildsTheGraphInRunOrderAndTheResult) {
  auto saved = Read(kFailedRun);
  ASSERT_TRUE(saved) << saved.message();
  const Graph& graph = *saved->graph;
  ASSERT_EQ(graph.size(), 4u);
  // Run order: depth-first post-order from the root, deps in their order;
  // not the JSON object's (sorted) key order.
  EXPECT_EQ(graph.name(0), "Fine");
  EXPECT_EQ(graph.name(1), "F");
  EXPECT_EQ(graph.name(2), "L");
  EXPECT_EQ(graph.name(3), "Top");
  const JobReport& failed = saved->result.jobs[1];
  EXPECT_EQ(failed.status, JobStatus::kFailed);
  EXPECT_EQ(failed.tries, 2);
  EXPECT_EQ(failed.error, "disk full");
  EXPECT_EQ(failed.run_error, "no space");
  ASSERT_EQ(failed.earlier_tries.size(), 1u);
  EXPECT_EQ(failed.earlier_tries[0].error, "first");
  EXPECT_DOUBLE_EQ(failed.last_start_s, 2.4);
  EXPECT_DOUBLE_EQ(failed.end_s, 2.5);
  EXPECT_FALSE(saved->result.success);
  EXPECT_TRUE(saved->result.partial_success);
  EXPECT_EQ(saved->result.seed, 7u);
  ASSERT_EQ(saved->result.root_causes.of(3).size(), 1u);
  EXPECT_EQ(saved->result.root_causes.of(3)[0], 1u);
}

TEST(SavedReportTest, StatusReportReadsAsTheRunsDid) {
  auto saved = Read(kFailedRun);
  ASSERT_TRUE(saved) << saved.message();
  std::ostringstream out;
  WriteStatusReport(out, *saved->graph, saved->result, {});
  EXPECT_EQ(out.str(),
            "JOB   STATUS    TRIES      TIME  DETAIL\n"
            "Fine  ok            1    0.500s\n"
            "F     failed        2    0.250s  disk full (Run failed: no space)\n"
            "L     blocked       0         -  blocked: F failed (disk full (Run failed: no "
            "space))\n"
            "Top   blocked       0         -  blocked: F failed (disk full (Run failed: no "
            "space))\n"
            "\n"
            "4 jobs: 1 ok, 0 changed, 1 failed, 2 blocked in 2.500s.\n"
            "Result: FAILED (partial success)\n");
}

TEST(SavedReportTest, AcceptsVersionTwoWithItsNewFields) {
  std::string report = kFailedRun;
  report.replace(report.find("\"version\": 1"), 12,
                 R"("version": 2, "schema": 2, "host": "h", "executor": "in-process")");
  auto saved = Read(report);
  ASSERT_TRUE(saved) << saved.message();
  EXPECT_EQ(saved->version, 2);
}

TEST(SavedReportTest, ReadsADryRunsPlan) {
  auto saved = Read(R"({"version": 1, "root": "B", "roots": ["B"], "no_act": true, "jobs": {
    "A": {"status": "failed", "plan": "would_run", "tries": 1, "error": "missing", "deps": []},
    "B": {"status": "blocked", "plan": "unknown", "tries": 0, "error": null, "deps": ["A"]}}})");
  ASSERT_TRUE(saved) << saved.message();
  ASSERT_TRUE(saved->plan);
  EXPECT_EQ(saved->plan->step(0), PlanStep::kWouldRun);
  EXPECT_EQ(saved->plan->step(1), PlanStep::kUnknown);
  // A plan its statuses cannot give is no report of a run.
  auto wrong = Read(R"({"version": 1, "roots": ["A"], "no_act": true, "jobs": {
    "A": {"status": "ok", "plan": "would_run", "tries": 1, "deps": []}}})");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.message(), "not a dojobber report (job 'A': plan does not match its status)");
}

TEST(SavedReportTest, RefusesWhatIsNoReport) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "not valid JSON"},
      {"{\"version\": 1,", "not valid JSON"},
      {"[1, 2]", "not a dojobber report (not a JSON object)"},
      {"{\"jobs\": {}}", "not a dojobber report (no \"version\")"},
      {"{\"version\": 3, \"jobs\": {}}",
       "unsupported report version 3 (this dojobber reads versions 1 and 2)"},
      {"{\"version\": 1, \"roots\": []}", "not a dojobber report (no \"jobs\" object)"},
      {"{\"version\": 1, \"jobs\": {}}", "not a dojobber report (no \"roots\")"},
      {R"({"version": 1, "roots": ["A"], "jobs": {"A": {"status": "ok", "tries": 1,
          "deps": ["Gone"]}}})",
       nullptr},
      {R"({"version": 1, "roots": ["A"], "jobs": {"A": {"status": "fine", "tries": 1,
          "deps": []}}})",
       "not a dojobber report (job 'A': unknown status 'fine')"},
      {R"({"version": 1, "roots": ["A"], "jobs": {"A": {"status": "ok", "deps": []}}})",
       "not a dojobber report (job 'A': no tries)"},
      {R"({"version": 1, "roots": ["A"], "jobs": {"A": {"status": "ok", "tries": 1}}})",
       "not a dojobber report (job 'A' has no deps)"},
      {R"({"version": 1, "roots": ["A"], "jobs": {"A": {"status": "failed", "tries": 1,
          "deps": [], "error": 3}}})",
       "not a dojobber report (job 'A': error is not a string)"},
  };
  for (const auto& [json, message] : cases) {
    auto saved = Read(json);
    ASSERT_FALSE(saved) << json;
    if (message != nullptr) {
      EXPECT_EQ(saved.message(), message) << json;
    } else {
      EXPECT_TRUE(saved.message().starts_with("not a dojobber report (")) << saved.message();
      EXPECT_NE(saved.message().find("Gone"), std::string::npos) << saved.message();
    }
  }
}

}  // namespace
}  // namespace dojobber::core
