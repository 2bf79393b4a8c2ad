// The program's own chdir and fchdir (see core/chdir_watch.h): the C
// library's, plus a count of the calls. Linked into programs as an object
// library, never into the engine's static library, so that a program that
// links the engine without wanting its C library calls replaced gets none.

#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>

extern "C" {

// Read by core/working_directory.cc through a weak reference.
std::atomic<std::uint64_t> dojobber_directory_moves{0};

int chdir(const char* path) noexcept {
  dojobber_directory_moves.fetch_add(1, std::memory_order_acq_rel);
  const long result = ::syscall(SYS_chdir, path);
  dojobber_directory_moves.fetch_add(1, std::memory_order_acq_rel);
  return static_cast<int>(result);
}

int fchdir(int fd) noexcept {
  dojobber_directory_moves.fetch_add(1, std::memory_order_acq_rel);
  const long result = ::syscall(SYS_fchdir, fd);
  dojobber_directory_moves.fetch_add(1, std::memory_order_acq_rel);
  return static_cast<int>(result);
}

}  // extern "C"
