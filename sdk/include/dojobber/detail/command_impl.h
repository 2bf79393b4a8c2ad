#ifndef DOJOBBER_DETAIL_COMMAND_IMPL_H_
#define DOJOBBER_DETAIL_COMMAND_IMPL_H_

// The process side of <dojobber/command.h>: fork, exec, wait, end the group.
// Included by it; not for plugins to include.
//
// The child is forked (not spawned) so that it can wait, between fork and
// exec, until its process group is registered with the engine: a try killed
// in between then leaves nothing (the child sees its parent's end of the
// pipe close and exits). Between fork and exec it makes only
// async-signal-safe calls, as a child of a threaded process must.

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <dojobber/command.h>
#include <dojobber/detail/command_text.h>

extern char** environ;

namespace dojobber {
namespace detail {

inline std::string ErrnoText(int error) { return std::strerror(error); }

// A descriptor closed with its owner.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { Close(); }
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      Close();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  int get() const { return fd_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// A close-on-exec pipe whose ends are above stdin, stdout and stderr, so
// that the child's dup2 onto 0-2 never overwrites one of them.
struct Pipe {
  Fd read;
  Fd write;
};

inline int AboveStdio(int fd) {
  if (fd > STDERR_FILENO) return fd;
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
  ::close(fd);
  return moved;
}

inline Pipe MakePipe(const std::string& command) {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) {
    throw Error("cannot run `" + command + "`: pipe: " + ErrnoText(errno));
  }
  Pipe pipe{Fd(AboveStdio(fds[0])), Fd(AboveStdio(fds[1]))};
  if (pipe.read.get() < 0 || pipe.write.get() < 0) {
    throw Error("cannot run `" + command + "`: fcntl: " + ErrnoText(errno));
  }
  return pipe;
}

// `name` as execvp would find it, in the command's PATH; empty if nowhere.
inline std::string FindProgram(const std::string& name, const std::string& path) {
  if (name.find('/') != std::string::npos) return name;
  std::string_view dirs = path;
  while (true) {
    const std::size_t colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + name;
    struct stat info {};
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    if (colon == std::string_view::npos) return {};
    dirs.remove_prefix(colon + 1);
  }
}

// dojobber's environment with the command's variables added or replaced.
inline std::vector<std::string> MergedEnvironment(
    const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> merged;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string name(text.substr(0, text.find('=')));
    if (!overrides.contains(name)) merged.emplace_back(text);
  }
  for (const auto& [name, value] : overrides) merged.push_back(name + "=" + value);
  return merged;
}

inline std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Why the child could not exec, sent back on the status pipe.
struct ChildFailure {
  int stage = 0;  // 1: chdir, 2: exec.
  int error = 0;
};

// The child, between fork and exec: async-signal-safe calls only.
// It starts with every signal blocked (see RunCommand), so that no handler
// of dojobber's runs in it: a SIGTERM to its group would otherwise run
// dojobber's stop handler here, which writes to dojobber's own wake-up pipe.
[[noreturn]] inline void RunChild(int stdin_fd, int stdout_fd, int stderr_fd, int go_fd,
                                  int go_write_fd, int status_fd, const char* directory,
                                  const char* program, char* const* argv, char* const* envp,
                                  int max_fd) {
  // Default signal handling: nothing ignored or caught, then nothing
  // blocked (exec resets caught signals, but keeps ignored ones and the mask).
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
  }
  ::setpgid(0, 0);  // Also done by the parent: the group exists whoever is first.
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::close(go_write_fd);  // Else our own copy would keep the pipe from ending.
  char go = 0;
  ssize_t got;
  do {
    got = ::read(go_fd, &go, 1);
  } while (got < 0 && errno == EINTR);
  if (got != 1) ::_exit(127);  // Not registered: the try is being ended.
  const auto fail = [status_fd](int stage) {
    const ChildFailure failure{stage, errno};
    (void)!::write(status_fd, &failure, sizeof failure);
    ::_exit(127);
  };
  for (auto [from, to] : {std::pair{stdin_fd, STDIN_FILENO}, std::pair{stdout_fd, STDOUT_FILENO},
                          std::pair{stderr_fd, STDERR_FILENO}}) {
    if (::dup2(from, to) < 0) fail(2);
  }
  if (directory != nullptr && ::chdir(directory) != 0) fail(1);
    // None of dojobber's descriptors reach the program: all above stderr are
    // closed at exec (the status pipe's end too, which tells the parent the
    // exec worked).
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifdef SYS_close_range
  const bool marked = ::syscall(SYS_close_range, STDERR_FILENO + 1, ~0U, CLOSE_RANGE_CLOEXEC) == 0;
#else
  const bool marked = false;
#endif
  if (!marked) {
    for (int fd = STDERR_FILENO + 1; fd < max_fd; ++fd) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  ::execve(program, argv, envp);
  fail(2);
  ::_exit(127);
}

// Blocks SIGPIPE on this thread while it lives, so that writing the input
// to a command that closed its stdin fails with EPIPE instead of raising
// SIGPIPE (which a try's own process takes with the default action, death).
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigset_t pipe_only;
    ::sigemptyset(&pipe_only);
    ::sigaddset(&pipe_only, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &pipe_only, &old_);
  }
  ~SigpipeBlock() {
    if (raised_) {
      // Take back the SIGPIPE our write raised before unblocking it.
      sigset_t pipe_only;
      ::sigemptyset(&pipe_only);
      ::sigaddset(&pipe_only, SIGPIPE);
      const timespec now{0, 0};
      while (::sigtimedwait(&pipe_only, nullptr, &now) < 0 && errno == EINTR) {
      }
    }
    ::pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;
  void Raised() { raised_ = true; }

 private:
  sigset_t old_{};
  bool raised_ = false;
};

