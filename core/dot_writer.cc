#include "core/dot_writer.h"

#include <array>
#include <string>
#include <string_view>

#include "core/status_report.h"

namespace dojobber::core {
namespace {

// Appends `text` inside a DOT quoted string. `&` becomes `&amp;` where asked:
// Graphviz reads entities (`&lt;`) in labels and tooltips.
void AppendQuotedText(std::string& out, std::string_view text, bool entities) {
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '&' && entities) {
      out += "&amp;";
      continue;
    }
    out += c;
  }
}

void AppendId(std::string& out, std::string_view name) {
  out += '"';
  AppendQuotedText(out, name, false);
  out += '"';
}

// `text` if it has at most `max` characters (UTF-8, max >= 1), else its
// first max - 1 and "…".
std::string Shortened(std::string_view text, std::size_t max) {
  std::size_t characters = 0;
  std::size_t cut = 0;  // Where the character that "…" replaces starts.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // Inside a character.
    if (characters == max - 1) cut = i;
    if (++characters > max) return std::string(text.substr(0, cut)) + "…";
  }
  return std::string(text);
}

struct Style {
  JobStatus status;
  const char* attributes;
};

// Each final status's look, in the legend's order.
constexpr std::array<Style, 4> kStyles = {{
    {JobStatus::kOk, "style=filled, fillcolor=green"},
    {JobStatus::kChanged, "style=filled, fillcolor=darkgreen, fontcolor=white"},
    {JobStatus::kFailed, "style=filled, fillcolor=red"},
    {JobStatus::kBlocked, "style=dashed"},
}};

const char* Attributes(JobStatus status) {
  for (const Style& style : kStyles) {
    if (style.status == status) return style.attributes;
  }
  return kStyles.back().attributes;  // kPending: never tried, as a blocked job.
}

// What the tooltip says after the job's name: the status, the tries and the
// status report's detail (already one line).
std::string TooltipText(const JobReport& job, const std::string& detail) {
  if (job.status == JobStatus::kBlocked || job.status == JobStatus::kPending) {
    return detail.empty() ? "blocked" : detail;
  }
  std::string text = StatusName(job.status);
  text += ", " + std::to_string(job.tries) + (job.tries == 1 ? " try" : " tries");
  if (!detail.empty()) text += ": " + detail;
  return text;
}

void AppendNodeAttributes(std::string& out, const Graph& graph, const RunResult& result, JobId id) {
  const JobReport& job = result.jobs[id];
  const std::string detail = JobDetail(graph, result, id);
  out += " [";
  out += Attributes(job.status);
  if (!detail.empty()) {
    out += ", label=\"\\N\\n";
    AppendQuotedText(out, Shortened(detail, kDotLabelDetail), true);
    out += '"';
  }
  // The name written out: Graphviz 2.42 does not replace `\N` in a tooltip.
  out += ", tooltip=\"";
  AppendQuotedText(out, graph.name(id) + ": ", true);
  AppendQuotedText(out, Shortened(TooltipText(job, detail), kDotTooltipDetail), true);
  out += "\"]";
}

// Legend node ids that no job has: "legend: ok" and so on, with more colons
// if a job is called that.
std::string LegendPrefix(const Graph& graph) {
  std::string prefix = "legend:";
  for (;;) {
    bool taken = false;
    for (const Style& style : kStyles) {
      taken = taken || graph.Find(prefix + " " + StatusName(style.status)).has_value();
    }
    if (!taken) return prefix + " ";
    prefix += ':';
  }
}

// The legend: one node per status in a row, kept in order by invisible
// edges (dot lays out a row of unlinked nodes in any order).
void AppendLegend(std::string& out, const Graph& graph) {
  const std::string prefix = LegendPrefix(graph);
  out += "  subgraph \"cluster_legend\" {\n    label=\"status\";\n    {\n      rank=same;\n";
  for (const Style& style : kStyles) {
    out += "      ";
    AppendId(out, prefix + StatusName(style.status));
    out += " [label=\"";
    out += StatusName(style.status);
    out += "\", ";
    out += style.attributes;
    out += "];\n";
  }
  out += "     ";
  for (const Style& style : kStyles) {
    out += style.status == kStyles.front().status ? " " : " -> ";
    AppendId(out, prefix + StatusName(style.status));
  }
  out += " [style=invis];\n    }\n  }\n";
}

}  // namespace

void WriteDot(std::ostream& out, const Graph& graph, const RunResult* result) {
  std::string text = "digraph dojobber {\n  node [shape=box];\n";
  for (JobId id = 0; id < graph.size(); ++id) {
    text += "  ";
    AppendId(text, graph.name(id));
    if (result) AppendNodeAttributes(text, graph, *result, id);
    text += ";\n";
    for (JobId dep : graph.deps(id)) {
      text += "  ";
      AppendId(text, graph.name(id));
      text += " -> ";
      AppendId(text, graph.name(dep));
      text += ";\n";
    }
    if (text.size() >= (1 << 16)) {
      out.write(text.data(), static_cast<std::streamsize>(text.size()));
      text.clear();
    }
  }
  if (result) AppendLegend(text, graph);
  text += "}\n";
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

DotSize DotSizeOf(const Graph& graph, bool with_result) {
  DotSize size{graph.size() + (with_result ? kStyles.size() : 0),
               with_result ? kStyles.size() - 1 : 0};
  for (JobId id = 0; id < graph.size(); ++id) size.edges += graph.deps(id).size();
  return size;
}

}  // namespace dojobber::core
