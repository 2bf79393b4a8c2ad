// `dojobber list`: one line per job with its kind, tries, retry delay and
// dependencies.

#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

struct ListRow {
  std::string kind;
  std::string tries;
  std::string delay;
  std::string deps;
  bool operator==(const ListRow&) const = default;
};

void PrintTo(const ListRow& row, std::ostream* out) {
  *out << "{" << row.kind << ", " << row.tries << ", " << row.delay << ", " << row.deps << "}";
}

std::string Trim(const std::string& text) {
  const std::size_t first = text.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(' ') - first + 1);
}

// The rows of `dojobber list` output, by job name; columns found from the
// header line.
std::map<std::string, ListRow> ParseList(const std::string& out) {
  std::map<std::string, ListRow> rows;
  const std::vector<std::string> lines = Lines(out);
  if (lines.empty() || !lines[0].starts_with("JOB ")) {
    ADD_FAILURE() << "no list header in:\n" << out;
    return rows;
  }
  const std::string& header = lines[0];
  const std::size_t kind = header.find("KIND");
  const std::size_t tries = header.find("TRIES");
  const std::size_t delay = header.find("DELAY");
  const std::size_t deps = header.find("DEPS");
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.size() <= deps) {
      ADD_FAILURE() << "short list line: " << line;
      continue;
    }
    rows[Trim(line.substr(0, kind))] = {
        Trim(line.substr(kind, tries - kind)), Trim(line.substr(tries, delay - tries)),
        Trim(line.substr(delay, deps - delay)), Trim(line.substr(deps))};
  }
  return rows;
}

TEST(ListCommand, ShowsKindTriesDelayAndDepsOfEveryMovieJob) {
  const ProcessResult result = RunDojobber({"list", "--plugin", "movie"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  const std::map<std::string, ListRow> rows = ParseList(result.out);
  EXPECT_EQ(rows.size(), 20u);
  EXPECT_EQ(rows.at("PopcornBowl"), (ListRow{"job", "8", "0.001s", "-"}));
  EXPECT_EQ(rows.at("Popcorn"), (ListRow{"job", "5", "1s", "PopcornBowl"}));
  EXPECT_EQ(rows.at("Pizza"), (ListRow{"runonly", "3", "1s", "-"}));
  EXPECT_EQ(rows.at("FluffPillows"), (ListRow{"runonly", "3", "1s", "-"}));
  EXPECT_EQ(rows.at("Food"), (ListRow{"dummy", "3", "1s", "Popcorn, Pizza"}));
  EXPECT_EQ(rows.at("CleanCouch"), (ListRow{"job", "3", "1s", "-"}));
  EXPECT_EQ(rows.at("Invite Lawyer Cat"), (ListRow{"job", "3", "1s", "DetermineDetails"}));
  EXPECT_EQ(
      rows.at("InviteFriends"),
      (ListRow{"dummy", "3", "1s", "DetermineDetails, Invite Wendell Bagg, Invite Lawyer Cat"}));
  EXPECT_EQ(rows.at("StartMovie"),
            (ListRow{"job", "3", "1s",
                     "FriendsArrive, PrepareRoom, TurnOnTV, InsertDVD, SitOnCouch, Food"}));
}

TEST(ListCommand, RootLimitsTheList) {
  const ProcessResult result = RunDojobber({"list", "--plugin", "movie", "--root", "Food"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::map<std::string, ListRow> rows = ParseList(result.out);
  std::vector<std::string> names;
  for (const auto& [name, row] : rows) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"Food", "Pizza", "Popcorn", "PopcornBowl"}));
}

TEST(ListCommand, RootListsTheJobsInRunOrder) {
  const ProcessResult result = RunDojobber({"list", "--plugin", "movie", "--root", "WatchMovie"});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> names;
  const std::vector<std::string> lines = Lines(result.out);
  const std::size_t kind = lines.empty() ? 0 : lines[0].find("KIND");
  for (std::size_t i = 1; i < lines.size(); ++i) names.push_back(Trim(lines[i].substr(0, kind)));
  EXPECT_EQ(names, MovieRunOrder());
}

TEST(ListCommand, SdkSampleKindsFollowTheBaseClasses) {
  const ProcessResult result = RunDojobber({"list", "--plugin", TestPlugin("sdk_sample").string()});

  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::map<std::string, ListRow> rows = ParseList(result.out);
  EXPECT_EQ(rows.size(), 9u);
  EXPECT_EQ(rows.at("TurnOnTV"), (ListRow{"job", "3", "1s", "FindTVRemote"}));
  EXPECT_EQ(rows.at("Food"), (ListRow{"dummy", "3", "1s", "PopcornBowl, Pizza"}));
  EXPECT_EQ(rows.at("Pizza"), (ListRow{"runonly", "3", "1s", "-"}));
  EXPECT_EQ(rows.at("PopcornBowl"), (ListRow{"job", "8", "0.001s", "-"}));
  EXPECT_EQ(rows.at("Invite Ada"), (ListRow{"job", "3", "1s", "DetermineDetails"}));
  EXPECT_EQ(rows.at("Invite Grace"), (ListRow{"job", "3", "1s", "DetermineDetails"}));
  EXPECT_EQ(rows.at("Party"),
            (ListRow{"dummy", "3", "1s", "TurnOnTV, Food, Invite Ada, Invite Grace"}));
}

// Like `graph`, a listing that cannot be written is an output failure; the
// binary exits 0 and prints nothing.
TEST(ListCommand, StdoutWriteFailureExitsFour) {
  ProcessOptions options;
  options.stdout_path = "/dev/full";
  const ProcessResult result = RunDojobber({"list", "--plugin", "movie"}, options);

  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(Lines(result.err).size(), 1u) << result.err;
  EXPECT_THAT(result.err, ::testing::StartsWith("dojobber: "));
}

}  // namespace
}  // namespace dojobber::e2e
