#ifndef DOJOBBER_CLI_PROGRESS_DISPLAY_H_
#define DOJOBBER_CLI_PROGRESS_DISPLAY_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <ostream>
#include <stop_token>
#include <streambuf>
#include <string>
#include <string_view>
#include <thread>

#include "core/run_progress.h"

namespace dojobber::cli {

/// How the live progress line is shown on stderr.
enum class ProgressStyle {
  kNone,    ///< Not at all.
  kRedraw,  ///< One line, redrawn in place (a terminal).
  kPlain,   ///< A line of its own now and then (a log).
};

/// The style for `run --progress WHEN` (auto, always or never) with stderr
/// as it is: `auto` redraws on a terminal unless plain output is asked for
/// (PlainOutputRequested); `always` redraws on a terminal and writes plain
/// lines elsewhere (and on TERM=dumb, which cannot erase a line).
ProgressStyle ChooseProgressStyle(std::string_view when);

/// Shows a run's progress line (ProgressLine) on stderr, below the lines that
/// go through stream() (the trace and the jobs' log lines), from a thread of
/// its own:
///
/// - kRedraw: redrawn in place at most every 100 ms, when its text changes.
///   Lines written through stream() clear it, appear above it, and it is
///   drawn again after them, in one write, so no line is ever torn.
/// - kPlain: a line of its own every 10 s; lines through stream() pass as
///   they are, never mixed with it.
///
/// In both styles the line is drawn at once when a stop is requested (it
/// then names the tries the stop waits for). Nothing here formats per event:
/// the run only updates core::RunProgress, read at the drawing pace.
class ProgressDisplay {
 public:
  /// Starts drawing. `progress` must outlive this.
  ProgressDisplay(const core::RunProgress& progress, ProgressStyle style,
                  const std::stop_token& stop);
  /// Finish()es.
  ~ProgressDisplay();
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  /// Where whole lines for stderr go while the line is shown: each flush
  /// writes what came since the last one. For one writer at a time (the
  /// trace writer holds its lock across a write and its flush).
  std::ostream& stream() { return stream_; }

  /// Clears the line for good and stops drawing; what goes through stream()
  /// afterwards is written as it is. Call before the status report.
  void Finish();

 private:
  class LinesAbove final : public std::streambuf {
   public:
    explicit LinesAbove(ProgressDisplay& display) : display_(display) {}

   private:
    int_type overflow(int_type c) override;
    std::streamsize xsputn(const char* text, std::streamsize count) override;
    int sync() override;

    ProgressDisplay& display_;
    std::string pending_;
  };

  void WriteAbove(std::string_view lines);
  void Loop();
  // Takes a snapshot and formats it: outside mutex_.
  std::string Format() const;
  void Draw(const std::string& line);  // Under mutex_.

  const core::RunProgress& progress_;
  const ProgressStyle style_;
  LinesAbove lines_above_{*this};
  std::ostream stream_{&lines_above_};

  std::mutex mutex_;  // Guards the members below and every write to stderr.
  std::condition_variable wake_;
  bool finished_ = false;
  bool stop_seen_ = false;  // Set by a stop: draw at once.
  std::string shown_;       // kRedraw: the line on the screen, "" when none.
  std::chrono::steady_clock::time_point drawn_at_{};  // When shown_ was last written.
  std::thread thread_;
  std::optional<std::stop_callback<std::function<void()>>> on_stop_;
};

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_PROGRESS_DISPLAY_H_
