#include "core/dot_writer.h"

#include <string>

namespace dojobber::core {
namespace {

void AppendId(std::string& out, std::string_view name) {
  out += '"';
  for (char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  out += '"';
}

const char* NodeStyle(JobStatus status) {
  switch (status) {
    case JobStatus::kOk:
      return " [style=filled, fillcolor=green]";
    case JobStatus::kChanged:
      return " [style=filled, fillcolor=darkgreen, fontcolor=white]";
    case JobStatus::kFailed:
      return " [style=filled, fillcolor=red]";
    case JobStatus::kPending:
    case JobStatus::kBlocked:
      break;
  }
  return "";
}

}  // namespace

void WriteDot(std::ostream& out, const Graph& graph, const RunResult* result) {
  std::string text = "digraph dojobber {\n  node [shape=box];\n";
  for (JobId id = 0; id < graph.size(); ++id) {
    text += "  ";
    AppendId(text, graph.name(id));
    if (result) text += NodeStyle(result->jobs[id].status);
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
  text += "}\n";
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace dojobber::core
