#include "core/html_report.h"

#include <algorithm>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/dot_render.h"
#include "core/dot_writer.h"
#include "core/html_assets.h"

namespace dojobber::core {
namespace {

// The graph drawn as an inline <svg> element, or a note saying why it is
// not: beyond the size Graphviz lays out, or Graphviz failed.
std::string GraphSection(const SavedReport& report) {
  const DotSize size = DotSizeOf(*report.graph, /*with_result=*/true);
  if (Status fits = CheckRenderedSize(size.nodes, size.edges); !fits) {
    return "<p class=\"note\" id=\"graph-note\">The graph is not drawn: " +
           HtmlEscape(fits.message()) + ". The table and the timeline below have every job.</p>";
  }
  std::ostringstream dot;
  WriteDot(dot, *report.graph, &report.result);
  auto svg = RenderDot(dot.str(), RenderFormat::kSvg);
  if (!svg) {
    return "<p class=\"note\" id=\"graph-note\">The graph is not drawn: " +
           HtmlEscape(svg.message()) + "</p>";
  }
  // Inline SVG needs no XML declaration, doctype or comments: start at the
  // element itself.
  const std::size_t start = svg->find("<svg");
  return start == std::string::npos ? std::string() : svg->substr(start);
}

// `text` with each character of `table` replaced by its text.
std::string Replaced(std::string_view text,
                     std::initializer_list<std::pair<char, std::string_view>> table) {
  std::string replaced;
  replaced.reserve(text.size());
  for (char c : text) {
    const auto* found = std::find_if(table.begin(), table.end(),
                                     [c](const auto& entry) { return entry.first == c; });
    if (found == table.end()) {
      replaced += c;
    } else {
      replaced += found->second;
    }
  }
  return replaced;
}

// The template's text with each {{NAME}} replaced, in one pass, so that
// nothing substituted is looked at again.
std::string Fill(std::string_view page,
                 std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  std::string text;
  std::size_t at = 0;
  while (true) {
    const std::size_t open = page.find("{{", at);
    if (open == std::string_view::npos) break;
    const std::size_t close = page.find("}}", open);
    if (close == std::string_view::npos) break;
    const std::string_view name = page.substr(open + 2, close - open - 2);
    text.append(page.substr(at, open - at));
    bool known = false;
    for (const auto& [key, value] : values) {
      if (key == name) {
        text.append(value);
        known = true;
      }
    }
    if (!known) text.append(page.substr(open, close + 2 - open));
    at = close + 2;
  }
  text.append(page.substr(at));
  return text;
}

}  // namespace

std::vector<JobId> CriticalPath(const Graph& graph, const RunResult& result) {
  auto tried = [&result](JobId id) { return result.jobs[id].tries > 0; };
  std::optional<JobId> last;
  for (JobId id = 0; id < graph.size(); ++id) {
    if (tried(id) && (!last || result.jobs[id].end_s > result.jobs[*last].end_s)) last = id;
  }
  std::vector<JobId> path;
  while (last) {
    path.push_back(*last);
    std::optional<JobId> next;
    for (JobId dep : graph.deps(*last)) {
      if (!tried(dep)) continue;
      if (!next || result.jobs[dep].end_s > result.jobs[*next].end_s ||
          (result.jobs[dep].end_s == result.jobs[*next].end_s && dep < *next)) {
        next = dep;
      }
    }
    last = next;
  }
  return {path.rbegin(), path.rend()};
}

std::string HtmlEscape(std::string_view text) {
  return Replaced(text,
                  {{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"}, {'\'', "&#39;"}});
}

std::string ScriptSafeJson(std::string_view json) {
  return Replaced(json, {{'<', "\\u003c"}, {'>', "\\u003e"}, {'&', "\\u0026"}});
}

void WriteHtmlReport(std::ostream& out, const SavedReport& report) {
  nlohmann::json path = nlohmann::json::array();
  for (JobId id : CriticalPath(*report.graph, report.result)) {
    path.push_back(report.graph->name(id));
  }
  // Built as text around the document, not as a copy of it: a 100,000-job
  // report is tens of megabytes.
  // The report's `jobs` are in run order, which a JSON object need not keep
  // (nlohmann::json sorts its keys): the order is given once more.
  nlohmann::json order = nlohmann::json::array();
  for (JobId id = 0; id < report.graph->size(); ++id) order.push_back(report.graph->name(id));
  std::string data = "{\"critical_path\":" + path.dump() + ",\"order\":" +
                     order.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                     ",\"page_size\":" + std::to_string(kHtmlPageSize) + ",\"report\":";
  data += report.document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  data += '}';
  std::string title = "dojobber run";
  if (const auto root = report.document.find("root");
      root != report.document.end() && root->is_string()) {
    title += ": " + root->get<std::string>();
  }
  out << Fill(html_assets::kReportHtml, {{"TITLE", HtmlEscape(title)},
                                         {"STYLE", html_assets::kReportCss},
                                         {"GRAPH", GraphSection(report)},
                                         {"DATA", ScriptSafeJson(data)},
                                         {"SCRIPT", html_assets::kReportJs}});
}

Status WriteHtmlReport(std::ostream& out, const Graph& graph, const RunResult& result,
                       const ReportInfo& info) {
  std::stringstream json;
  WriteJsonReport(json, graph, result, info);
  auto saved = ReadSavedReport(json);
  if (!saved) return Failure{"the JSON report does not read back: " + saved.message()};
  WriteHtmlReport(out, *saved);
  return {};
}

}  // namespace dojobber::core
