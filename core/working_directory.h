#ifndef DOJOBBER_CORE_WORKING_DIRECTORY_H_
#define DOJOBBER_CORE_WORKING_DIRECTORY_H_

#include "core/expected.h"

namespace dojobber::core {

/// The directory a run started in, held open so it can be returned to even
/// when a job renamed its path or took away read permission.
class WorkingDirectory {
 public:
  WorkingDirectory();  ///< Captures the current working directory.
  ~WorkingDirectory();
  WorkingDirectory(const WorkingDirectory&) = delete;
  WorkingDirectory& operator=(const WorkingDirectory&) = delete;

  /// Makes the captured directory current again.
  Status Restore() const;

 private:
  int fd_ = -1;
  int open_errno_ = 0;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_WORKING_DIRECTORY_H_
