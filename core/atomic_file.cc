#include "core/atomic_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
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

}  // namespace

AtomicFile::AtomicFile(fs::path target, fs::path final_path, std::optional<fs::path> temp,
                       std::unique_ptr<std::ofstream> out)
    : target_(std::move(target)),
      final_path_(std::move(final_path)),
      temp_(std::move(temp)),
      out_(std::move(out)) {}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)),
      final_path_(std::move(other.final_path_)),
      temp_(std::move(other.temp_)),
      out_(std::move(other.out_)),
      committed_(other.committed_) {
  other.temp_.reset();
  other.committed_ = true;
}

AtomicFile::~AtomicFile() {
  if (committed_ || !temp_) return;
  out_.reset();
  std::error_code ec;
  fs::remove(*temp_, ec);
}

Expected<AtomicFile> AtomicFile::Open(const fs::path& target) {
  const Destination destination = Resolve(target);
  if (destination.in_place) {
    auto out = std::make_unique<std::ofstream>(destination.path, std::ios::binary | std::ios::app);
    if (!*out) return FileFailure(target, "write", errno);
    return AtomicFile(target, destination.path, std::nullopt, std::move(out));
  }
  std::error_code ec;
  if (fs::is_directory(destination.path, ec)) return FileFailure(target, "write", EISDIR);
  const fs::path& final_path = destination.path;
  const fs::path dir = final_path.parent_path();
  std::string pattern = (dir / ("." + final_path.filename().string() + ".tmp.XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) return FileFailure(target, "write", errno);
  // mkstemp makes the file private; give it the mode a plain open would.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  ::close(fd);
  fs::path temp(name.data());
  auto out = std::make_unique<std::ofstream>(temp, std::ios::binary | std::ios::trunc);
  if (!*out) {
    const int error = errno;
    fs::remove(temp, ec);
    return FileFailure(target, "write", error);
  }
  return AtomicFile(target, final_path, std::move(temp), std::move(out));
}

Status AtomicFile::Commit() {
  out_->flush();
  if (!*out_) return FileFailure(target_, "write", errno ? errno : EIO);
  out_->close();
  if (!temp_) {
    committed_ = true;
    return {};
  }
  // Data first, then the name: a crash never leaves a half-written report.
  if (const int fd = ::open(temp_->c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {  // NOLINT
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
