#ifndef DOJOBBER_CORE_RUN_LOCK_H_
#define DOJOBBER_CORE_RUN_LOCK_H_

#include <stop_token>
#include <string>

#include "core/expected.h"

namespace dojobber::core {

/// An exclusive flock(2) on a file, held for a whole run so that two runs of
/// one graph never overlap (`run --lock FILE`). The kernel drops it when the
/// process ends, however it ends. The descriptor is close-on-exec and is
/// closed in every child forked after it was taken (the fork server, isolated
/// tries, what jobs fork), so nothing dojobber starts keeps the lock after
/// dojobber has ended.
class RunLock {
 public:
  /// Opens `path` (creating it, mode 0666 minus the umask) and takes the
  /// lock, then writes `pid N, started YYYY-MM-DD HH:MM:SS UTC` into the file
  /// for whoever finds it held. When another process holds it, tries again
  /// every 50 ms for up to `wait_seconds` (0: refuses at once) or until
  /// `stop` is requested. Failures: `cannot open lock file P: <reason>` (a
  /// directory, no permission), `lock file P is held by another run (<what
  /// the holder wrote>)`, and the same with `still held after S s`.
  static Expected<RunLock> Acquire(const std::string& path, double wait_seconds,
                                   const std::stop_token& stop);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&&) = delete;
  RunLock(const RunLock&) = delete;
  ~RunLock();  ///< Releases the lock.

 private:
  explicit RunLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_RUN_LOCK_H_
