#ifndef DOJOBBER_CORE_WORKING_DIRECTORY_H_
#define DOJOBBER_CORE_WORKING_DIRECTORY_H_

#include <atomic>
#include <cstdint>

#include "core/expected.h"

namespace dojobber::core {

/// The directory a run started in, held open so it can be returned to even
/// when a job renamed its path or took away read permission. Where the
/// program counts its changes of directory (core/chdir_watch.h), Restore
/// makes no system call while none happened since the last one.
class WorkingDirectory {
 public:
  WorkingDirectory();  ///< Captures the current working directory.
  ~WorkingDirectory();
  WorkingDirectory(const WorkingDirectory&) = delete;
  WorkingDirectory& operator=(const WorkingDirectory&) = delete;

  /// Makes the captured directory current again. Thread-safe; when threads
  /// change directory while it runs, a later call makes the system call.
  Status Restore() const;

 private:
  int fd_ = -1;
  int open_errno_ = 0;
  const std::atomic<std::uint64_t>* moves_;  ///< DirectoryMoves(), or nullptr.
  /// The count of changes when this directory was last made current (odd:
  /// not known to be current).
  mutable std::atomic<std::uint64_t> home_{~std::uint64_t{0}};
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_WORKING_DIRECTORY_H_
