#include "core/trace_writer.h"

#include "core/text_format.h"

namespace dojobber::core {

std::string TraceWriter::PhaseLine(const PhaseEvent& event) {
  std::string line(event.name);
  line += '.';
  line += PhaseName(event.phase);
  line += event.passed ? ": pass" : ": fail";
  const bool with_message = event.phase == Phase::kRecheck || event.phase == Phase::kCleanup;
  if (!event.passed && with_message) line += " \"" + OneLine(event.error) + "\"";
  return line;
}

void TraceWriter::OnPhase(const PhaseEvent& event) {
  if (!options_.verbose && !options_.debug) return;
  std::string text = PhaseLine(event) + '\n';
  if (options_.debug && !event.passed) {
    text += "    ";
    if (!event.error_type.empty()) text += std::string(event.error_type) + ": ";
    text += OneLine(event.error) + '\n';
  }
  Write(text);
}

void TraceWriter::OnJobLog(JobId, std::string_view name, std::string_view line) {
  if (!options_.job_logs) return;
  std::string text = "[";
  text.append(name).append("] ").append(line) += '\n';
  Write(text);
}

void TraceWriter::Write(const std::string& text) {
  std::lock_guard lock(mutex_);
  out_.write(text.data(), static_cast<std::streamsize>(text.size()));
  out_.flush();
}

}  // namespace dojobber::core
