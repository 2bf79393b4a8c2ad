#ifndef DOJOBBER_CORE_EXPLAIN_H_
#define DOJOBBER_CORE_EXPLAIN_H_

#include <istream>
#include <ostream>
#include <string_view>

#include "core/expected.h"

namespace dojobber::core {

/// Reads a JSON report (docs/report-format.md) from `report` and writes why
/// `job` ended as it did: one line per job, `Name: status, N tries` and the
/// error if any, starting with `job` and going down, one indentation level
/// (two spaces, at most 32 levels) per hop, through the dependencies that did
/// not succeed to the jobs at the root of the blockage (the failed ones). A
/// job reached a second time is written as `Name: (see above)`. In a dry
/// run's report a job's `plan` stands for its status, in the status table's
/// words (`would run`, `unknown`). Linear in the size of the report; nothing
/// recurses.
///
/// Returns whether `job` succeeded (`ok` or `changed`), or a Failure when
/// the report is not valid JSON, is not a version-1 report, lacks `job`, or
/// an entry on the way is malformed, its `plan` too (nothing is written then).
Expected<bool> ExplainJob(std::istream& report, std::string_view job, std::ostream& out);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_EXPLAIN_H_
