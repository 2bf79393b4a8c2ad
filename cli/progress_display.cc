#include "cli/progress_display.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <utility>

#include "cli/interrupts.h"
#include "cli/progress_line.h"
#include "cli/terminal.h"

namespace dojobber::cli {
namespace {

using SteadyTime = std::chrono::steady_clock;

// A terminal redraws ten times a second at most: smooth enough to watch,
// and nothing a run of a million jobs would notice.
constexpr auto kRedrawEvery = std::chrono::milliseconds(100);
// A log gets a line every 10 s: a trace of a long run, not a flood.
constexpr auto kPlainEvery = std::chrono::seconds(10);
// Plain lines have no terminal to fit; long enough for a few names.
constexpr std::size_t kPlainWidth = 200;
// Carriage return, then erase to the end of the line (ECMA-48 EL).
constexpr std::string_view kClearLine = "\r\x1b[K";

// Writes all of `text` to stderr in as few writes as it takes (one, but for
// a full pipe), so that a line is never split by another writer. A stderr
// that fails loses the line, never the run.
void WriteAll(std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(STDERR_FILENO, text.data(), text.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(written));
  }
}

// The terminal's width, read at each redraw so that a resize is followed.
// One column is left free: a line that fills the last column makes some
// terminals wrap before the next carriage return.
std::size_t RedrawWidth() {
  winsize size{};
  const std::size_t columns =
      ::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 ? size.ws_col : 80;
  return columns > 1 ? columns - 1 : 1;
}

}  // namespace

ProgressStyle ChooseProgressStyle(std::string_view when) {
  if (when == "never") return ProgressStyle::kNone;
  const bool terminal = IsTerminal(STDERR_FILENO);
  if (when == "always") {
    return terminal && !DumbTerminal() ? ProgressStyle::kRedraw : ProgressStyle::kPlain;
  }
  return terminal && !PlainOutputRequested() && InForeground(STDERR_FILENO) ? ProgressStyle::kRedraw
                                                                            : ProgressStyle::kNone;
}

ProgressDisplay::ProgressDisplay(const core::RunProgress& progress, ProgressStyle style,
                                 const std::stop_token& stop)
    : progress_(progress), style_(style) {
  on_stop_.emplace(stop, std::function<void()>([this] {
                     {
                       std::lock_guard lock(mutex_);
                       stop_seen_ = true;
                     }
                     wake_.notify_all();
                   }));
  thread_ = std::thread([this] { Loop(); });
}

ProgressDisplay::~ProgressDisplay() { Finish(); }

void ProgressDisplay::Finish() {
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    finished_ = true;
    // Also when the line is hidden under lines written above it: erasing an
    // empty line is harmless, and the report then always follows an erase.
    if (!shown_.empty() || drawn_at_ != SteadyTime::time_point{}) WriteAll(kClearLine);
    shown_.clear();
    ClearLineBeforeStopMessages(false);
  }
  wake_.notify_all();
  thread_.join();
  on_stop_.reset();
}

void ProgressDisplay::Loop() {
  const auto every = style_ == ProgressStyle::kRedraw ? kRedrawEvery : kPlainEvery;
  // A terminal shows the line at once; a log waits for its first period.
  auto next = style_ == ProgressStyle::kRedraw ? SteadyTime::now() : SteadyTime::now() + every;
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait_until(lock, next, [this] { return finished_ || stop_seen_; });
    if (finished_) return;
    stop_seen_ = false;
    lock.unlock();
    const std::string line = Format();
    lock.lock();
    if (finished_) return;
    Draw(line);
    next = SteadyTime::now() + every;
  }
}

std::string ProgressDisplay::Format() const {
  const std::size_t width = style_ == ProgressStyle::kRedraw ? RedrawWidth() : kPlainWidth;
  return ProgressLine(progress_.Snapshot(MostNamesIn(width)), width);
}

void ProgressDisplay::Draw(const std::string& line) {
  if (style_ == ProgressStyle::kPlain) {
    WriteAll(line + '\n');
    return;
  }
  if (line == shown_) return;
  // Moved to the background (Ctrl-Z, bg): draw nothing until it is back.
  if (!InForeground(STDERR_FILENO)) {
    shown_.clear();
    ClearLineBeforeStopMessages(false);
    return;
  }
  std::string text = "\r";
  text += line;
  text += kClearLine.substr(1);  // Erases what is left of a longer line.
  WriteAll(text);
  shown_ = line;
  drawn_at_ = SteadyTime::now();
  ClearLineBeforeStopMessages(true);
}

void ProgressDisplay::WriteAbove(std::string_view lines) {
  std::lock_guard lock(mutex_);
  if (shown_.empty()) {
    WriteAll(lines);
    return;
  }
  std::string text(kClearLine);
  text += lines;
  // The line comes back below them at most ten times a second: sending it
  // again after every line would multiply what a chatty -v run writes (over
  // a slow link, the run waits for it). Until then the display's next
  // redraw, at most kRedrawEvery away, brings it back.
  const auto now = SteadyTime::now();
  if (now - drawn_at_ >= kRedrawEvery) {
    text += shown_;
    drawn_at_ = now;
  } else {
    shown_.clear();
    ClearLineBeforeStopMessages(false);
  }
  WriteAll(text);
}

ProgressDisplay::LinesAbove::int_type ProgressDisplay::LinesAbove::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  pending_ += traits_type::to_char_type(c);
  return c;
}

std::streamsize ProgressDisplay::LinesAbove::xsputn(const char* text, std::streamsize count) {
  pending_.append(text, static_cast<std::size_t>(count));
  return count;
}

int ProgressDisplay::LinesAbove::sync() {
  display_.WriteAbove(pending_);
  pending_.clear();
  return 0;
}

}  // namespace dojobber::cli
