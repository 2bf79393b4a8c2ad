#include "tests/e2e/run_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
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

// Runs in the forked child: only async-signal-safe calls until exec. Signal
// dispositions and the mask are inherited across exec, so reset the ones
// the tests rely on.
[[noreturn]] void ExecChild(const char* path, char* const* argv, char* const* envp, const char* cwd,
                            int out_fd, int err_fd) {
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0 || ::dup2(null_fd, STDIN_FILENO) < 0 || ::dup2(out_fd, STDOUT_FILENO) < 0 ||
      ::dup2(err_fd, STDERR_FILENO) < 0) {
    ::_exit(126);
  }
  if (cwd != nullptr && ::chdir(cwd) != 0) ::_exit(126);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  ::sigemptyset(&default_action.sa_mask);
  for (int signal : {SIGINT, SIGTERM}) ::sigaction(signal, &default_action, nullptr);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::execve(path, argv, envp);
  ::_exit(127);
}

enum class DrainEnd { kClosed, kDeadline, kDone };

// Reads both pipes until the child closes both, `done()` holds or the
// deadline passes; closes each read end at its end of file and sets it to -1.
template <class Done>
DrainEnd Drain(std::array<int, 2>& read_fds, Clock::time_point deadline, ProcessResult& result,
               Done done) {
  std::array<pollfd, 2> fds{{{read_fds[0], POLLIN, 0}, {read_fds[1], POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  std::array<char, 4096> buffer{};
  int open_count = static_cast<int>(
      std::count_if(read_fds.begin(), read_fds.end(), [](int fd) { return fd >= 0; }));
  while (true) {
    if (done()) return DrainEnd::kDone;
    if (open_count == 0) return DrainEnd::kClosed;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return DrainEnd::kDeadline;
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return DrainEnd::kDeadline;
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
}

// A pseudo-terminal `columns` wide: [0] its master side, for us, [1] its
// terminal side, for the child. Raw output, so bytes pass unchanged. Neither
// becomes this process's controlling terminal.
bool OpenTerminal(int columns, std::array<int, 2>& ends) {
  ends[0] = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (ends[0] < 0 || ::grantpt(ends[0]) != 0 || ::unlockpt(ends[0]) != 0) return false;
  const char* name = ::ptsname(ends[0]);
  if (name == nullptr) return false;
  ends[1] = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (ends[1] < 0) return false;
  termios mode{};
  if (::tcgetattr(ends[1], &mode) != 0) return false;
  ::cfmakeraw(&mode);
  const winsize size{
      .ws_row = 24, .ws_col = static_cast<unsigned short>(columns), .ws_xpixel = 0, .ws_ypixel = 0};
  return ::tcsetattr(ends[1], TCSANOW, &mode) == 0 && ::ioctl(ends[1], TIOCSWINSZ, &size) == 0;
}

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options) {
  return RunningProcess(argv, options).Wait();
}

RunningProcess::RunningProcess(const std::vector<std::string>& argv, const ProcessOptions& options)
    : argv0_(argv.empty() ? "" : argv[0]), timeout_(options.timeout) {
  std::vector<std::string> args = argv;
  std::vector<std::string> env = ChildEnvironment(options);
  std::vector<char*> arg_pointers = Pointers(args);
  std::vector<char*> env_pointers = Pointers(env);
  const std::string cwd = options.cwd.string();

  // [0] is read by us (-1 when stdout goes to a file or the terminal), [1]
  // is the child's.
  std::array<int, 2> out_pipe{-1, -1};
  std::array<int, 2> err_pipe{-1, -1};
  bool ready = false;
  if (options.terminal_columns > 0) {
    ready = OpenTerminal(options.terminal_columns, err_pipe);
    out_pipe[1] = ready ? ::fcntl(err_pipe[1], F_DUPFD_CLOEXEC, 0) : -1;
    ready = ready && out_pipe[1] >= 0;
  } else if (options.stdout_path.empty()) {
    ready = ::pipe2(out_pipe.data(), O_CLOEXEC) == 0 && ::pipe2(err_pipe.data(), O_CLOEXEC) == 0;
  } else {
    out_pipe[1] = ::open(options.stdout_path.c_str(), O_WRONLY | O_CLOEXEC);
    ready = out_pipe[1] >= 0 && ::pipe2(err_pipe.data(), O_CLOEXEC) == 0;
  }
  if (!ready) {
    ADD_FAILURE() << "cannot set up the child's output: " << std::strerror(errno);
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      if (fd >= 0) ::close(fd);
    }
    return;
  }
  deadline_ = Clock::now() + options.timeout;
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
    return;
  }
  pid_ = pid;
  read_fds_ = {out_pipe[0], err_pipe[0]};
}

RunningProcess::~RunningProcess() {
  if (pid_ >= 0 && !reaped_) ::kill(pid_, SIGKILL);
  for (int& fd : read_fds_) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  if (pid_ >= 0 && !reaped_) {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
}

bool RunningProcess::WaitForStderrLine(std::string_view line, std::chrono::milliseconds timeout) {
  const std::string& err = result_.err;
  // Lines that arrived before this call, then each new whole line once.
  if (("\n" + err).find("\n" + std::string(line) + "\n") != std::string::npos) return true;
  std::size_t scanned = err.rfind('\n') == std::string::npos ? 0 : err.rfind('\n') + 1;
  auto arrived = [&] {
    for (std::size_t end = err.find('\n', scanned); end != std::string::npos;
         end = err.find('\n', scanned)) {
      const bool match = std::string_view(err).substr(scanned, end - scanned) == line;
      scanned = end + 1;
      if (match) return true;
    }
    return false;
  };
  return WaitUntil(arrived, "stderr line \"" + std::string(line) + "\"", timeout);
}

bool RunningProcess::WaitForStderrText(std::string_view text, std::chrono::milliseconds timeout) {
  const std::string& err = result_.err;
  std::size_t from = 0;  // Text before this cannot start a match.
  auto arrived = [&] {
    if (err.find(text, from) != std::string::npos) return true;
    from = err.size() >= text.size() ? err.size() - text.size() + 1 : 0;
    return false;
  };
  if (arrived()) return true;
  return WaitUntil(arrived, "\"" + std::string(text) + "\" on stderr", timeout);
}

bool RunningProcess::WaitUntil(const std::function<bool()>& arrived, const std::string& what,
                               std::chrono::milliseconds timeout) {
  if (pid_ < 0 || reaped_) {
    ADD_FAILURE() << "no running child to wait for " << what;
    return false;
  }
  const DrainEnd end =
      Drain(read_fds_, std::min(deadline_, Clock::now() + timeout), result_, arrived);
  if (end == DrainEnd::kDone) return true;
  ADD_FAILURE() << argv0_ << ": no " << what << " "
                << (end == DrainEnd::kClosed ? "before its output ended" : "in time")
                << "; stderr so far:\n"
                << result_.err;
  return false;
}

void RunningProcess::Signal(int signal) {
  if (pid_ < 0 || reaped_) {
    ADD_FAILURE() << "no running child to send signal " << signal << " to";
    return;
  }
  if (::kill(pid_, signal) != 0) ADD_FAILURE() << "kill: " << std::strerror(errno);
}

ProcessResult RunningProcess::Wait() {
  if (pid_ < 0 || reaped_) return result_;
  const bool finished =
      Drain(read_fds_, deadline_, result_, [] { return false; }) == DrainEnd::kClosed;
  if (!finished) ::kill(pid_, SIGKILL);
  for (int& fd : read_fds_) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  if (!finished) {
    result_.timed_out = true;
    ADD_FAILURE() << argv0_ << " timed out after " << timeout_.count()
                  << " ms and was killed; stderr so far:\n"
                  << result_.err;
    return result_;
  }
  result_.exit_code = ExitCodeOf(status);
  if (result_.exit_code == 127 || result_.exit_code == 126) {
    ADD_FAILURE() << "could not start " << argv0_ << " (exit status " << result_.exit_code << ")";
  }
  return result_;
}

}  // namespace dojobber::e2e
