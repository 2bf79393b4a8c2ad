#include "core/run_log.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "core/text_format.h"

namespace dojobber::core {

namespace {

// A message in double quotes that a reader can take apart: `\` and `"`
// escaped first, so that the `\n` Printable writes for a newline differs
// from a message's own backslash and n.
std::string Quoted(std::string_view message) {
  std::string escaped;
  escaped.reserve(message.size());
  for (char c : message) {
    if (c == '\\' || c == '"') escaped += '\\';
    escaped += c;
  }
  return '"' + Printable(escaped) + '"';
}

}  // namespace

void RunLogWriter::OnPhase(const PhaseEvent& event) {
  std::string text(PhaseName(event.phase));
  text += event.passed ? ": pass" : ": fail";
  if (!event.passed) {
    text += " " + Quoted(event.error);
    if (!event.error_type.empty()) text += " (" + Printable(event.error_type) + ")";
  }
  WriteJobLine(event.try_number, event.name, text);
}

void RunLogWriter::OnTryStart(const TryStartEvent& event) {
  WriteJobLine(event.try_number, graph_.name(event.job), "start");
}

void RunLogWriter::OnTryEnd(const TryEndEvent& event) {
  std::string text = "end: ";
  text += StatusName(event.outcome);
  if (event.outcome == JobStatus::kFailed) {
    text += event.done ? ", no further try" : ", to be retried";
  }
  WriteJobLine(event.try_number, graph_.name(event.job), text);
}

void RunLogWriter::OnJobLog(JobId, std::string_view name, int try_number, std::string_view line) {
  if (line.ends_with('\r')) line.remove_suffix(1);  // A CRLF line end, as in the trace.
  WriteJobLine(try_number, name, "log: " + Printable(line));
}

void RunLogWriter::Note(std::string_view text) {
  Write(FormatUtcTime(now_()) + " run: " + Printable(text) + '\n');
}

void RunLogWriter::WriteJobLine(int try_number, std::string_view name, std::string_view text) {
  std::string line = FormatUtcTime(now_());
  line += " try ";
  line += std::to_string(try_number);
  line += " [";
  line += name;  // Printable already: the registry refuses other names.
  line += "] ";
  line += text;
  line += '\n';
  Write(std::move(line));
}

void RunLogWriter::Write(std::string line) {
  std::lock_guard lock(mutex_);
  if (write_error_ != 0) return;  // Reported once, at the end.
  std::string_view rest = line;
  while (!rest.empty()) {
    const ssize_t wrote = ::write(fd_, rest.data(), rest.size());
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      write_error_ = wrote < 0 ? errno : ENOSPC;
      return;
    }
    rest.remove_prefix(static_cast<std::size_t>(wrote));
  }
}

Status RunLogWriter::status(std::string_view label) const {
  std::lock_guard lock(mutex_);
  if (write_error_ == 0) return {};
  return Failure{"cannot write " + std::string(label) + ": " + std::strerror(write_error_)};
}

}  // namespace dojobber::core
