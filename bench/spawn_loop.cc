// The cost of starting any process here: posix_spawn + waitpid of a
// program (default /bin/true), COUNT times, one after the other.
//
//   spawn_loop COUNT [PROGRAM]
//
// Prints the mean microseconds per spawn+wait; exit status 1 when a spawn
// or a child fails, 2 on bad arguments.

#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern char** environ;

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3 || std::atol(argv[1]) < 1) {
    std::fprintf(stderr, "usage: spawn_loop COUNT [PROGRAM]\n");
    return 2;
  }
  const long count = std::atol(argv[1]);
  char* program = const_cast<char*>(argc == 3 ? argv[2] : "/bin/true");
  char* child_argv[] = {program, nullptr};
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < count; ++i) {
    pid_t pid = 0;
    const int error = posix_spawn(&pid, program, nullptr, nullptr, child_argv, environ);
    if (error != 0) {
      std::fprintf(stderr, "spawn_loop: posix_spawn %s: %s\n", program, std::strerror(error));
      return 1;
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "spawn_loop: %s failed\n", program);
      return 1;
    }
  }
  const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - start;
  std::printf("%.1f\n", took.count() / static_cast<double>(count));
  return 0;
}
