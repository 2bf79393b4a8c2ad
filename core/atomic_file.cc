#include "core/atomic_file.h"

#include <fcntl.h>
#include <stdlib.h>
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

// An unnamed file in `dir`, opened for writing through /proc (streams cannot
// adopt a descriptor); -1 with errno when the file system or kernel has no
// O_TMPFILE, or /proc is missing.
int OpenUnnamed(const fs::path& dir, std::unique_ptr<std::ofstream>& out) {
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);  // NOLINT
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

std::string TemporaryName(const fs::path& final_path, std::uint32_t salt) {
  static constexpr char kLetters[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string name(kTemporaryPrefix);
  for (int i = 0; i < 6; ++i, salt /= 62) name += kLetters[salt % 62];
  name += kTemporarySuffix;
  return (final_path.parent_path() / name).string();
}

// Whether the target's own name is longer than its folder allows; checked
// up front, since the rename at the end would fail after the whole run.
bool NameTooLong(const fs::path& final_path) {
  const long limit = ::pathconf(final_path.parent_path().c_str(), _PC_NAME_MAX);
  const std::size_t max = limit > 0 ? static_cast<std::size_t>(limit) : 255;
  return final_path.filename().string().size() > max;
}

}  // namespace

AtomicFile::AtomicFile(fs::path target, fs::path final_path, std::optional<fs::path> temp,
                       int unnamed_fd, std::unique_ptr<std::ofstream> out)
    : target_(std::move(target)),
      final_path_(std::move(final_path)),
      temp_(std::move(temp)),
      unnamed_fd_(unnamed_fd),
      out_(std::move(out)) {}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)),
      final_path_(std::move(other.final_path_)),
      temp_(std::move(other.temp_)),
      unnamed_fd_(other.unnamed_fd_),
      out_(std::move(other.out_)),
      committed_(other.committed_) {
  other.temp_.reset();
  other.unnamed_fd_ = -1;
  other.committed_ = true;
}

AtomicFile::~AtomicFile() {
  out_.reset();
  if (unnamed_fd_ >= 0) ::close(unnamed_fd_);  // An unlinked file vanishes with it.
  if (committed_ || !temp_) return;
  std::error_code ec;
  fs::remove(*temp_, ec);
}

Expected<AtomicFile> AtomicFile::Open(const fs::path& target, Temporary temporary) {
  const Destination destination = Resolve(target);
  if (destination.in_place) {
    auto out = std::make_unique<std::ofstream>(destination.path, std::ios::binary | std::ios::app);
    if (!*out) return FileFailure(target, "write", errno);
    return AtomicFile(target, destination.path, std::nullopt, -1, std::move(out));
  }
  std::error_code ec;
  if (fs::is_directory(destination.path, ec)) return FileFailure(target, "write", EISDIR);
  const fs::path& final_path = destination.path;
  if (NameTooLong(final_path)) return FileFailure(target, "write", ENAMETOOLONG);
  const fs::path dir = final_path.parent_path();
  std::unique_ptr<std::ofstream> out;
  if (temporary == Temporary::kUnnamedIfPossible) {
    if (const int fd = OpenUnnamed(dir, out); fd >= 0) {
      return AtomicFile(target, final_path, std::nullopt, fd, std::move(out));
    }
    if (const int error = errno; !UnnamedUnsupported(error)) {
      return FileFailure(target, "write", error);
    }
  }
  std::string pattern =
      (dir / (std::string(kTemporaryPrefix) + "XXXXXX" + std::string(kTemporarySuffix))).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemps(name.data(), static_cast<int>(kTemporarySuffix.size()));
  if (fd < 0) return FileFailure(target, "write", errno);
  // mkstemp makes the file private; give it the mode a plain open would.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  ::close(fd);
  fs::path temp(name.data());
  out = std::make_unique<std::ofstream>(temp, std::ios::binary | std::ios::trunc);
  if (!*out) {
    const int error = errno;
    fs::remove(temp, ec);
    return FileFailure(target, "write", error);
  }
  return AtomicFile(target, final_path, std::move(temp), -1, std::move(out));
}

// Gives the unnamed file a temporary name beside the target (link() cannot
// replace a file, rename() can).
Status AtomicFile::LinkUnnamed() {
  const std::string source = "/proc/self/fd/" + std::to_string(unnamed_fd_);
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string name = TemporaryName(final_path_, random());
    if (::linkat(AT_FDCWD, source.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0) {
      temp_ = std::move(name);
      return {};
    }
    if (errno != EEXIST) return FileFailure(target_, "write", errno);
  }
  return FileFailure(target_, "write", EEXIST);
}

Status AtomicFile::Commit() {
  out_->flush();
  if (!*out_) return FileFailure(target_, "write", errno ? errno : EIO);
  out_->close();
  if (!temp_ && unnamed_fd_ < 0) {
    committed_ = true;
    return {};
  }
  // Data first, then the name: a crash never leaves a half-written report.
  if (unnamed_fd_ >= 0) {
    ::fsync(unnamed_fd_);
    Status linked = LinkUnnamed();
    ::close(unnamed_fd_);
    unnamed_fd_ = -1;
    if (!linked) return linked;
  } else if (const int fd = ::open(temp_->c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {  // NOLINT
    ::fsync(fd);
    ::close(fd);
  }
  if (::rename(temp_->c_str(), final_path_.c_str()) != 0) {
    return FileFailure(target_, "write", errno);
  }
  committed_ = true;
  return {};
}

}  // namespace dojobber::core
