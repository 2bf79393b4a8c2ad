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

bool IsSpecialFile(const fs::path& target) {
  std::error_code ec;
  const fs::file_status status = fs::status(target, ec);
  return fs::exists(status) && !fs::is_regular_file(status) && !fs::is_directory(status);
}

}  // namespace

AtomicFile::AtomicFile(fs::path target, std::optional<fs::path> temp,
                       std::unique_ptr<std::ofstream> out)
    : target_(std::move(target)), temp_(std::move(temp)), out_(std::move(out)) {}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)),
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
  if (IsSpecialFile(target)) {
    auto out = std::make_unique<std::ofstream>(target, std::ios::binary);
    if (!*out) return FileFailure(target, "write", errno);
    return AtomicFile(target, std::nullopt, std::move(out));
  }
  std::error_code ec;
  if (fs::is_directory(target, ec)) return FileFailure(target, "write", EISDIR);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string pattern = (dir / ("." + target.filename().string() + ".tmp.XXXXXX")).string();
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
  return AtomicFile(target, std::move(temp), std::move(out));
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
  if (::rename(temp_->c_str(), target_.c_str()) != 0) {
    return FileFailure(target_, "write", errno);
  }
  committed_ = true;
  return {};
}

}  // namespace dojobber::core