using Clock = std::chrono::steady_clock;

inline Clock::duration Seconds(double seconds) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
      std::min(seconds, 1e9)));  // A year's worth of seconds and more: no limit in practice.
}

// The started command, until reaped: ends and reaps it if left early (an
// exception), so that nothing outlives the call.
class Child {
 public:
  Child(pid_t pid, CommandTracker* tracker) : pid_(pid), tracker_(tracker) {}
  ~Child() {
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGKILL);
    EndAndReap();
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  void set_registered() { registered_ = true; }

  // Whether the leader has exited; it stays a zombie (not reaped), so its
  // id keeps naming the group. (A process that ignores SIGCHLD has its
  // children reaped by the kernel: ECHILD then says it is gone.)
  bool Exited() const {
    siginfo_t info{};
    const int waited = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT);
    return (waited == 0 && info.si_pid == pid_) || (waited < 0 && errno == ECHILD);
  }
  // Sends `sig` to the whole group.
  void Signal(int sig) const { ::kill(-pid_, sig); }

  // After the leader exited: kills what it left in the group, tells the
  // tracker, reaps the leader. Returns its wait status; none when the
  // kernel reaped it (SIGCHLD ignored).
  std::optional<int> EndAndReap() {
    ::kill(-pid_, SIGKILL);
    if (registered_ && tracker_ != nullptr) tracker_->Ended(pid_);
    int status = 0;
    pid_t reaped;
    do {
      reaped = ::waitpid(pid_, &status, 0);
    } while (reaped < 0 && errno == EINTR);
    pid_ = -1;
    if (reaped < 0) return std::nullopt;
    return status;
  }

 private:
  pid_t pid_;
  CommandTracker* tracker_;
  bool registered_ = false;
};

// One of the command's output streams, as read.
struct Stream {
  Fd fd;
  OutputTail tail;
  LineSplitter lines;
  bool open() const { return fd.get() >= 0; }

  // Reads what is there; closes at the end. Returns whether it read data.
  bool Read() {
    std::array<char, 65536> buffer{};
    const ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
    if (got < 0 && (errno == EINTR || errno == EAGAIN)) return false;
    if (got <= 0) {
      fd.Close();
      return false;
    }
    const std::string_view data(buffer.data(), static_cast<std::size_t>(got));
    tail.Add(data);
    lines.Add(data);
    return true;
  }
};

}  // namespace detail

