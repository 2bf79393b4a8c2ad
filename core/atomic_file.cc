#include "core/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <system_error>

namespace dojobber::core {
namespace fs = std::filesystem;
namespace {

Failure FileFailure(const fs::path& target, const std::string& what, int error) {
  return Failure{"cannot " + what + " " + target.string() + ": " + std::strerror(error)};
}

bool UnderSystemFolder(const fs::path& path) {
  const std::string text = path.lexically_normal().string();
  return text.starts_with("/dev/") || text.starts_with("/proc/");
}

// Where the bytes go. Paths in /dev or /proc (such as /dev/stdout, a link to
// /proc/self/fd/1) and anything that is not a regular file are written in
// place, appending: replacing them by rename would replace the device or the
// link itself. A link to a regular file is followed, so the link survives.
struct Destination {
  fs::path path;
  bool in_place;
};

Destination Resolve(const fs::path& target) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(target, ec);
  if (ec || UnderSystemFolder(absolute)) return {target, true};
  fs::path resolved = fs::weakly_canonical(absolute, ec);
  if (ec) resolved = absolute;
  if (UnderSystemFolder(resolved)) return {target, true};
  const fs::file_status status = fs::status(resolved, ec);
  if (fs::exists(status) && !fs::is_regular_file(status) && !fs::is_directory(status)) {
    return {target, true};
  }
  return {resolved, false};
}

// An unnamed file in the folder `dir_fd`, opened for writing through /proc
// (streams cannot adopt a descriptor); -1 with errno when the file system or
// kernel has no O_TMPFILE, or /proc is missing.
int OpenUnnamed(int dir_fd, std::unique_ptr<std::ofstream>& out) {
  const int fd = ::openat(dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);  // NOLINT
  if (fd < 0) return -1;
  out = std::make_unique<std::ofstream>("/proc/self/fd/" + std::to_string(fd),
                                        std::ios::binary | std::ios::trunc);
  if (!*out) {
    const int error = errno;
    ::close(fd);
    errno = error != 0 ? error : EIO;
    return -1;
  }
  return fd;
}

// Errors of open(O_TMPFILE) that mean "not supported here", not "cannot write".
bool UnnamedUnsupported(int error) {
  return error == EOPNOTSUPP || error == EISDIR || error == EINVAL;
}

// Temporary files are `.dojobber-XXXXXX.tmp` beside the target: short, so
// that any target name the file system allows also allows them.
constexpr std::string_view kTemporaryPrefix = ".dojobber-";
constexpr std::string_view kTemporarySuffix = ".tmp";

std::string TemporaryName(std::uint32_t salt) {
  static constexpr char kLetters[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string name(kTemporaryPrefix);
  for (int i = 0; i < 6; ++i, salt /= 62) name += kLetters[salt % 62];
  name += kTemporarySuffix;
  return name;
}

// Calls `create(name)` with fresh temporary names until one is not taken
// (create fails with EEXIST); returns 0 with that name in `name`, or the
// errno of the failure.
template <class Create>
int CreateWithFreshName(Create create, std::string& name) {
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    name = TemporaryName(random());
    if (create(name)) return 0;
    if (errno != EEXIST) return errno;
  }
  return EEXIST;
}

// Whether the target's own name is longer than its folder allows; checked
// up front, since the rename at the end would fail after the whole run.
bool NameTooLong(const fs::path& final_path) {
  const long limit = ::pathconf(final_path.parent_path().c_str(), _PC_NAME_MAX);
  const std::size_t max = limit > 0 ? static_cast<std::size_t>(limit) : 255;
  return final_path.filename().string().size() > max;
}

}  // namespace

AtomicFile::AtomicFile(fs::path target, std::unique_ptr<std::ofstream> out)
    : target_(std::move(target)), out_(std::move(out)) {}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)),
      final_path_(std::move(other.final_path_)),
      dir_fd_(other.dir_fd_),
      temp_(std::move(other.temp_)),
      unnamed_fd_(other.unnamed_fd_),
      out_(std::move(other.out_)),
      committed_(other.committed_) {
  other.dir_fd_ = -1;
  other.temp_.reset();
  other.unnamed_fd_ = -1;
  other.committed_ = true;
}

