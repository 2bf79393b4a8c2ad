#ifndef DOJOBBER_CORE_ATOMIC_FILE_H_
#define DOJOBBER_CORE_ATOMIC_FILE_H_

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "core/expected.h"

namespace dojobber::core {

/// An output file that appears whole or not at all: written to a temporary
/// file beside the target, then renamed over it by Commit(). Opening early
/// proves the target is writable before any job runs. Dropped without a
/// commit, it leaves nothing behind. A symbolic link to a regular file is
/// followed (the link stays). Anything in /dev or /proc (/dev/null,
/// /dev/stdout) or that is not a regular file (a pipe) is written in place,
/// appending, since renaming over it would replace the device or link.
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
  AtomicFile(std::filesystem::path target, std::filesystem::path final_path,
             std::optional<std::filesystem::path> temp, std::unique_ptr<std::ofstream> out);

  std::filesystem::path target_;               // As the user gave it, for messages.
  std::filesystem::path final_path_;           // Where the bytes end up.
  std::optional<std::filesystem::path> temp_;  // None when writing in place.
  std::unique_ptr<std::ofstream> out_;
  bool committed_ = false;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_ATOMIC_FILE_H_
