#ifndef DOJOBBER_CORE_LOG_TAIL_H_
#define DOJOBBER_CORE_LOG_TAIL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/graph.h"

namespace dojobber::core {

/// The last log lines of each job of a run, for the report: at most kKept
/// per job in a ring, and how many earlier ones were dropped, so a job that
/// logs without end costs a bounded amount. A job that never logs costs
/// nothing. Copies are deep.
class LogTails {
 public:
  /// Lines kept per job (the report's `log_lines_kept`).
  static constexpr std::size_t kKept = 50;

  struct Line {
    int try_number = 0;  ///< The try (or the kept try whose Cleanup) that wrote it.
    std::string text;    ///< As the job wrote it, without its newline.
  };

  LogTails() = default;
  explicit LogTails(std::size_t jobs) : jobs_(jobs) {}
  LogTails(const LogTails&) = default;
  LogTails& operator=(const LogTails&) = default;
  LogTails(LogTails&&) noexcept = default;
  LogTails& operator=(LogTails&&) noexcept = default;
  ~LogTails() = default;

  /// Keeps `line` as the job's newest, dropping its oldest past kKept.
  /// Ignored for a job beyond the size given. Not thread-safe.
  void Add(JobId job, int try_number, std::string_view line);

  /// The job's kept lines, oldest first.
  std::vector<const Line*> Lines(JobId job) const;
  /// How many of the job's lines were dropped to keep kKept.
  std::uint64_t dropped(JobId job) const;

 private:
  struct Tail {
    std::vector<Line> ring;  // Up to kKept; once full, `next` is the oldest.
    std::size_t next = 0;
    std::uint64_t dropped = 0;
  };
  std::size_t jobs_ = 0;
  // Only jobs that logged: most jobs of a large run never do.
  std::unordered_map<JobId, Tail> tails_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_LOG_TAIL_H_
