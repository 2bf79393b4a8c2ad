#include "tests/e2e/run_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

#include <gtest/gtest.h>

extern char** environ;

namespace dojobber::e2e {
namespace {

using Clock = std::chrono::steady_clock;

// The child's environment: ours, with the overrides applied.
std::vector<std::string> ChildEnvironment(const ProcessOptions& options) {
  std::map<std::string, std::string> vars;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const std::size_t equals = text.find('=');
    if (equals != std::string::npos) vars[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [name, value] : options.env) {
    if (value) {
      vars[name] = *value;
    } else {
      vars.erase(name);
    }
  }
  std::vector<std::string> env;
  for (const auto& [name, value] : vars) env.push_back(name + "=" + value);
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void ExecChild(const char* path, char* const* argv, char* const* envp, const char* cwd,
                            int out_fd, int err_fd) {
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0 || ::dup2(null_fd, STDIN_FILENO) < 0 || ::dup2(out_fd, STDOUT_FILENO) < 0 ||
      ::dup2(err_fd, STDERR_FILENO) < 0) {
    ::_exit(126);
  }
  if (cwd != nullptr && ::chdir(cwd) != 0) ::_exit(126);
  ::execve(path, argv, envp);
  ::_exit(127);
}

// Reads both pipes until the child closes both or the deadline passes; closes
// each read end at its end of file and sets it to -1.
bool Drain(std::array<int, 2>& read_fds, Clock::time_point deadline, ProcessResult& result) {
  std::array<pollfd, 2> fds{{{read_fds[0], POLLIN, 0}, {read_fds[1], POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  std::array<char, 4096> buffer{};
  int open_count = static_cast<int>(
      std::count_if(read_fds.begin(), read_fds.end(), [](int fd) { return fd >= 0; }));
  while (open_count > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return false;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t count = ::read(fds[i].fd, buffer.data(), buffer.size());
      if (count < 0 && errno == EINTR) continue;
      if (count > 0) {
        sinks[i]->append(buffer.data(), static_cast<std::size_t>(count));
        continue;
      }
      ::close(fds[i].fd);
      fds[i].fd = -1;
      read_fds[i] = -1;
      --open_count;
    }
  }
  return true;
}

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options) {
  ProcessResult result;
  std::vector<std::string> args = argv;
  std::vector<std::string> env = ChildEnvironment(options);
  std::vector<char*> arg_pointers = Pointers(args);
  std::vector<char*> env_pointers = Pointers(env);
  const std::string cwd = options.cwd.string();

  // [0] is read by us (-1 when stdout goes to a file), [1] is the child's.
  std::array<int, 2> out_pipe{-1, -1};
  std::array<int, 2> err_pipe{-1, -1};
  bool ready = false;
  if (options.stdout_path.empty()) {
    ready = ::pipe2(out_pipe.data(), O_CLOEXEC) == 0;
  } else {
    out_pipe[1] = ::open(options.stdout_path.c_str(), O_WRONLY | O_CLOEXEC);
    ready = out_pipe[1] >= 0;
  }
  if (!ready || ::pipe2(err_pipe.data(), O_CLOEXEC) != 0) {
    ADD_FAILURE() << "cannot set up the child's output: " << std::strerror(errno);
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      if (fd >= 0) ::close(fd);
    }
    return result;
  }
  const Clock::time_point deadline = Clock::now() + options.timeout;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ExecChild(arg_pointers[0], arg_pointers.data(), env_pointers.data(),
              cwd.empty() ? nullptr : cwd.c_str(), out_pipe[1], err_pipe[1]);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (pid < 0) {
    ADD_FAILURE() << "fork: " << std::strerror(errno);
    for (int fd : {out_pipe[0], err_pipe[0]}) {
      if (fd >= 0) ::close(fd);
    }
    return result;
  }

  std::array<int, 2> read_fds{out_pipe[0], err_pipe[0]};
  const bool finished = Drain(read_fds, deadline, result);
  if (!finished) ::kill(pid, SIGKILL);
  for (int fd : read_fds) {
    if (fd >= 0) ::close(fd);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!finished) {
    result.timed_out = true;
    ADD_FAILURE() << argv[0] << " timed out after " << options.timeout.count()
                  << " ms and was killed; stderr so far:\n"
                  << result.err;
    return result;
  }
  result.exit_code = ExitCodeOf(status);
  if (result.exit_code == 127 || result.exit_code == 126) {
    ADD_FAILURE() << "could not start " << argv[0] << " (exit status " << result.exit_code << ")";
  }
  return result;
}

}  // namespace dojobber::e2e