inline CommandResult RunCommand(const Command& command, const CommandHooks& hooks) {
  using detail::Clock;
  CommandResult result;
  result.command = detail::ShellLine(command.argv);
  result.timeout_seconds = command.timeout_seconds;
  const std::string& shown = result.command;
  if (command.argv.empty()) throw Error("cannot run a command: its argv is empty");
  // What the kernel would cut short or misread is refused, never run changed.
  const auto refuse = [&shown](const std::string& why) {
    throw Error("cannot run `" + shown + "`: " + why);
  };
  for (std::size_t i = 0; i < command.argv.size(); ++i) {
    if (command.argv[i].find('\0') != std::string::npos) {
      refuse("argv[" + std::to_string(i) + "] contains a NUL byte");
    }
  }
  if (command.working_directory.find('\0') != std::string::npos) {
    refuse("its working directory contains a NUL byte");
  }
  for (const auto& [name, value] : command.environment) {
    if (name.empty() || name.find_first_of(std::string_view("=\0", 2)) != std::string::npos) {
      refuse("environment variable name " + detail::ShellQuote(name) +
             " is empty or contains '=' or a NUL byte");
    }
    if (value.find('\0') != std::string::npos) {
      refuse("environment variable " + name + " contains a NUL byte");
    }
  }
  if (!std::isfinite(command.timeout_seconds) || command.timeout_seconds < 0) {
    refuse("timeout_seconds must be a finite number of seconds, 0 or more (got " +
           detail::FormatSeconds(command.timeout_seconds) + ")");
  }

  // Everything the child needs is made before the fork.
  std::vector<std::string> environment = detail::MergedEnvironment(command.environment);
  std::string path = "/usr/local/bin:/usr/bin:/bin";
  for (const std::string& entry : environment) {
    if (entry.starts_with("PATH=")) path = entry.substr(5);
  }
  const std::string program = detail::FindProgram(command.argv[0], path);
  if (program.empty()) {
    throw Error("cannot run `" + shown + "`: " + command.argv[0] + " is not in PATH (" + path +
                ")");
  }
  std::vector<std::string> args = command.argv;
  std::vector<char*> argv = detail::CStrings(args);
  std::vector<char*> envp = detail::CStrings(environment);
  rlimit files{};
  const int max_fd = ::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY
                         ? static_cast<int>(std::min<rlim_t>(files.rlim_cur, 1 << 20))
                         : 1 << 16;

  detail::Pipe out = detail::MakePipe(shown);
  detail::Pipe err = detail::MakePipe(shown);
  detail::Pipe go = detail::MakePipe(shown);
  detail::Pipe status = detail::MakePipe(shown);
  std::optional<detail::Pipe> in;
  detail::Fd null_input;
  if (command.input) {
    in = detail::MakePipe(shown);
    ::fcntl(in->write.get(), F_SETFL, O_NONBLOCK);
  } else {
    null_input = detail::Fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (null_input.get() < 0)
      throw Error("cannot run `" + shown + "`: /dev/null: " + detail::ErrnoText(errno));
  }
  const int stdin_fd = in ? in->read.get() : null_input.get();
  const char* directory =
      command.working_directory.empty() ? nullptr : command.working_directory.c_str();

  sigset_t all;
  sigset_t old_mask;
  ::sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old_mask);
  const pid_t pid = ::fork();
  const int fork_error = errno;
  if (pid != 0) ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  if (pid < 0) throw Error("cannot run `" + shown + "`: fork: " + detail::ErrnoText(fork_error));
  if (pid == 0) {
    detail::RunChild(stdin_fd, out.write.get(), err.write.get(), go.read.get(), go.write.get(),
                     status.write.get(), directory, program.c_str(), argv.data(), envp.data(),
                     max_fd);
  }
  detail::Child child(pid, hooks.tracker);
  ::setpgid(pid, pid);
  for (detail::Fd* end : {&out.write, &err.write, &go.read, &status.write, &null_input}) {
    end->Close();
  }
  if (in) in->read.Close();

  // Registered before its program starts, or not started at all.
  bool ending = false;
  if (hooks.tracker != nullptr) {
    if (hooks.tracker->Started(pid)) {
      child.set_registered();
    } else {
      ending = true;
    }
  }
  if (ending) {
    result.stopped = true;
    child.Signal(SIGKILL);
  } else {
    const char byte = 'g';
    (void)!::write(go.write.get(), &byte, 1);
  }
  go.write.Close();  // Without the byte, the child exits at once.

  detail::ChildFailure failure;
  ssize_t got;
  do {
    got = ::read(status.read.get(), &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  if (!ending && got == static_cast<ssize_t>(sizeof failure)) {
    (void)child.EndAndReap();
    throw Error(
        "cannot run `" + shown + "`: " +
        (failure.stage == 1 ? "cannot enter " + command.working_directory + ": " : program + ": ") +
        detail::ErrnoText(failure.error));
  }
  status.read.Close();

  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  detail::Fd exited_fd(pidfd);  // -1 on old kernels: then polled every tick.

  detail::SigpipeBlock sigpipe_block;
  std::string_view input = command.input ? std::string_view(*command.input) : std::string_view();
  detail::Stream streams[2] = {{std::move(out.read), detail::OutputTail(command.output_limit),
                                detail::LineSplitter(command.log_output ? hooks.log : nullptr)},
                               {std::move(err.read), detail::OutputTail(command.output_limit),
                                detail::LineSplitter(command.log_output ? hooks.log : nullptr)}};

  const auto started = Clock::now();
  std::optional<Clock::time_point> terminated_at;
  bool killed = false;
  const auto end_group = [&] {
    if (terminated_at) return;
    child.Signal(SIGTERM);
    terminated_at = Clock::now();
  };
  if (ending) killed = true;  // Sent SIGKILL above.

  // Until the leader exits: feed its input, read its output, watch the limits.
  constexpr int kTickMs = 50;  // How often a stop request and the tracker are looked at.
  while (!child.Exited()) {
    if (in && in->write.get() >= 0 && input.empty()) in->write.Close();
    std::array<pollfd, 4> polls{{{in ? in->write.get() : -1, POLLOUT, 0},
                                 {streams[0].fd.get(), POLLIN, 0},
                                 {streams[1].fd.get(), POLLIN, 0},
                                 {exited_fd.get(), POLLIN, 0}}};
    int wait_ms = kTickMs;
    if (command.timeout_seconds > 0 && !terminated_at) {
      const auto left = started + detail::Seconds(command.timeout_seconds) - Clock::now();
      wait_ms = static_cast<int>(std::clamp<std::int64_t>(
          std::chrono::duration_cast<std::chrono::milliseconds>(left).count() + 1, 0, kTickMs));
    }
    if (::poll(polls.data(), polls.size(), wait_ms) > 0) {
      if (polls[0].revents != 0) {
        const ssize_t wrote =
            ::write(in->write.get(), input.data(), std::min<std::size_t>(input.size(), 65536));
        if (wrote > 0) {
          input.remove_prefix(static_cast<std::size_t>(wrote));
        } else if (wrote < 0 && errno != EAGAIN && errno != EINTR) {
          if (errno == EPIPE) sigpipe_block.Raised();
          in->write.Close();  // It closed its stdin: the rest is not wanted.
          input = {};
        }
      }
      for (std::size_t i = 0; i < 2; ++i) {
        if (polls[i + 1].revents != 0) streams[i].Read();
      }
    }
    if (!terminated_at) {
      if (command.timeout_seconds > 0 &&
          Clock::now() - started >= detail::Seconds(command.timeout_seconds)) {
        result.timed_out = true;
        end_group();
      } else if ((hooks.stop_requested && hooks.stop_requested()) ||
                 (hooks.tracker != nullptr && hooks.tracker->cancelled())) {
        result.stopped = true;
        end_group();
      }
    } else if (!killed &&
               Clock::now() - *terminated_at >= detail::Seconds(kCommandKillGraceSeconds)) {
      child.Signal(SIGKILL);
      killed = true;
    }
  }
  if (in) in->write.Close();
  // The engine may have sent its SIGTERM before this loop looked (even
  // before the program started): the command was still stopped by it.
  if (!result.timed_out && hooks.tracker != nullptr && hooks.tracker->cancelled()) {
    result.stopped = true;
  }
  // The leader is gone: kill what it left in its group, then take what is
  // in the pipes without waiting for their end (a process that left the
  // group may hold them open for ever).
  child.Signal(SIGKILL);
  for (detail::Stream& stream : streams) {
    while (stream.open()) {
      pollfd ready{stream.fd.get(), POLLIN, 0};
      if (::poll(&ready, 1, 0) <= 0 || !stream.Read()) break;
    }
    stream.lines.Finish();
    stream.tail.Trim();
  }
  if (const std::optional<int> wait_status = child.EndAndReap(); !wait_status) {
    throw Error("cannot tell how `" + shown + "` ended: SIGCHLD is ignored in this process");
  } else if (WIFSIGNALED(*wait_status)) {
    result.signal = WTERMSIG(*wait_status);
  } else if (WIFEXITED(*wait_status)) {
    result.exit_status = WEXITSTATUS(*wait_status);
  }
  result.out = std::move(streams[0].tail.kept());
  result.err = std::move(streams[1].tail.kept());
  result.out_dropped = streams[0].tail.dropped();
  result.err_dropped = streams[1].tail.dropped();
  return result;
}

}  // namespace dojobber

#endif  // DOJOBBER_DETAIL_COMMAND_IMPL_H_
