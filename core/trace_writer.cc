#include "core/trace_writer.h"

#include "core/text_format.h"

namespace dojobber::core {

std::string TraceWriter::PhaseLine(const PhaseEvent& event) {
  std::string line(event.name);
  line += '.';
  line += PhaseName(event.phase);
  line += event.passed ? ": pass" : ": fail";
  const bool with_message = event.phase == Phase::kRecheck || event.phase == Phase::kCleanup;
  if (!event.passed && with_message) line += " \"" + Printable(event.error) + "\"";
  return line;
}

void TraceWriter::OnPhase(const PhaseEvent& event) {
  if (!options_.verbose && !options_.debug) return;
  std::string text = PhaseLine(event) + '\n';
  if (options_.debug && !event.passed) {
    text += "    ";
    if (!event.error_type.empty()) text += Printable(event.error_type) + ": ";
    text += Printable(event.error) + '\n';
  }
  Write(text);
}

void TraceWriter::OnJobLog(JobId, std::string_view name, int, std::string_view line) {
  if (!options_.job_logs) return;
  // Names are printable already (the registry refuses others); the line is
  // the job's own text. A CRLF line end loses its CR as in Printable.
  if (line.ends_with('\r')) line.remove_suffix(1);
  std::string text = "[";
  text.append(name).append("] ").append(Printable(line)) += '\n';
  Write(text);
}

void TraceWriter::Write(const std::string& text) {
  std::lock_guard lock(mutex_);
  out_.write(text.data(), static_cast<std::streamsize>(text.size()));
  out_.flush();
}

}  // namespace dojobber::core
