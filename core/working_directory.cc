#include "core/working_directory.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/chdir_watch.h"

// Defined by core/chdir_watch.cc when the program links it.
extern "C" [[gnu::weak]] std::atomic<std::uint64_t> dojobber_directory_moves;

namespace dojobber::core {
namespace {

// Odd, so never a count between changes.
constexpr std::uint64_t kUnknown = ~std::uint64_t{0};

}  // namespace

const std::atomic<std::uint64_t>* DirectoryMoves() {
  static const std::atomic<std::uint64_t>* const moves = []() -> const std::atomic<std::uint64_t>* {
    if (&dojobber_directory_moves == nullptr) return nullptr;
    // With the watch linked in, chdir and fchdir here are the program's own;
    // they count every caller only if they are also what plugins get.
    const auto own_chdir = reinterpret_cast<void*>(&::chdir);
    const auto own_fchdir = reinterpret_cast<void*>(&::fchdir);
    if (::dlsym(RTLD_DEFAULT, "chdir") != own_chdir ||
        ::dlsym(RTLD_DEFAULT, "fchdir") != own_fchdir) {
      return nullptr;
    }
    return &dojobber_directory_moves;
  }();
  return moves;
}

WorkingDirectory::WorkingDirectory() : moves_(DirectoryMoves()) {
  // O_PATH needs no read permission on the directory, only search.
  fd_ = ::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);  // NOLINT: POSIX vararg API.
  if (fd_ < 0) open_errno_ = errno;
  if (fd_ >= 0 && moves_ != nullptr) {
    const std::uint64_t now = moves_->load(std::memory_order_acquire);
    home_.store(now % 2 == 0 ? now : kUnknown, std::memory_order_relaxed);
  }
}

WorkingDirectory::~WorkingDirectory() {
  if (fd_ >= 0) ::close(fd_);
}

Status WorkingDirectory::Restore() const {
  if (fd_ < 0) {
    return Failure{std::string("cannot hold the starting working directory: ") +
                   std::strerror(open_errno_)};
  }
  // No change of directory since this one was last made current: it still
  // is, and the system call is saved (most phases move nowhere).
  const std::uint64_t before = moves_ ? moves_->load(std::memory_order_acquire) : kUnknown;
  if (before != kUnknown && before == home_.load(std::memory_order_relaxed)) return {};
  if (::fchdir(fd_) != 0) {
    home_.store(kUnknown, std::memory_order_relaxed);
    return Failure{std::string("cannot return to the starting working directory: ") +
                   std::strerror(errno)};
  }
  if (moves_ != nullptr) {
    // Our own fchdir counted 2; anything more, or a change under way when we
    // began, and we cannot tell where the directory is: check next time.
    const std::uint64_t after = moves_->load(std::memory_order_acquire);
    home_.store(before % 2 == 0 && after == before + 2 ? after : kUnknown,
                std::memory_order_relaxed);
  }
  return {};
}

}  // namespace dojobber::core
