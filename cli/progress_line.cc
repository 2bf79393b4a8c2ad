#include "cli/progress_line.h"

#include <cmath>
#include <cstdio>
#include <string_view>

#include "core/text_format.h"

namespace dojobber::cli {
namespace {

// A short time for a glance: `4s`, `1m05s`, `2h03m`.
std::string Compact(double seconds) {
  const long long whole = static_cast<long long>(seconds);
  char text[32];
  if (whole < 60) {
    std::snprintf(text, sizeof text, "%llds", whole);
  } else if (whole < 3600) {
    std::snprintf(text, sizeof text, "%lldm%02llds", whole / 60, whole % 60);
  } else {
    std::snprintf(text, sizeof text, "%lldh%02lldm", whole / 3600, whole % 3600 / 60);
  }
  return text;
}

// Times still to come round up, so that a wait is never shown as 0s while
// it lasts.
std::string CompactUp(double seconds) { return Compact(std::ceil(seconds)); }

std::string Tenths(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1fs", std::ceil(seconds * 10) / 10);
  return text;
}

// Appends `label` and as many of `names` as fit in `width` columns, then
// `+N more` for the running tries not named. Leaves `line` as it was when not
// even the label and a count fit.
void AppendNames(std::string& line, std::string_view label, const core::ProgressSnapshot& shot,
                 std::size_t width) {
  std::string out = line;
  out += label;
  std::size_t used = core::DisplayWidth(out);
  std::size_t shown = 0;
  const auto more = [&](std::size_t named) -> std::string {
    const std::size_t rest = shot.running - named;
    if (rest == 0) return {};
    if (named > 0) return " +" + std::to_string(rest) + " more";
    return std::to_string(rest) + (rest == 1 ? " try" : " tries");
  };
  for (const std::string& name : shot.running_names) {
    const std::string piece = (shown > 0 ? ", " : "") + core::Printable(name);
    const std::size_t piece_width = core::DisplayWidth(piece);
    if (used + piece_width + more(shown + 1).size() > width) break;
    out += piece;
    used += piece_width;
    ++shown;
  }
  const std::string tail = more(shown);
  if (used + tail.size() > width) return;
  line = out + tail;
}

}  // namespace

std::size_t MostNamesIn(std::size_t width) { return width / 3 + 1; }  // ", X" is 3 wide.

std::string ProgressLine(const core::ProgressSnapshot& shot, std::size_t width) {
  std::string line = "[" + std::to_string(shot.settled) + "/" + std::to_string(shot.total) + "] " +
                     Compact(shot.elapsed) + " elapsed";
  if (shot.left) line += ", ~" + CompactUp(*shot.left) + " left";
  if (shot.failed > 0) line += "; " + std::to_string(shot.failed) + " failed";
  if (shot.blocked > 0) line += "; " + std::to_string(shot.blocked) + " blocked";
  std::string_view label;
  if (shot.stopping) {
    line += "; stopping";
    if (shot.running > 0) {
      if (shot.grace_left) line += ", " + Tenths(*shot.grace_left) + " of grace left";
      label = ", waiting for: ";
    }
  } else {
    if (shot.retry_waiting > 0) {
      line += "; " + std::to_string(shot.retry_waiting) + " to retry";
      if (shot.next_retry_in) line += ", next in " + CompactUp(*shot.next_retry_in);
    }
    if (shot.running > 0) label = "; running: ";
  }
  // Everything so far is ASCII: one column per byte.
  if (line.size() >= width) return line.substr(0, width);
  if (!label.empty()) AppendNames(line, label, shot, width);
  return line;
}

}  // namespace dojobber::cli
