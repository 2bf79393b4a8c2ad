#include "core/log_tail_observer.h"

#include <utility>

namespace dojobber::core {

void LogTailObserver::OnJobLog(JobId job, std::string_view name, int try_number,
                               std::string_view line) {
  {
    std::lock_guard lock(mutex_);
    tails_.Add(job, try_number, line);
  }
  next_.OnJobLog(job, name, try_number, line);
}

LogTails LogTailObserver::Take() {
  std::lock_guard lock(mutex_);
  return std::exchange(tails_, LogTails());
}

}  // namespace dojobber::core
