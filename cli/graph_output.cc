#include "cli/graph_output.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>
#include <utility>

#include "core/dot_writer.h"

namespace dojobber::cli {
namespace {

// The drawn format `path`'s extension names (none for DOT), or why it
// names none.
core::Expected<std::optional<core::RenderFormat>> FormatOf(const std::string& option,
                                                           const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension.empty() || extension == ".dot" || extension == ".gv") {
    return std::optional<core::RenderFormat>();
  }
  for (core::RenderFormat format :
       {core::RenderFormat::kSvg, core::RenderFormat::kPng, core::RenderFormat::kPdf}) {
    if (extension == std::string(".") + core::RenderFormatName(format)) {
      return std::optional<core::RenderFormat>(format);
    }
  }
  return core::Failure{option + ": '" + path + "' ends in " + extension +
                       ", which is not a graph format (known: .dot, .gv, .svg, .png, .pdf)"};
}

}  // namespace

std::string GraphFormatsHelp() {
  return "in the format of the name's extension: .dot or .gv (DOT; also a name without one), "
         ".svg, .png, .pdf (drawn by Graphviz's library, for at most " +
         std::to_string(core::kMaxRenderedNodes) + " nodes and " +
         std::to_string(core::kMaxRenderedEdges) + " edges)";
}

core::Expected<GraphOutput> GraphOutput::Open(const std::string& option, const std::string& path,
                                              Choice choice) {
  std::optional<core::RenderFormat> drawn;
  if (choice == Choice::kByExtension) {
    auto format = FormatOf(option, path);
    if (!format) return format.failure();
    drawn = *format;
  }
  auto file = core::AtomicFile::Open(path);
  if (!file) return file.failure();
  return GraphOutput(option, std::move(*file), drawn);
}

core::Status GraphOutput::CheckSize(const core::Graph& graph, bool with_result) const {
  if (!drawn_) return {};
  const core::DotSize size = core::DotSizeOf(graph, with_result);
  if (core::Status fits = core::CheckRenderedSize(size.nodes, size.edges); !fits) {
    return core::Failure{option_ + " " + file_.target().string() + ": " + fits.message()};
  }
  return {};
}

core::Status GraphOutput::Write(const core::Graph& graph, const core::RunResult* result) {
  if (!drawn_) {
    core::WriteDot(file_.stream(), graph, result);
    return {};
  }
  std::ostringstream dot;
  core::WriteDot(dot, graph, result);
  auto drawing = core::RenderDot(dot.str(), *drawn_);
  if (!drawing) {
    return core::Failure{option_ + " " + file_.target().string() + ": " + drawing.message()};
  }
  file_.stream().write(drawing->data(), static_cast<std::streamsize>(drawing->size()));
  return {};
}

}  // namespace dojobber::cli
