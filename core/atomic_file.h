#ifndef DOJOBBER_CORE_ATOMIC_FILE_H_
#define DOJOBBER_CORE_ATOMIC_FILE_H_

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "core/expected.h"

namespace dojobber::core {

/// An output file that appears whole or not at all: written to a temporary
/// file beside the target, then renamed over it by Commit(). Opening early
/// proves the target is writable before any job runs. Dropped without a
/// commit, it leaves nothing behind. A target that exists and is not a
/// regular file (/dev/null, a pipe) is written directly instead.
class AtomicFile {
 public:
  static Expected<AtomicFile> Open(const std::filesystem::path& target);

  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  ~AtomicFile();

  std::ostream& stream() { return *out_; }
  /// Flushes, syncs and renames into place.
  Status Commit();
  const std::filesystem::path& target() const { return target_; }

 private:
  AtomicFile(std::filesystem::path target, std::optional<std::filesystem::path> temp,
             std::unique_ptr<std::ofstream> out);

  std::filesystem::path target_;
  std::optional<std::filesystem::path> temp_;  // None when writing in place.
  std::unique_ptr<std::ofstream> out_;
  bool committed_ = false;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_ATOMIC_FILE_H_
