#ifndef DOJOBBER_CORE_TRACE_WRITER_H_
#define DOJOBBER_CORE_TRACE_WRITER_H_

#include <mutex>
#include <ostream>
#include <string>

#include "core/run_observer.h"

namespace dojobber::core {

struct TraceOptions {
  bool verbose = false;  ///< One line per phase: `Name.check: pass`.
  bool debug = false;    ///< Verbose, plus each failure's type and message.
  bool job_logs = true;  ///< Jobs' own lines, as `[Name] line`.
};

/// Writes the run's trace to a stream, one whole line per write, in the exact
/// format users grep:
///
///     Name.check: pass | Name.check: fail
///     Name.run: pass   | Name.run: fail
///     Name.recheck: pass | Name.recheck: fail "message"
///     Name.cleanup: pass | Name.cleanup: fail "message"   (jobs with a Cleanup)
///
/// In debug mode each failure adds `    <type>: <message>` under its line.
/// Messages stay on one line: newlines are written as `\n`.
class TraceWriter final : public RunObserver {
 public:
  TraceWriter(std::ostream& out, TraceOptions options) : out_(out), options_(options) {}

  bool wants_phases() const override { return options_.verbose || options_.debug; }
  void OnPhase(const PhaseEvent& event) override;
  void OnJobLog(JobId job, std::string_view name, int try_number, std::string_view line) override;

  /// The trace line for `event`, without its newline.
  static std::string PhaseLine(const PhaseEvent& event);

 private:
  void Write(const std::string& text);

  std::mutex mutex_;
  std::ostream& out_;
  TraceOptions options_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_TRACE_WRITER_H_
