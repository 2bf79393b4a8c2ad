// The HTML report in a real browser: headless Chromium (Debian's `chromium`,
// scripts/install-deps.sh) opens the movie's report, runs its script, and
// the DOM it then holds is checked; a screenshot is kept for people.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

using ::testing::HasSubstr;

constexpr const char* kChromium = "/usr/bin/chromium";

// Chromium on `page` with `extra` options, bounded in time. Without the
// background-networking options it waits on a network that is not there.
ProcessResult Chromium(const std::filesystem::path& page, std::vector<std::string> extra) {
  TempDir profile;
  std::vector<std::string> argv = {kChromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-quic",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--user-data-dir=" + profile.path().string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back("file://" + page.string());
  ProcessOptions options;
  options.timeout = std::chrono::seconds(90);
  return RunProcess(argv, options);
}

TEST(HtmlBrowserTest, MovieReportShowsEveryJobInChromium) {
  if (!std::filesystem::exists(kChromium)) {
    GTEST_SKIP() << "no " << kChromium << " (scripts/install-deps.sh installs it)";
  }
  TempDir dir;
  const ProcessResult run = RunMovie("WatchMovie", {"-q", "--report", (dir / "movie.json").string(),
                                                    "--html", (dir / "movie.html").string()});
  ASSERT_EQ(run.exit_code, 1) << run.err;
  const nlohmann::json report = ReadJsonReport(dir / "movie.json");

  const ProcessResult dom = Chromium(dir / "movie.html", {"--dump-dom"});
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  // The script ran to its end...
  EXPECT_THAT(dom.out, HasSubstr("<body data-ready=\"true\">"));
  // ...and built a row per job, with its status, in run order, and made
  // each graph node clickable.
  std::size_t last = 0;
  for (const std::string& name : MovieRunOrder()) {
    const std::string status = report["jobs"][name]["status"];
    const std::string row = "<tr data-job=\"" + name + "\" data-status=\"" + status + "\"";
    const std::size_t at = dom.out.find(row);
    ASSERT_NE(at, std::string::npos) << row;
    EXPECT_GT(at, last) << name << " out of run order";
    last = at;
    // The graph's node: the script marked the <g> whose title is the job.
    const std::size_t node = dom.out.find("class=\"node");
    const std::size_t marked = dom.out.find("\" data-job=\"" + name + "\">", node);
    ASSERT_NE(marked, std::string::npos) << name << " has no marked graph node";
    EXPECT_EQ(dom.out.find("<title>", marked), dom.out.find("<title>" + name + "</title>", marked))
        << name;
  }
  // The failed jobs' errors in their rows, and the first one opened.
  EXPECT_THAT(dom.out, HasSubstr("<td class=\"detail error\">Remote batteries are dead.</td>"));
  EXPECT_THAT(dom.out, HasSubstr("<td class=\"detail error\">No space on couch.</td>"));
  EXPECT_THAT(dom.out, HasSubstr("<h3 id=\"job-name\">TurnOnTV</h3>"));
  EXPECT_THAT(dom.out, HasSubstr("<pre class=\"error\" id=\"job-error\">Remote batteries are "
                                 "dead.</pre>"));
  EXPECT_THAT(dom.out, HasSubstr("20 of 20 jobs shown"));
  EXPECT_THAT(dom.out, HasSubstr("FAILED (partial success)"));

  const std::filesystem::path shot = TestOutputDir("html-browser") / "movie-report.png";
  std::filesystem::remove(shot);
  const ProcessResult picture =
      Chromium(dir / "movie.html", {"--screenshot=" + shot.string(), "--window-size=1400,1000"});
  ASSERT_EQ(picture.exit_code, 0) << picture.err;
  ASSERT_TRUE(std::filesystem::exists(shot)) << picture.err;
  EXPECT_TRUE(ReadFile(shot).starts_with("\x89PNG"));
  std::cout << "screenshot: " << shot.string() << std::endl;
}

}  // namespace
}  // namespace dojobber::e2e
