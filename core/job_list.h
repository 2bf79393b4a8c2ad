#ifndef DOJOBBER_CORE_JOB_LIST_H_
#define DOJOBBER_CORE_JOB_LIST_H_

#include <ostream>

#include "core/graph.h"

namespace dojobber::core {

/// "job", "dummy" or "runonly".
const char* KindName(JobKind kind);

/// Writes one line per job, in post-order: name, kind, tries, retry delay,
/// backoff and jitter (when some job has them), resource hints (likewise)
/// and dependencies.
void WriteJobList(std::ostream& out, const Graph& graph);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_JOB_LIST_H_
