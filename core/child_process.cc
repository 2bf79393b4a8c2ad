#include "core/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>

#include "core/text_format.h"

// LeakSanitizer (ASan builds) checks for leaks at exit(). In a child forked
// from a process with several threads it cannot stop threads that exist only
// in its registry: it reports false leaks or hangs. A job that calls exit()
// in an isolated child would hit that, so the check is off in such children.
// The runtime looks this hook up by name; it exists only in ASan builds.
namespace {
bool in_isolated_child = false;
}  // namespace

#if defined(__SANITIZE_ADDRESS__)
#define DOJOBBER_HAS_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DOJOBBER_HAS_LSAN 1
#endif
#endif
#ifdef DOJOBBER_HAS_LSAN
extern "C" int __lsan_is_turned_off() { return in_isolated_child ? 1 : 0; }
#endif

namespace dojobber::core {
namespace {

using Clock = std::chrono::steady_clock;

// A line longer than this is passed on in pieces rather than held whole.
constexpr std::size_t kMaxLine = 64 * 1024;

struct Pipe {
  int read = -1;
  int write = -1;
};

bool OpenPipe(Pipe& pipe) {
  std::array<int, 2> fds{};
  if (::pipe2(fds.data(), O_CLOEXEC) != 0) return false;
  pipe = {fds[0], fds[1]};
  return true;
}

void Close(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;
    data.remove_prefix(static_cast<std::size_t>(written));
  }
}

// In the child, before anything else: a process group of its own, death with
// the parent, default signal handling, and stdout/stderr into the pipes.
void SetUpChild(pid_t parent, Pipe& channel, Pipe& out, Pipe& err) {
  in_isolated_child = true;
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(126);  // The parent is already gone.
  sigset_t none;
  sigemptyset(&none);
  ::pthread_sigmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGINT, SIGTERM, SIGPIPE, SIGHUP}) ::signal(sig, SIG_DFL);
  ::dup2(out.write, STDOUT_FILENO);
  ::dup2(err.write, STDERR_FILENO);
  Close(out.read);
  Close(err.read);
  Close(out.write);
  Close(err.write);
  Close(channel.read);
  ::setvbuf(stdout, nullptr, _IOLBF, 0);  // A crash loses no finished line.
}

// Collects one descriptor's bytes into whole lines.
class LineReader {
 public:
  template <class Emit>
  void Feed(std::string_view data, Emit emit) {
    while (!data.empty()) {
      const std::size_t newline = data.find('\n');
      const std::size_t take = newline == std::string_view::npos ? data.size() : newline;
      pending_.append(data.substr(0, take));
      if (newline != std::string_view::npos || pending_.size() >= kMaxLine) {
        emit(pending_);
        pending_.clear();
      }
      data.remove_prefix(newline == std::string_view::npos ? take : take + 1);
    }
  }
  template <class Emit>
  void Finish(Emit emit) {
    if (!pending_.empty()) emit(pending_);
    pending_.clear();
  }

 private:
  std::string pending_;
};

// The parent's side: reads the three pipes until the child is gone, killing
// it at its deadline.
class Supervisor {
 public:
  Supervisor(pid_t pid, const ChildLimits& limits, ChildListener& listener)
      : pid_(pid), limits_(limits), listener_(listener), started_(Clock::now()) {}

  ChildEnd Watch(int channel, int out, int err) {
    std::array<int, 3> fds = {channel, out, err};
    for (int fd : fds) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    // A pidfd becomes readable when the child exits, so waiting needs no
    // polling loop; without one (old kernels), check every few milliseconds.
    int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    ChildEnd end;
    while (true) {
      EnforceDeadlines(end);
      std::array<pollfd, 4> polls{};
      for (std::size_t i = 0; i < fds.size(); ++i) polls[i] = {fds[i], POLLIN, 0};
      polls[3] = {pidfd, POLLIN, 0};
      const int wait_ms = pidfd >= 0 ? PollMilliseconds() : 5;
      if (::poll(polls.data(), polls.size(), wait_ms) > 0) {
        for (std::size_t i = 0; i < fds.size(); ++i) {
          if (polls[i].revents != 0) ReadOnce(fds, i);
        }
      }
      if ((pidfd < 0 || polls[3].revents != 0) && Reap(end, WNOHANG)) break;
    }
    // The child is gone: take what is left in the pipes, but do not wait for
    // their end, since a process it started may hold them open for ever.
    for (std::size_t i = 0; i < fds.size(); ++i) {
      while (fds[i] >= 0 && ReadOnce(fds, i)) {
      }
    }
    for (int& fd : fds) Close(fd);
    Close(pidfd);
    FlushPartialLines();
    return end;
  }

