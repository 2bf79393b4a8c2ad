#include "core/atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <ext/stdio_filebuf.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

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
int OpenUnnamed(int dir_fd, std::unique_ptr<std::ostream>& out) {
  const int fd = ::openat(dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);  // NOLINT
  if (fd < 0) return -1;
  ::flock(fd, LOCK_EX);  // Never contended: nobody else can open it yet.
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

// Temporary files are `.dojobber-PID-XXXXXX.tmp` beside the target: short,
// so that any target name the file system allows also allows them, and
// named after their writer, so that one left behind can be told from one
// being written.
constexpr std::string_view kTemporaryPrefix = ".dojobber-";
constexpr std::string_view kTemporarySuffix = ".tmp";
constexpr int kSaltLetters = 6;

std::string TemporaryName(std::uint32_t salt) {
  static constexpr char kLetters[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string name(kTemporaryPrefix);
  name += std::to_string(::getpid());
  name += '-';
  for (int i = 0; i < kSaltLetters; ++i, salt /= 62) name += kLetters[salt % 62];
  name += kTemporarySuffix;
  return name;
}

// The writer's PID in a name that TemporaryName() made; 0 for other names.
pid_t WriterOf(std::string_view name) {
  if (!name.starts_with(kTemporaryPrefix) || !name.ends_with(kTemporarySuffix)) return 0;
  name.remove_prefix(kTemporaryPrefix.size());
  name.remove_suffix(kTemporarySuffix.size());
  pid_t pid = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
  if (ec != std::errc() || pid <= 0 || name.end() - end != 1 + kSaltLetters || *end != '-')
    return 0;
  for (const char* c = end + 1; c != name.end(); ++c) {
    if (std::isalnum(static_cast<unsigned char>(*c)) == 0) return 0;
  }
  return pid;
}

bool ProcessExists(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

// Removes the temporary files in `dir_fd` that a writer killed before its
// rename left behind. A file is removed only when no process has its
// writer's PID and its lock can be taken: a writer that lives (also one in
// another PID namespace or on another host sharing the folder) holds it.
void RemoveLeftTemporaries(int dir_fd) {
  const int list_fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);  // NOLINT
  if (list_fd < 0) return;
  DIR* dir = ::fdopendir(list_fd);
  if (dir == nullptr) {
    ::close(list_fd);
    return;
  }
  std::vector<std::string> gone;
  while (const dirent* entry = ::readdir(dir)) {
    const pid_t writer = WriterOf(entry->d_name);
    if (writer == 0 || writer == ::getpid() || ProcessExists(writer)) continue;
    const int fd = ::openat(dir_fd, entry->d_name,  // NOLINT: POSIX vararg API.
                            O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) continue;
    struct stat info {};
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && ::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      gone.emplace_back(entry->d_name);
    }
    ::close(fd);
  }
  ::closedir(dir);
  for (const std::string& name : gone) ::unlinkat(dir_fd, name.c_str(), 0);
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

// /dev/full takes no byte: refused at Open() rather than after the run.
bool IsDevFull(const struct stat& info) {
  return S_ISCHR(info.st_mode) && ::major(info.st_rdev) == 1 && ::minor(info.st_rdev) == 7;
}

}  // namespace

AtomicFile::AtomicFile(fs::path target, std::unique_ptr<std::ostream> out)
    : target_(std::move(target)), out_(std::move(out)) {}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)),
      final_path_(std::move(other.final_path_)),
      dir_fd_(other.dir_fd_),
      temp_(std::move(other.temp_)),
      temp_fd_(other.temp_fd_),
      unnamed_(other.unnamed_),
      in_place_(std::move(other.in_place_)),
      out_(std::move(other.out_)),
      committed_(other.committed_) {
  other.dir_fd_ = -1;
  other.temp_.reset();
  other.temp_fd_ = -1;
  other.committed_ = true;
}

