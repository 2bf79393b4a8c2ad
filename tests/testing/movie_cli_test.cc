// The test kit agrees with the binary: for the movie example's scenarios, a
// run of movie.so through the kit gives each job the status, tries, error and
// root causes that `dojobber run` gives it for the same arguments (read from
// its JSON report), and the same `-v` phase lines.
//
// The binary runs with --default-retry-delay 0 to spare real time; the kit
// waits out its default 1 s delays on the fake clock. Retry delays change
// when tries start, never how they end.

#include <dojobber/testing.h>

#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::testing {
namespace {

struct Scenario {
  std::string name;
  Arguments::Keywords args;
  bool dry_run = false;
  int jobs = 1;
};

void PrintTo(const Scenario& scenario, std::ostream* out) { *out << scenario.name; }

std::vector<Scenario> Scenarios() {
  return {
      {"defaults", {}},
      {"all_ready", {{"battery_state", "charged"}, {"couch_space", "true"}}},
      {"unknown_movie", {{"movie", "Zardoz"}, {"battery_state", "charged"}}},
      {"popcorn_never_pops", {{"pop_success_try", "9"}, {"couch_space", "yes"}}},
      {"one_friend", {{"friends", "Ann <ann@example.com>"}, {"battery_state", "charged"}}},
      {"dry_run", {{"battery_state", "charged"}, {"couch_space", "true"}}, true},
      {"four_workers", {{"battery_state", "charged"}}, false, 4},
  };
}

class MovieLikeTheBinary : public ::testing::TestWithParam<Scenario> {};

// The command line of `scenario`, with its report in `report`.
std::vector<std::string> CommandLine(const Scenario& scenario, const std::string& report) {
  std::vector<std::string> args = {"run",
                                   "--plugin",
                                   e2e::MoviePlugin().string(),
                                   "--root",
                                   "WatchMovie",
                                   "--default-retry-delay",
                                   "0",
                                   "-v",
                                   "-j",
                                   std::to_string(scenario.jobs),
                                   "--report",
                                   report};
  if (scenario.dry_run) args.push_back("--no-act");
  for (const auto& [key, value] : scenario.args) {
    args.insert(args.end(), {"--arg", key + "=" + value});
  }
  return args;
}

TEST_P(MovieLikeTheBinary, GivesEachJobTheBinarysStatusTriesAndError) {
  const Scenario& scenario = GetParam();
  e2e::TempDir dir;
  const e2e::ProcessResult cli = e2e::RunDojobber(CommandLine(scenario, (dir / "r.json").string()));
  ASSERT_TRUE(cli.exit_code == 0 || cli.exit_code == 1) << cli.err;
  const nlohmann::json report = e2e::ReadJsonReport(dir / "r.json");

  const RunResult run =
      RunGraph(JobSource::Plugin(e2e::MoviePlugin()), {.roots = {"WatchMovie"},
                                                       .args = scenario.args,
                                                       .dry_run = scenario.dry_run,
                                                       .jobs = scenario.jobs});
  ASSERT_FALSE(run.error) << *run.error;
  EXPECT_EQ(run.success, report["success"].get<bool>());
  EXPECT_EQ(run.success, cli.exit_code == 0);
  ASSERT_EQ(run.jobs.size(), report["jobs"].size());
  for (const JobResult& job : run.jobs) {
    SCOPED_TRACE(job.name);
    const nlohmann::json& expected = report["jobs"][job.name];
    ASSERT_TRUE(expected.is_object()) << "not in the binary's report";
    EXPECT_EQ(StatusName(job.status), expected["status"].get<std::string>());
    EXPECT_EQ(job.tries, expected["tries"].get<int>());
    EXPECT_EQ(job.error, expected["error"].is_null()
                             ? std::nullopt
                             : std::optional<std::string>(expected["error"].get<std::string>()));
    EXPECT_EQ(nlohmann::json(job.blocked_by), expected["root_causes"]);
    // An invitation's message names the randomly picked time: compare whom.
    EXPECT_EQ(job.result.is_null(), expected["result"].is_null());
    if (!job.result.is_null()) {
      EXPECT_EQ(job.result["to"], expected["result"]["to"]);
    }
  }
  if (scenario.jobs == 1) {
    // One worker: the exact order of passes, line for line.
    std::string trace;
    for (const std::string& line : run.trace) trace += line + '\n';
    EXPECT_EQ(e2e::PhaseLines(trace), e2e::PhaseLines(cli.err));
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, MovieLikeTheBinary, ::testing::ValuesIn(Scenarios()),
                         [](const ::testing::TestParamInfo<Scenario>& scenario) {
                           return scenario.param.name;
                         });

TEST(MovieWithTheKit, RunsInTheBinarysOrder) {
  const RunResult run = RunGraph(JobSource::Plugin(e2e::MoviePlugin()), {.roots = {"WatchMovie"}});
  std::vector<std::string> names;
  for (const JobResult& job : run.jobs) names.push_back(job.name);
  EXPECT_EQ(names, e2e::MovieRunOrder());
}

TEST(MovieWithTheKit, InvitesWithTheTimeItPickedInGlobalStorage) {
  const RunResult run = RunGraph(JobSource::Plugin(e2e::MoviePlugin()),
                                 {.roots = {"InviteFriends"}, .args = {{"movie", "MST3K"}}});
  ASSERT_FALSE(run.error) << *run.error;
  const std::string start = run.global["Start-DateTime"].get<std::string>();
  EXPECT_EQ(run.job("Invite Lawyer Cat").result,
            nlohmann::json({{"to", "Lawyer Cat <lawyercat@example.com>"},
                            {"message", "Come and watch MST3K at " + start + " with me!"}}));
  EXPECT_THAT(run.trace, ::testing::Contains("[PickTimeAndDate] Picked " + start + "."));
}

}  // namespace
}  // namespace dojobber::testing
