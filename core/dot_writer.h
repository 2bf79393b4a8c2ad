#ifndef DOJOBBER_CORE_DOT_WRITER_H_
#define DOJOBBER_CORE_DOT_WRITER_H_

#include <ostream>

#include "core/graph.h"
#include "core/run_result.h"

namespace dojobber::core {

/// Writes the graph in Graphviz DOT: one node per job in post-order, an edge
/// from each job to each of its dependencies. With a result, nodes are filled
/// by final status: green ok, darkgreen changed, red failed, unfilled blocked.
void WriteDot(std::ostream& out, const Graph& graph, const RunResult* result = nullptr);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_DOT_WRITER_H_
