// The checks of hardening_support.h can fail: each is shown a case it must
// reject, beside one it must accept.

#include "tests/e2e/hardening_support.h"

#include <gtest/gtest.h>

namespace dojobber::e2e {
namespace {

TEST(OrphanWatch, FindsAProcessThatOutlivesItsParent) {
  OrphanWatch watch;
  const ProcessResult result = RunProcess({"/bin/sh", "-c", "sleep 30 >/dev/null 2>&1 & exit 0"});
  ASSERT_EQ(result.exit_code, 0);
  EXPECT_EQ(watch.Leftovers(std::chrono::milliseconds(200)).size(), 1u);
}

TEST(OrphanWatch, FindsNothingWhenEveryProcessEnded) {
  OrphanWatch watch;
  const ProcessResult result = RunProcess({"/bin/sh", "-c", "sleep 0.1 & wait; exit 0"});
  ASSERT_EQ(result.exit_code, 0);
  EXPECT_TRUE(watch.Leftovers().empty());
}

TEST(TemporaryFiles, FindsOurTemporariesOnly) {
  TempDir dir;
  WriteFile(dir / "report.json", "{}");
  WriteFile(dir / ".dojobber-AbC123.tmp", "{");
  const std::vector<std::filesystem::path> found = TemporaryFiles(dir.path());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].filename(), ".dojobber-AbC123.tmp");
}

TEST(EndedWith, RejectsAPartialReport) {
  TempDir dir;
  ProcessResult result;
  result.exit_code = 0;
  WriteFile(dir / "report.json", "{\"jobs\": {\"A\": ");
  EXPECT_FALSE(EndedWith(result, 0, dir / "report.json"));
  WriteFile(dir / "report.json", "{\"jobs\": {}}");
  EXPECT_TRUE(EndedWith(result, 0, dir / "report.json"));
  EXPECT_FALSE(EndedWith(result, 1, dir / "report.json"));
}

TEST(EndedWith, AbsentReportPassesUnlessRequired) {
  TempDir dir;
  ProcessResult result;
  result.exit_code = 130;
  EXPECT_TRUE(EndedWith(result, 130, dir / "report.json"));
  EXPECT_FALSE(EndedWith(result, 130, dir / "report.json", /*report_required=*/true));
  result.timed_out = true;
  EXPECT_FALSE(EndedWith(result, 130));
}

TEST(IsRefusedLeavingNothing, RejectsAnyNewFile) {
  TempDir dir;
  const std::vector<std::string> before = dir.Entries();
  ProcessResult refused;
  refused.exit_code = 2;
  refused.err = "dojobber: --report: cannot write\n";
  EXPECT_TRUE(IsRefusedLeavingNothing(refused, dir, before, {"--report"}));
  WriteFile(dir / ".dojobber-x.tmp", "");
  EXPECT_FALSE(IsRefusedLeavingNothing(refused, dir, before, {"--report"}));
}

}  // namespace
}  // namespace dojobber::e2e
