#include "core/run_result.h"

namespace dojobber::core {

const char* StatusName(JobStatus status) {
  switch (status) {
    case JobStatus::kPending:
      return "pending";
    case JobStatus::kOk:
      return "ok";
    case JobStatus::kChanged:
      return "changed";
    case JobStatus::kFailed:
      return "failed";
    case JobStatus::kBlocked:
      return "blocked";
  }
  return "?";
}

const char* CleanupOutcomeName(CleanupOutcome outcome) {
  switch (outcome) {
    case CleanupOutcome::kNone:
      return "none";
    case CleanupOutcome::kOk:
      return "ok";
    case CleanupOutcome::kFailed:
      return "failed";
    case CleanupOutcome::kPending:
      return "pending";
    case CleanupOutcome::kSkipped:
      return "skipped";
  }
  return "?";
}

}  // namespace dojobber::core
