#include "core/explain.h"

#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace dojobber::core {
namespace {

// Explains `job` from the report `json`; the text written, or the failure.
std::string Explained(const std::string& json, const std::string& job, bool* succeeded = nullptr) {
  std::istringstream in(json);
  std::ostringstream out;
  auto result = ExplainJob(in, job, out);
  if (!result) return "failure: " + result.message();
  if (succeeded != nullptr) *succeeded = *result;
  return out.str();
}

constexpr const char* kDiamond = R"({"version": 1, "jobs": {
  "F": {"status": "failed", "tries": 2, "error": "two\nlines", "deps": []},
  "Fine": {"status": "ok", "tries": 1, "error": null, "deps": []},
  "L": {"status": "blocked", "tries": 0, "error": null, "deps": ["Fine", "F"]},
  "R": {"status": "blocked", "tries": 0, "error": null, "deps": ["F"]},
  "Top": {"status": "blocked", "tries": 0, "error": null, "deps": ["L", "R", "Fine"],
          "interrupted": true}}})";

TEST(ExplainTest, WritesEachJobOnceAndSkipsSucceededOnes) {
  bool succeeded = true;
  EXPECT_EQ(Explained(kDiamond, "Top", &succeeded),
            "Top: blocked, 0 tries (interrupted)\n"
            "  L: blocked, 0 tries\n"
            "    F: failed, 2 tries: two\\nlines\n"
            "  R: blocked, 0 tries\n"
            "    F: (see above)\n");
  EXPECT_FALSE(succeeded);
  EXPECT_EQ(Explained(kDiamond, "Fine", &succeeded), "Fine: ok, 1 try\n");
  EXPECT_TRUE(succeeded);
}

// A dry run's report: each job reads as its plan step, as in the status
// table; what is followed stays the same.
TEST(ExplainTest, SpeaksOfThePlanInADryRunsReport) {
  const std::string report = R"({"version": 1, "jobs": {
    "Drifted": {"status": "failed", "plan": "would_run", "tries": 1, "error": "missing a",
                "deps": []},
    "Broken": {"status": "failed", "plan": "failed", "tries": 1, "error": "cannot create",
               "deps": []},
    "Fine": {"status": "ok", "plan": "ok", "tries": 1, "error": null, "deps": []},
    "Top": {"status": "blocked", "plan": "unknown", "tries": 0, "error": null,
            "deps": ["Fine", "Drifted", "Broken"]}}})";
  bool succeeded = true;
  EXPECT_EQ(Explained(report, "Top", &succeeded),
            "Top: unknown, 0 tries\n"
            "  Drifted: would run, 1 try: missing a\n"
            "  Broken: failed, 1 try: cannot create\n");
  EXPECT_FALSE(succeeded);
  EXPECT_EQ(Explained(report, "Fine", &succeeded), "Fine: ok, 1 try\n");
  EXPECT_TRUE(succeeded);
  EXPECT_EQ(Explained(R"({"version": 1, "jobs": {"A": {"status": "failed", "plan": "would run",
                      "tries": 1, "deps": []}}})",
                      "A"),
            "failure: not a dojobber report: job 'A': plan is not a plan step");
}

TEST(ExplainTest, ReadsVersionOneAndTwoAlike) {
  const std::string two = std::string(R"({"version": 2, "schema": 2,)") + (kDiamond + 15);
  EXPECT_EQ(Explained(two, "Top"), Explained(kDiamond, "Top"));
  EXPECT_THAT(Explained(two, "Top"), ::testing::Not(::testing::StartsWith("failure")));
}

TEST(ExplainTest, RefusesWhatIsNotAReport) {
  EXPECT_EQ(Explained("[1, 2", "A"), "failure: not valid JSON");
  EXPECT_EQ(Explained(R"({"version": 3, "jobs": {}})", "A"),
            "failure: not a dojobber report (no \"version\": 1 or 2)");
  EXPECT_EQ(Explained(R"({"jobs": {}})", "A"),
            "failure: not a dojobber report (no \"version\": 1 or 2)");
  EXPECT_EQ(Explained(kDiamond, "Nope"), "failure: no job 'Nope' in the report");
  EXPECT_EQ(
      Explained(R"({"version": 1, "jobs": {"A": {"status": "odd", "tries": 0, "deps": []}}})", "A"),
      "failure: not a dojobber report: job 'A': unknown status 'odd'");
  EXPECT_EQ(Explained(R"({"version": 1, "jobs": {"A": {"status": "blocked", "tries": 0,
                      "deps": ["B"]}}})",
                      "A"),
            "failure: not a dojobber report: job 'A' depends on 'B', which has no entry");
}

TEST(ExplainTest, DeepChainsKeepABoundedIndentation) {
  std::string json =
      R"({"version": 1, "jobs": {"J0": {"status": "failed", "tries": 1, "deps": []})";
  for (int i = 1; i <= 100; ++i) {
    json += ",\"J" + std::to_string(i) + R"(": {"status": "blocked", "tries": 0, "deps": ["J)" +
            std::to_string(i - 1) + "\"]}";
  }
  json += "}}";
  const std::string text = Explained(json, "J100");
  EXPECT_NE(text.find("\n" + std::string(64, ' ') + "J0: failed, 1 try\n"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace dojobber::core