AtomicFile::~AtomicFile() {
  out_.reset();
  if (unnamed_fd_ >= 0) ::close(unnamed_fd_);  // An unlinked file vanishes with it.
  if (!committed_ && temp_) ::unlinkat(dir_fd_, temp_->c_str(), 0);
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

Expected<AtomicFile> AtomicFile::Open(const fs::path& target, Temporary temporary) {
  const Destination destination = Resolve(target);
  if (destination.in_place) {
    auto out = std::make_unique<std::ofstream>(destination.path, std::ios::binary | std::ios::app);
    if (!*out) return FileFailure(target, "write", errno);
    AtomicFile file(target, std::move(out));
    file.final_path_ = destination.path;
    return file;
  }
  std::error_code ec;
  if (fs::is_directory(destination.path, ec)) return FileFailure(target, "write", EISDIR);
  if (NameTooLong(destination.path)) return FileFailure(target, "write", ENAMETOOLONG);
  AtomicFile file(target, nullptr);
  file.final_path_ = destination.path;
  // Held from now on: a job may rename the folder (or the one the run
  // started in, for a relative target), and the commit follows it there.
  file.dir_fd_ = ::open(file.final_path_.parent_path().c_str(),  // NOLINT: POSIX vararg API.
                        O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (file.dir_fd_ < 0) return FileFailure(target, "write", errno);
  if (temporary == Temporary::kUnnamedIfPossible) {
    file.unnamed_fd_ = OpenUnnamed(file.dir_fd_, file.out_);
    if (file.unnamed_fd_ >= 0) return file;
    if (const int error = errno; !UnnamedUnsupported(error)) {
      return FileFailure(target, "write", error);
    }
  }
  if (Status named = file.OpenNamed(); !named) return named.failure();
  return file;
}

// A temporary file with a name from the start, where O_TMPFILE is missing.
// Created with the mode a plain open would give the target.
Status AtomicFile::OpenNamed() {
  std::string name;
  const int error = CreateWithFreshName(
      [this](const std::string& candidate) {
        const int fd = ::openat(dir_fd_, candidate.c_str(),  // NOLINT: POSIX vararg API.
                                O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0) return false;
        ::close(fd);
        return true;
      },
      name);
  if (error != 0) return FileFailure(target_, "write", error);
  temp_ = name;  // The destructor removes it from here on.
  // Open() runs before any job, so the folder's path still leads to it.
  out_ = std::make_unique<std::ofstream>(final_path_.parent_path() / name,
                                         std::ios::binary | std::ios::trunc);
  if (!*out_) return FileFailure(target_, "write", errno != 0 ? errno : EIO);
  return {};
}

// The folder held since Open(), unless it was removed since: then the one
// that has its path now, if any (a folder removed and made anew).
void AtomicFile::FindFolderAgainIfRemoved() {
  struct stat info {};
  if (::fstat(dir_fd_, &info) != 0 || info.st_nlink > 0) return;
  const int fd = ::open(final_path_.parent_path().c_str(),  // NOLINT: POSIX vararg API.
                        O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // Removed for good: linking into the old one fails.
  ::close(dir_fd_);
  dir_fd_ = fd;
}

// Gives the unnamed file a temporary name beside the target (link() cannot
// replace a file, rename() can).
Status AtomicFile::LinkUnnamed() {
  const std::string source = "/proc/self/fd/" + std::to_string(unnamed_fd_);
  std::string name;
  const int error = CreateWithFreshName(
      [&](const std::string& candidate) {
        return ::linkat(AT_FDCWD, source.c_str(), dir_fd_, candidate.c_str(), AT_SYMLINK_FOLLOW) ==
               0;
      },
      name);
  if (error != 0) return FileFailure(target_, "write", error);
  temp_ = std::move(name);
  return {};
}

Status AtomicFile::Commit() {
  out_->flush();
  if (!*out_) return FileFailure(target_, "write", errno ? errno : EIO);
  out_->close();
  if (dir_fd_ < 0) {  // Written in place.
    committed_ = true;
    return {};
  }
  // Data first, then the name: a crash never leaves a half-written report.
  if (unnamed_fd_ >= 0) {
    ::fsync(unnamed_fd_);
    FindFolderAgainIfRemoved();  // A named temporary file would have gone with it.
    Status linked = LinkUnnamed();
    ::close(unnamed_fd_);
    unnamed_fd_ = -1;
    if (!linked) return linked;
  } else if (const int fd = ::openat(dir_fd_, temp_->c_str(), O_RDONLY | O_CLOEXEC);  // NOLINT
             fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  // Relative to the folder held since Open(), wherever its path went.
  if (::renameat(dir_fd_, temp_->c_str(), dir_fd_, final_path_.filename().c_str()) != 0) {
    return FileFailure(target_, "write", errno);
  }
  committed_ = true;
  return {};
}

}  // namespace dojobber::core
