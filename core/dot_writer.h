#ifndef DOJOBBER_CORE_DOT_WRITER_H_
#define DOJOBBER_CORE_DOT_WRITER_H_

#include <cstddef>
#include <ostream>

#include "core/graph.h"
#include "core/run_result.h"

namespace dojobber::core {

/// Characters of a failed or blocked job's detail shown in its node's label,
/// and kept in its tooltip; longer ones are cut, ending in "…".
inline constexpr std::size_t kDotLabelDetail = 40;
inline constexpr std::size_t kDotTooltipDetail = 1000;

/// Writes the graph in Graphviz DOT: one node per job in post-order, an edge
/// from each job to each of its dependencies.
///
/// With a result, each node shows its job's final status: filled green ok,
/// darkgreen changed, red failed, dashed and unfilled blocked. The label of
/// a failed or blocked job adds a second line, the start of the status
/// report's detail (the error; a blocked job's root causes), and every
/// node's tooltip (shown by SVG viewers) says the status, the tries and the
/// whole detail. A cluster `cluster_legend` ("status") shows the four
/// statuses in their styles, in a row (nodes `legend: ok` and so on, with
/// more colons if a job has such a name). Text from jobs is escaped: one line each
/// (core::Printable), `&` as `&amp;` for Graphviz's entities.
void WriteDot(std::ostream& out, const Graph& graph, const RunResult* result = nullptr);

/// The size of what WriteDot writes: one node per job and one edge per
/// dependency, plus the legend's nodes and edges with a result.
struct DotSize {
  std::size_t nodes = 0;
  std::size_t edges = 0;
};
DotSize DotSizeOf(const Graph& graph, bool with_result);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_DOT_WRITER_H_
