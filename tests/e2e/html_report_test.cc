// `run --html` and `report --html`: the HTML report through the CLI.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The JSON embedded in the page's <script type="application/json">.
nlohmann::json EmbeddedData(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"dojobber-data\">";
  const std::size_t start = html.find(open);
  if (start == std::string::npos) {
    ADD_FAILURE() << "no embedded data";
    return {};
  }
  const std::size_t end = html.find("</script>", start);
  return nlohmann::json::parse(html.substr(start + open.size(), end - start - open.size()), nullptr,
                               false);
}

TEST(HtmlReportTest, RunWritesOnePageWithTheReportAndTheColouredGraph) {
  TempDir dir;
  const ProcessResult run = RunMovie("WatchMovie", {"-q", "--report", (dir / "m.json").string(),
                                                    "--html", (dir / "m.html").string()});
  ASSERT_EQ(run.exit_code, 1) << run.err;
  const std::string html = ReadFile(dir / "m.html");
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("<title>dojobber run: WatchMovie</title>"));
  // The JSON report, whole, once.
  const nlohmann::json data = EmbeddedData(html);
  EXPECT_EQ(data["report"], ReadJsonReport(dir / "m.json"));
  EXPECT_EQ(data["order"], nlohmann::json(MovieRunOrder()));
  // The graph, drawn: the failed jobs red.
  EXPECT_THAT(html, HasSubstr("<svg"));
  EXPECT_THAT(html, HasSubstr("<title>TurnOnTV</title>"));
  EXPECT_THAT(html, HasSubstr("fill=\"red\""));
  // Nothing left beside it.
  EXPECT_EQ(dir.Entries(), (std::vector<std::string>{"m.html", "m.json"}));
}

TEST(HtmlReportTest, ReportWritesTheSamePageFromTheSavedReport) {
  TempDir dir;
  const ProcessResult run = RunMovie("WatchMovie", {"-q", "--report", (dir / "m.json").string(),
                                                    "--html", (dir / "run.html").string()});
  ASSERT_EQ(run.exit_code, 1) << run.err;
  const ProcessResult report =
      RunDojobber({"report", (dir / "m.json").string(), "--html", (dir / "again.html").string()});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(report.out, "");
  EXPECT_EQ(ReadFile(dir / "again.html"), ReadFile(dir / "run.html"));
}

TEST(HtmlReportTest, AnUnwritablePathIsRefusedBeforeAnythingRuns) {
  TempDir dir;
  const std::string bad = (dir / "missing" / "r.html").string();
  const ProcessResult run = RunMovie("WatchMovie", {"--html", bad});
  EXPECT_TRUE(IsUsageError(run, {"cannot write " + bad + ": "})) << run.err;
  EXPECT_THAT(run.err, Not(HasSubstr("TurnOnTV")));
  WriteFile(dir / "r.json", "{}");
  const ProcessResult report = RunDojobber({"report", (dir / "r.json").string(), "--html", bad});
  EXPECT_TRUE(IsUsageError(report, {"cannot write " + bad + ": "})) << report.err;
  // --html and --report naming one file would overwrite each other.
  const ProcessResult same =
      RunMovie("WatchMovie", {"--html", (dir / "x").string(), "--report", (dir / "x").string()});
  EXPECT_TRUE(IsUsageError(same, {"--report and --html name the same file"})) << same.err;
  // Nor may `report` write over the report it reads.
  const std::filesystem::path saved = dir / "saved.json";
  ASSERT_EQ(RunMovie("WatchMovie", {"--report", saved.string()}).exit_code, 1);
  const std::string before = ReadFile(saved);
  for (const char* option : {"--html", "-o"}) {
    const ProcessResult over = RunDojobber({"report", saved.string(), option, saved.string()});
    EXPECT_TRUE(IsUsageError(over, {"the report and "})) << over.err;
    EXPECT_EQ(ReadFile(saved), before) << option;
  }
}

}  // namespace
}  // namespace dojobber::e2e