 private:
  // Until the next deadline, but short enough to notice a stop request.
  int PollMilliseconds() const {
    constexpr int kStopCheckMs = 50;
    if (killed_ || limits_.timeout_seconds <= 0) return kStopCheckMs;
    // In doubles: a timeout of 1e308 s must not overflow a cast.
    const double left_ms =
        (limits_.timeout_seconds - std::chrono::duration<double>(Clock::now() - started_).count()) *
            1000.0 +
        1;
    return static_cast<int>(std::clamp(left_ms, 0.0, double{kStopCheckMs}));
  }

  bool Reap(ChildEnd& end, int flags) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, flags);
    if (done != pid_) return false;
    end.wait_status = status;
    return true;
  }

  void EnforceDeadlines(ChildEnd& end) {
    if (killed_) return;
    const Clock::time_point now = Clock::now();
    if (limits_.timeout_seconds > 0 &&
        now - started_ >= std::chrono::duration<double>(limits_.timeout_seconds)) {
      end.timed_out = true;
      Kill();
      return;
    }
    if (limits_.stop.stop_requested()) {
      if (!stop_seen_) stop_seen_ = now;
      if (now - *stop_seen_ >= std::chrono::duration<double>(limits_.stop_grace_seconds)) {
        end.stopped = true;
        Kill();
      }
    }
  }

  void Kill() {
    ::kill(-pid_, SIGKILL);  // Its whole process group, grandchildren too.
    ::kill(pid_, SIGKILL);
    killed_ = true;
  }

  // Reads what one pipe has; returns whether it gave data (false at its end
  // or when it has nothing right now). Closes it at its end.
  bool ReadOnce(std::array<int, 3>& fds, std::size_t i) {
    std::array<char, 65536> buffer{};
    const ssize_t got = ::read(fds[i], buffer.data(), buffer.size());
    if (got < 0) {
      if (errno != EINTR && errno != EAGAIN) Close(fds[i]);
      return false;
    }
    if (got == 0) {
      Close(fds[i]);
      return false;
    }
    const std::string_view data(buffer.data(), static_cast<std::size_t>(got));
    if (i == 0) {
      channel_.Feed(data, [&](const std::string& line) { Message(line); });
    } else {
      output_[i - 1].Feed(data, [&](const std::string& line) { listener_.OnOutputLine(line); });
    }
    return true;
  }

  void Message(const std::string& line) {
    nlohmann::json message = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!message.is_discarded()) listener_.OnMessage(message);
  }

  void FlushPartialLines() {
    channel_.Finish([&](const std::string& line) { Message(line); });
    for (LineReader& reader : output_) {
      reader.Finish([&](const std::string& line) { listener_.OnOutputLine(line); });
    }
  }

  const pid_t pid_;
  const ChildLimits& limits_;
  ChildListener& listener_;
  const Clock::time_point started_;
  std::optional<Clock::time_point> stop_seen_;
  bool killed_ = false;
  LineReader channel_;
  std::array<LineReader, 2> output_;
};

}  // namespace

std::string ChildEnd::Describe(double timeout_seconds) const {
  if (!start_error.empty()) return start_error;
  if (timed_out) return "timed out after " + FormatSeconds(timeout_seconds) + " s";
  if (stopped) return "interrupted: killed at the end of the grace period";
  if (WIFSIGNALED(wait_status)) {
    const int sig = WTERMSIG(wait_status);
    const char* abbrev = ::sigabbrev_np(sig);
    return "killed by signal " +
           (abbrev != nullptr ? "SIG" + std::string(abbrev) : std::to_string(sig));
  }
  if (WIFEXITED(wait_status)) {
    return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
  }
  return "ended without a result";
}

ChildEnd RunInChild(const std::function<void(int channel)>& child_main, const ChildLimits& limits,
                    ChildListener& listener) {
  Pipe channel, out, err;
  if (!OpenPipe(channel) || !OpenPipe(out) || !OpenPipe(err)) {
    ChildEnd end;
    end.start_error = std::string("cannot create a pipe: ") + std::strerror(errno);
    for (Pipe* pipe : {&channel, &out, &err}) {
      Close(pipe->read);
      Close(pipe->write);
    }
    return end;
  }
  // Nothing buffered in this process may be written twice by the child.
  std::cout.flush();
  std::fflush(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    SetUpChild(parent, channel, out, err);
    child_main(channel.write);
    std::cout.flush();
    std::fflush(nullptr);
    ::_exit(0);
  }
  Close(channel.write);
  Close(out.write);
  Close(err.write);
  if (pid < 0) {
    ChildEnd end;
    end.start_error = std::string("cannot start a child process: ") + std::strerror(errno);
    Close(channel.read);
    Close(out.read);
    Close(err.read);
    return end;
  }
  return Supervisor(pid, limits, listener).Watch(channel.read, out.read, err.read);
}

void SendToParent(int channel, const nlohmann::json& message) {
  std::string line = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line += '\n';
  WriteAll(channel, line);
}

}  // namespace dojobber::core
