#ifndef DOJOBBER_DETAIL_COMMAND_TEXT_H_
#define DOJOBBER_DETAIL_COMMAND_TEXT_H_

// The text side of <dojobber/command.h>: how a command and its end are
// written, and how its output is kept and passed on as lines. Included by
// it; not for plugins to include.

#include <string.h>  // sigabbrev_np

#include <algorithm>
#include <cstddef>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <dojobber/command.h>

namespace dojobber {
namespace detail {

// One argument as a POSIX shell reads it back: bare when it only has
// harmless characters, else in single quotes.
inline std::string ShellQuote(std::string_view arg) {
  const bool bare = !arg.empty() && arg.find_first_not_of(
                                        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789_-+=/.,:@%") == std::string_view::npos;
  if (bare) return std::string(arg);
  std::string quoted = "'";
  for (char c : arg) {
    if (c == '\'') {
      quoted += "'\\''";
    } else if (c == '\0') {
      quoted += "\\0";  // No shell can pass one; shown, never run.
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

inline std::string ShellLine(const std::vector<std::string>& argv) {
  std::string line;
  for (const std::string& arg : argv) {
    if (!line.empty()) line += ' ';
    line += ShellQuote(arg);
  }
  return line;
}

inline std::string SignalName(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return abbrev != nullptr ? "SIG" + std::string(abbrev) : std::to_string(sig);
}

inline std::string FormatSeconds(double seconds) {
  std::ostringstream text;
  text << seconds;
  return text.str();
}

// The last `limit` bytes of one stream, and how many came before them.
class OutputTail {
 public:
  explicit OutputTail(std::size_t limit) : limit_(limit) {}

  void Add(std::string_view data) {
    kept_.append(data);
    // Trimmed in batches, so that a long output costs linear time.
    if (kept_.size() >= 2 * limit_ + 4096) Trim();
  }
  void Trim() {
    if (kept_.size() <= limit_) return;
    const std::size_t extra = kept_.size() - limit_;
    kept_.erase(0, extra);
    dropped_ += extra;
  }
  std::string& kept() { return kept_; }
  std::size_t dropped() const { return dropped_; }

 private:
  std::size_t limit_;
  std::string kept_;
  std::size_t dropped_ = 0;
};

// Passes one stream on to the job's log a whole line at a time, so that a
// line of stdout and one of stderr never mix.
class LineSplitter {
 public:
  explicit LineSplitter(std::ostream* log) : log_(log) {}

  void Add(std::string_view data) {
    if (log_ == nullptr) return;
    // A longer line goes on in pieces of exactly this size, so that a
    // command printing one endless line cannot grow the job's memory. A full
    // piece waits for the next byte: a newline there ends the line, with no
    // empty piece after it.
    constexpr std::size_t kMaxLine = kCommandLogLineLimit;
    while (!data.empty()) {
      if (pending_.size() == kMaxLine) {
        if (data.front() == '\n') data.remove_prefix(1);
        Emit();
        continue;
      }
      const std::size_t room = kMaxLine - pending_.size();
      const std::size_t newline = data.find('\n');
      if (newline != std::string_view::npos && newline <= room) {
        pending_.append(data.substr(0, newline));
        data.remove_prefix(newline + 1);
        Emit();
      } else {
        const std::size_t take = std::min(room, data.size());
        pending_.append(data.substr(0, take));
        data.remove_prefix(take);
      }
    }
  }
  void Finish() {
    if (!pending_.empty()) Emit();
  }

 private:
  void Emit() {
    *log_ << pending_ << '\n';
    pending_.clear();
  }

  std::ostream* log_;
  std::string pending_;
};

// The last `count` non-empty lines of `text`, joined by " | ".
inline std::string LastLines(std::string_view text, std::size_t count) {
  constexpr std::size_t kMaxLine = 200;
  std::vector<std::string_view> lines;
  while (!text.empty() && lines.size() < count) {
    const std::size_t end = text.find_last_not_of("\r\n");
    if (end == std::string_view::npos) break;
    text = text.substr(0, end + 1);
    const std::size_t start = text.find_last_of('\n');
    const std::string_view line = start == std::string_view::npos ? text : text.substr(start + 1);
    lines.push_back(line.size() > kMaxLine ? line.substr(line.size() - kMaxLine) : line);
    text = start == std::string_view::npos ? std::string_view() : text.substr(0, start);
  }
  std::string joined;
  for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
    if (!joined.empty()) joined += " | ";
    joined += *line;
  }
  return joined;
}

}  // namespace detail

inline std::string CommandResult::Describe() const {
  const std::string how = signal != 0 ? "killed by signal " + detail::SignalName(signal)
                                      : "exited with status " + std::to_string(exit_status);
  if (timed_out) {
    return "timed out after " + detail::FormatSeconds(timeout_seconds) + " s (" + how + ")";
  }
  if (stopped) return "stopped: the run was asked to stop, or its try ended (" + how + ")";
  return how;
}

inline Error CommandError(const CommandResult& result) {
  std::string message = "command `" + result.command + "` " + result.Describe();
  const std::string last = detail::LastLines(result.err, 3);
  if (!last.empty()) message += "; stderr ends: " + last;
  return Error(message);
}

}  // namespace dojobber

#endif  // DOJOBBER_DETAIL_COMMAND_TEXT_H_
