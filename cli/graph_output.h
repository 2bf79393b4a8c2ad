#ifndef DOJOBBER_CLI_GRAPH_OUTPUT_H_
#define DOJOBBER_CLI_GRAPH_OUTPUT_H_

#include <optional>
#include <string>

#include "core/atomic_file.h"
#include "core/dot_render.h"
#include "core/expected.h"
#include "core/graph.h"
#include "core/run_result.h"

namespace dojobber::cli {

/// The graph file of `graph -o`, `run --graph` and `run --dot`, in the format
/// its name's extension says (case aside): .dot or .gv (DOT text), .svg,
/// .png, .pdf (drawn in this process, core/dot_render.h). A name without an
/// extension (/dev/stdout, a pipe) gets DOT; `--dot` always does.
/// The help's words on the formats: "in the format of the name's extension:
/// .dot or .gv ..., .svg, .png, .pdf (drawn ... for at most N nodes and M
/// edges)".
std::string GraphFormatsHelp();

class GraphOutput {
 public:
  enum class Choice { kByExtension, kDot };

  /// Picks the format and opens the file (core::AtomicFile), so that both
  /// are checked before anything runs. Fails with one line that names the
  /// file: an unknown extension (starting with `option`), a path that cannot
  /// be written (as core::AtomicFile::Open says).
  static core::Expected<GraphOutput> Open(const std::string& option, const std::string& path,
                                          Choice choice = Choice::kByExtension);

  /// For a drawn format, refuses a graph beyond what is drawn
  /// (core::CheckRenderedSize of core::DotSizeOf); DOT is never refused.
  core::Status CheckSize(const core::Graph& graph, bool with_result) const;

  /// Writes the graph, coloured by `result` if there is one (core::WriteDot),
  /// into the file, uncommitted. Fails if Graphviz cannot draw it.
  core::Status Write(const core::Graph& graph, const core::RunResult* result);

  /// Puts the file in place (core::AtomicFile::Commit).
  core::Status Commit() { return file_.Commit(); }

 private:
  GraphOutput(std::string option, core::AtomicFile file, std::optional<core::RenderFormat> drawn)
      : option_(std::move(option)), file_(std::move(file)), drawn_(drawn) {}

  std::string option_;  // For messages.
  core::AtomicFile file_;
  std::optional<core::RenderFormat> drawn_;  // None: DOT text.
};

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_GRAPH_OUTPUT_H_
