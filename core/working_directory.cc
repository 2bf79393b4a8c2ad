#include "core/working_directory.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace dojobber::core {

WorkingDirectory::WorkingDirectory() {
  // O_PATH needs no read permission on the directory, only search.
  fd_ = ::open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);  // NOLINT: POSIX vararg API.
  if (fd_ < 0) open_errno_ = errno;
}

WorkingDirectory::~WorkingDirectory() {
  if (fd_ >= 0) ::close(fd_);
}

Status WorkingDirectory::Restore() const {
  if (fd_ < 0) {
    return Failure{std::string("cannot hold the starting working directory: ") +
                   std::strerror(open_errno_)};
  }
  if (::fchdir(fd_) != 0) {
    return Failure{std::string("cannot return to the starting working directory: ") +
                   std::strerror(errno)};
  }
  return {};
}

}  // namespace dojobber::core
