#ifndef DOJOBBER_CORE_CHDIR_WATCH_H_
#define DOJOBBER_CORE_CHDIR_WATCH_H_

#include <atomic>
#include <cstdint>

namespace dojobber::core {

/// The count of the process's changes of working directory, so that the engine
/// knows without a system call whether a phase moved it (WorkingDirectory).
///
/// The count exists only in programs that link the `dojobber::chdir_watch`
/// object library (core/chdir_watch.cc; the dojobber binary and the tests):
/// it defines `chdir` and `fchdir` in the program itself and exports them,
/// and the dynamic linker prefers those over the C library's for every
/// caller (the program, libstdc++'s std::filesystem::current_path, plugins
/// loaded later). Each adds 1 before its system call and 1 after it, so an
/// odd count means a change is under way. A change made by a raw system call (`syscall(SYS_chdir,
/// ...)`) or inside the C library is not counted.
///
/// Returns nullptr when nothing counts every change: the watch is not linked
/// in, or another definition of `chdir` or `fchdir` comes first. Callers
/// then assume the directory may have moved.
const std::atomic<std::uint64_t>* DirectoryMoves();

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_CHDIR_WATCH_H_
