#ifndef DOJOBBER_CORE_JOB_LOG_H_
#define DOJOBBER_CORE_JOB_LOG_H_

#include <atomic>
#include <streambuf>
#include <string>

#include "core/graph.h"
#include "core/run_observer.h"

namespace dojobber::core {

/// The buffer behind ctx.log(): collects characters and passes each complete
/// line to the observer, so lines from parallel jobs never mix mid-line.
class JobLog final : public std::streambuf {
 public:
  /// Lines are dropped while `*muted` is true (an abandoned try's output).
  JobLog(RunObserver& observer, JobId job, std::string_view name, int try_number,
         const std::atomic<bool>* muted = nullptr);
  ~JobLog() override;
  JobLog(const JobLog&) = delete;
  JobLog& operator=(const JobLog&) = delete;

  /// Passes on a last line that has no newline yet.
  void FlushPartialLine();

 private:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* text, std::streamsize count) override;
  void Append(std::string_view text);
  void Emit();

  RunObserver& observer_;
  JobId job_;
  std::string_view name_;
  int try_number_;
  std::string line_;
  const std::atomic<bool>* muted_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_JOB_LOG_H_
