#ifndef DOJOBBER_CORE_HTML_REPORT_H_
#define DOJOBBER_CORE_HTML_REPORT_H_

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"
#include "core/graph.h"
#include "core/json_report.h"
#include "core/run_result.h"
#include "core/saved_report.h"

namespace dojobber::core {

/// Rows of the HTML report's job table per page: the page builds only these,
/// however many jobs the report has.
inline constexpr std::size_t kHtmlPageSize = 100;

/// The chain of jobs that determined when the run ended, first job first:
/// from the tried job that ended last (its last try's end), repeatedly to
/// its tried dependency that ended last, until a job has none. Ties go to
/// the job earlier in run order. Empty when no job was tried. Linear in the
/// size of the graph.
std::vector<JobId> CriticalPath(const Graph& graph, const RunResult& result);

/// `text` with `&`, `<`, `>`, `"` and `'` as HTML character references:
/// safe in HTML text and in quoted attribute values.
std::string HtmlEscape(std::string_view text);

/// `json` (compact JSON text) made safe inside a `<script>` element: every
/// `<`, `>` and `&` (which JSON text holds only inside strings) as a \u
/// escape, so that no `</script>` or `<!--` ends or bends the element, and
/// JSON.parse still reads the same value.
std::string ScriptSafeJson(std::string_view json);

/// Writes the HTML report of a run (docs/report-format.md#html-report): one
/// self-contained page (inline CSS, JavaScript and SVG; no external URL)
/// with the run's summary and arguments, the graph coloured by status as
/// SVG (core/dot_render; above its size limits a note instead), a timeline
/// of the tries per worker with the critical path marked, and the job table
/// (paged, sortable, filterable) with each job's tries, errors and log.
/// The report's data is embedded once, as JSON in
/// `<script type="application/json" id="dojobber-data">`: `{"report": the
/// document, "order": [every job's name, in run order], "critical_path":
/// [names], "page_size": kHtmlPageSize}`; the
/// page's script builds everything else from it when opened.
void WriteHtmlReport(std::ostream& out, const SavedReport& report);

/// The HTML report of a run that just ended: its JSON report
/// (core::WriteJsonReport with `info`) read back and written as above, so
/// that `run --html` and `report --html` of its JSON report write the same
/// page. Fails only if the JSON report does not read back (a bug).
Status WriteHtmlReport(std::ostream& out, const Graph& graph, const RunResult& result,
                       const ReportInfo& info);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_HTML_REPORT_H_
