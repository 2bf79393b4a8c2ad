#include "core/html_report.h"

#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/dot_render.h"

namespace dojobber::core {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

SavedReport Read(const json& report) {
  std::istringstream in(report.dump());
  auto saved = ReadSavedReport(in);
  EXPECT_TRUE(saved) << saved.message();
  return std::move(*saved);
}

std::string Html(const json& report) {
  std::ostringstream out;
  WriteHtmlReport(out, Read(report));
  return out.str();
}

// A job entry of a version-1 report: tried when `end` >= 0.
json Job(const std::string& status, std::vector<std::string> deps, double start = -1,
         double end = -1, const char* error = nullptr) {
  json job = {{"status", status},
              {"tries", end >= 0 ? 1 : 0},
              {"error", error ? json(error) : json()},
              {"deps", deps},
              {"start_s", end >= 0 ? json(start) : json()},
              {"end_s", end >= 0 ? json(end) : json()},
              {"history", json::array()}};
  if (end >= 0) {
    job["history"].push_back({{"try", 1},
                              {"start", start},
                              {"end", end},
                              {"error", job["error"]},
                              {"run_error", nullptr}});
  }
  return job;
}

json Report(json jobs, std::vector<std::string> roots) {
  return {{"version", 1},   {"root", roots.front()}, {"roots", roots},         {"success", false},
          {"exit_code", 1}, {"duration_s", 3.0},     {"jobs", std::move(jobs)}};
}

// The JSON inside <script type="application/json" id="dojobber-data">.
json EmbeddedData(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"dojobber-data\">";
  const std::size_t start = html.find(open);
  EXPECT_NE(start, std::string::npos);
  const std::size_t end = html.find("</script>", start);
  EXPECT_NE(end, std::string::npos);
  return json::parse(html.substr(start + open.size(), end - start - open.size()));
}

std::size_t Count(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

TEST(CriticalPathTest, FollowsTheDependencyThatEndedLastFromTheJobThatEndedLast) {
  // A(0-1) and B(0-2) feed C(2-3); D(0-5) is independent and ends last...
  json jobs = {{"A", Job("ok", {}, 0, 1)},
               {"B", Job("ok", {}, 0, 2)},
               {"C", Job("changed", {"A", "B"}, 2, 3)},
               {"D", Job("ok", {}, 0, 5)},
               {"Top", Job("blocked", {"C", "D"})}};
  SavedReport saved = Read(Report(jobs, {"Top"}));
  auto names = [&saved](const std::vector<JobId>& ids) {
    std::vector<std::string> out;
    for (JobId id : ids) out.push_back(saved.graph->name(id));
    return out;
  };
  // ...so the path is D alone: the blocked root was never tried.
  EXPECT_EQ(names(CriticalPath(*saved.graph, saved.result)), std::vector<std::string>{"D"});
  jobs["D"] = Job("ok", {}, 0, 2.5);
  jobs["E"] = Job("failed", {"C"}, 3, 4, "broke");
  jobs["Top"]["deps"] = {"E", "D"};
  SavedReport chained = Read(Report(jobs, {"Top"}));
  std::vector<std::string> path;
  for (JobId id : CriticalPath(*chained.graph, chained.result)) {
    path.push_back(chained.graph->name(id));
  }
  EXPECT_EQ(path, (std::vector<std::string>{"B", "C", "E"}));
}

TEST(CriticalPathTest, IsEmptyWhenNothingWasTried) {
  SavedReport saved = Read(Report({{"A", Job("blocked", {})}}, {"A"}));
  EXPECT_TRUE(CriticalPath(*saved.graph, saved.result).empty());
}

TEST(HtmlReportTest, EscapesWhatTheJobsWroteEverywhere) {
  const std::string evil = "</script><script>alert('x')</script><!-- & \u2028 <b>";
  json jobs = {{"Evil</script>", Job("failed", {}, 0, 1, evil.c_str())}};
  jobs["Evil</script>"]["result"] = {{"html", "</SCRIPT>"}};
  const std::string html = Html(Report(jobs, {"Evil</script>"}));
  // Only the page's own two script elements end: nothing the job wrote does.
  EXPECT_EQ(Count(html, "</script>"), 2u);
  EXPECT_THAT(html, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(html, Not(HasSubstr("</SCRIPT>")));
  EXPECT_THAT(html, Not(HasSubstr("<!-- &")));
  EXPECT_THAT(html, HasSubstr("<title>dojobber run: Evil&lt;/script&gt;</title>"));
  // And the data reads back the same.
  const json data = EmbeddedData(html);
  EXPECT_EQ(data["report"]["jobs"]["Evil</script>"]["error"], evil);
  EXPECT_EQ(data["report"]["jobs"]["Evil</script>"]["result"]["html"], "</SCRIPT>");
  EXPECT_EQ(data["order"], json::array({"Evil</script>"}));
}

TEST(HtmlReportTest, EscapingHelpers) {
  EXPECT_EQ(HtmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(ScriptSafeJson(R"({"a":"</script>&"})"), R"({"a":"\u003c/script\u003e\u0026"})");
  EXPECT_EQ(json::parse(ScriptSafeJson(R"({"a":"</script>&"})"))["a"], "</script>&");
}

TEST(HtmlReportTest, EmbedsTheReportOnceWithRunOrderAndPaging) {
  json jobs = {{"Zeta", Job("ok", {}, 0, 1)},
               {"Alpha", Job("failed", {"Zeta"}, 1, 2, "no luck")},
               {"Mid", Job("blocked", {"Alpha"})}};
  const json report = Report(jobs, {"Mid"});
  const std::string html = Html(report);
  const json data = EmbeddedData(html);
  EXPECT_EQ(data["report"], report);
  EXPECT_EQ(data["order"], json::array({"Zeta", "Alpha", "Mid"}));
  EXPECT_EQ(data["page_size"], kHtmlPageSize);
  EXPECT_EQ(data["critical_path"], json::array({"Zeta", "Alpha"}));
  // The rows are the script's, a page at a time: the page itself holds
  // only the table's header row, however many jobs there are.
  EXPECT_EQ(Count(html, "<tr"), 1u);
  // The page's own parts: pager, table, timeline canvas.
  for (const char* part : {"id=\"next-page\"", "id=\"job-rows\"", "<canvas id=\"timeline\"",
                           "id=\"status-filters\""}) {
    EXPECT_THAT(html, HasSubstr(part));
  }
}

TEST(HtmlReportTest, DrawsTheGraphColouredByStatusWithinTheLimits) {
  json jobs = {{"Good", Job("ok", {}, 0, 1)}, {"Bad", Job("failed", {"Good"}, 1, 2, "no")}};
  const std::string html = Html(Report(jobs, {"Bad"}));
  EXPECT_THAT(html, HasSubstr("<svg"));
  EXPECT_THAT(html, HasSubstr("<title>Bad</title>"));
  EXPECT_THAT(html, HasSubstr("fill=\"red\""));
  EXPECT_THAT(html, HasSubstr("fill=\"green\""));
  EXPECT_THAT(html, Not(HasSubstr("<?xml")));
  EXPECT_THAT(html, Not(HasSubstr("id=\"graph-note\"")));
}

TEST(HtmlReportTest, NotesTheGraphInsteadOfDrawingItBeyondTheLimits) {
  json jobs = json::object();
  std::vector<std::string> all;
  for (std::size_t i = 0; i < kMaxRenderedNodes + 1; ++i) {
    const std::string name = "J" + std::to_string(i);
    jobs[name] = Job("ok", {}, 0, 1);
    all.push_back(name);
  }
  jobs["Top"] = Job("ok", all, 1, 2);
  const std::string html = Html(Report(jobs, {"Top"}));
  EXPECT_THAT(html, Not(HasSubstr("<svg")));
  EXPECT_THAT(html, HasSubstr("id=\"graph-note\">The graph is not drawn: "));
  EXPECT_EQ(EmbeddedData(html)["order"].size(), kMaxRenderedNodes + 2);
}

TEST(HtmlReportTest, NeedsNothingFromTheNetwork) {
  const std::string html =
      Html(Report({{"A", Job("ok", {}, 0, 1)}, {"B", Job("ok", {"A"}, 1, 2)}}, {"B"}));
  for (const char* fetched : {"src=", "<link", "url(", "@import", "href=\"http"}) {
    EXPECT_THAT(html, Not(HasSubstr(fetched))) << fetched;
  }
}

TEST(HtmlReportTest, KeepsVersionTwoFieldsForThePage) {
  json report = Report({{"A", Job("failed", {}, 0, 1, "bad")}}, {"A"});
  report["version"] = 2;
  report["schema"] = 2;
  report["executor"] = "isolate";
  report["jobs"]["A"]["log"] = json::array({{{"try", 1}, {"line", "hello <there>"}}});
  report["jobs"]["A"]["history"][0]["worker"] = "pid 42";
  const json data = EmbeddedData(Html(report));
  EXPECT_EQ(data["report"]["jobs"]["A"]["log"][0]["line"], "hello <there>");
  EXPECT_EQ(data["report"]["jobs"]["A"]["history"][0]["worker"], "pid 42");
  EXPECT_EQ(data["report"]["executor"], "isolate");
}

}  // namespace
}  // namespace dojobber::core
