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

}  // namespace dojobber::core