AtomicFile::~AtomicFile() {
  out_.reset();
  in_place_.reset();
  // Removed before its lock goes, so that nobody else removes it meanwhile.
  if (!committed_ && temp_) ::unlinkat(dir_fd_, temp_->c_str(), 0);
  if (temp_fd_ >= 0) ::close(temp_fd_);  // An unlinked unnamed file vanishes with it.
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

// Opened without blocking: opening a named pipe for writing otherwise waits
// for ever for a reader. Writes do wait (for a slow reader).
Expected<int> OpenForAppending(const fs::path& target, const fs::path& path) {
  const int fd = ::open(path.c_str(),  // NOLINT: POSIX vararg API.
                        O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0666);
  if (fd < 0) {
    const int error = errno;
    struct stat info {};
    if (error == ENXIO && ::stat(path.c_str(), &info) == 0 && S_ISFIFO(info.st_mode)) {
      return Failure{"cannot write " + target.string() + ": no process has it open for reading"};
    }
    return FileFailure(target, "write", error);
  }
  struct stat info {};
  if (::fstat(fd, &info) == 0 && IsDevFull(info)) {
    ::close(fd);
    return FileFailure(target, "write", ENOSPC);
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

// A pipe, a device or a file in /dev or /proc, written through one
// descriptor (OpenForAppending).
Expected<AtomicFile> AtomicFile::OpenInPlace(const fs::path& target, const fs::path& path) {
  Expected<int> opened = OpenForAppending(target, path);
  if (!opened) return opened.failure();
  const int fd = *opened;
  auto buffer = std::make_unique<__gnu_cxx::stdio_filebuf<char>>(fd, std::ios::out);  // Owns fd.
  auto out = std::make_unique<std::ostream>(buffer.get());
  AtomicFile file(target, std::move(out));
  file.in_place_ = std::move(buffer);
  file.final_path_ = path;
  return file;
}

Expected<AtomicFile> AtomicFile::Open(const fs::path& target, Temporary temporary) {
  const Destination destination = Resolve(target);
  if (destination.in_place) return OpenInPlace(target, destination.path);
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
  RemoveLeftTemporaries(file.dir_fd_);
  if (temporary == Temporary::kUnnamedIfPossible) {
    file.temp_fd_ = OpenUnnamed(file.dir_fd_, file.out_);
    if (file.temp_fd_ >= 0) {
      file.unnamed_ = true;
      return file;
    }
    if (const int error = errno; !UnnamedUnsupported(error)) {
      return FileFailure(target, "write", error);
    }
  }
  if (Status named = file.OpenNamed(); !named) return named.failure();
  return file;
}

// A temporary file with a name from the start, where O_TMPFILE is missing.
// Created with the mode a plain open would give the target, and locked at
// once (a cleaner that came in between would see our PID alive).
Status AtomicFile::OpenNamed() {
  std::string name;
  const int error = CreateWithFreshName(
      [this](const std::string& candidate) {
        temp_fd_ = ::openat(dir_fd_, candidate.c_str(),  // NOLINT: POSIX vararg API.
                            O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        return temp_fd_ >= 0;
      },
      name);
  if (error != 0) return FileFailure(target_, "write", error);
  temp_ = name;  // The destructor removes it from here on.
  ::flock(temp_fd_, LOCK_EX);
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
  const std::string source = "/proc/self/fd/" + std::to_string(temp_fd_);
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

Status AtomicFile::Rewind() {
  if (dir_fd_ < 0) return Failure{"cannot rewrite " + target_.string() + ": written in place"};
  out_->flush();
  if (!*out_ || ::ftruncate(temp_fd_, 0) != 0) {
    return FileFailure(target_, "write", errno ? errno : EIO);
  }
  out_->seekp(0);
  return {};
}

Status AtomicFile::Commit() {
  out_->flush();
  if (!*out_) return FileFailure(target_, "write", errno ? errno : EIO);
  if (dir_fd_ < 0) {  // Written in place.
    committed_ = true;
    return {};
  }
  static_cast<std::ofstream&>(*out_).close();
  // Data first, then the name: a crash never leaves a half-written report.
  ::fsync(temp_fd_);
  if (unnamed_) {
    FindFolderAgainIfRemoved();  // A named temporary file would have gone with it.
    if (Status linked = LinkUnnamed(); !linked) return linked;
  }
  // Relative to the folder held since Open(), wherever its path went. The
  // lock on temp_fd_ stays until the name is gone.
  if (::renameat(dir_fd_, temp_->c_str(), dir_fd_, final_path_.filename().c_str()) != 0) {
    return FileFailure(target_, "write", errno);
  }
  committed_ = true;
  return {};
}

}  // namespace dojobber::core
