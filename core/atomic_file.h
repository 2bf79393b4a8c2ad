#ifndef DOJOBBER_CORE_ATOMIC_FILE_H_
#define DOJOBBER_CORE_ATOMIC_FILE_H_

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "core/expected.h"

namespace dojobber::core {

/// Opens `target` for appending, created if missing (0666 minus the umask),
/// without blocking: a named pipe no process reads is refused (`cannot write
/// FILE: no process has it open for reading`), as are /dev/full, a folder
/// and a path in a missing or unwritable folder (`cannot write FILE:
/// <reason>`). Returns the descriptor (close-on-exec, blocking once open),
/// which the caller owns. `path` is where to open it, `target` its name in
/// messages.
Expected<int> OpenForAppending(const std::filesystem::path& target,
                               const std::filesystem::path& path);

/// An output file that appears whole or not at all. The bytes go to an
/// unnamed temporary file in the target's folder (O_TMPFILE), which Commit()
/// links under a temporary name and renames over the target; if the process
/// dies first (a crash, a second Ctrl-C), the kernel drops the file and
/// nothing is left behind. On a file system without O_TMPFILE the temporary
/// file is named from the start and removed when the AtomicFile is dropped
/// uncommitted. Opening early proves the target is writable before any job
/// runs. A symbolic link to a regular file is followed (the link stays).
/// Anything in /dev or /proc (/dev/null, /dev/stdout) or that is not a
/// regular file (a pipe) is written in place, appending, since renaming over
/// it would replace the device or link. Open() never blocks: a named pipe
/// that no process reads is refused (ENXIO), as is /dev/full (ENOSPC).
///
/// Temporary names are `.dojobber-PID-XXXXXX.tmp` (PID the writer's), and
/// the writer holds an flock() on its temporary file until the rename. A
/// process killed between naming the file and renaming it (or, without
/// O_TMPFILE, any time before the rename) leaves one behind: Open() removes
/// those in the target's folder whose writer is gone (no process has that
/// PID, and the file's lock is free), never one a live writer holds.
///
/// The target is resolved once, by Open(): a relative path against the
/// working directory of that moment, and its folder is held open from then
/// on. Commit() writes into that folder whatever its path has become: a
/// folder renamed (or moved) since Open() gets the file under its new path.
/// Only a folder that was removed is looked up again by its old path, so a
/// folder removed and made anew gets the file; one removed for good fails the
/// commit.
class AtomicFile {
 public:
  enum class Temporary { kUnnamedIfPossible, kNamed };
  static Expected<AtomicFile> Open(const std::filesystem::path& target,
                                   Temporary temporary = Temporary::kUnnamedIfPossible);

  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  ~AtomicFile();

  std::ostream& stream() { return *out_; }
  /// Starts the contents over: what was written so far is dropped and the
  /// stream writes from the start again. Fails, changing nothing, for a
  /// target written in place (a pipe or device has already got the bytes).
  Status Rewind();
  /// Flushes, syncs and renames into place.
  Status Commit();
  const std::filesystem::path& target() const { return target_; }

 private:
  AtomicFile(std::filesystem::path target, std::unique_ptr<std::ostream> out);
  static Expected<AtomicFile> OpenInPlace(const std::filesystem::path& target,
                                          const std::filesystem::path& path);
  Status OpenNamed();
  void FindFolderAgainIfRemoved();
  Status LinkUnnamed();

  std::filesystem::path target_;      // As the user gave it, for messages.
  std::filesystem::path final_path_;  // Where the bytes end up, as resolved by Open().
  int dir_fd_ = -1;                   // final_path_'s folder (O_PATH); -1 when written in place.
  std::optional<std::string> temp_;   // The named temporary file in that folder, once there is one.
  int temp_fd_ = -1;                  // The temporary file, locked (flock) until it is renamed.
  bool unnamed_ = false;              // temp_fd_ is an O_TMPFILE file, linked at Commit().
  std::unique_ptr<std::streambuf> in_place_;  // The descriptor of a target written in place.
  std::unique_ptr<std::ostream> out_;
  bool committed_ = false;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_ATOMIC_FILE_H_
