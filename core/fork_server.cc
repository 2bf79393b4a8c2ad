#include "core/fork_server.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include <dojobber/command.h>

#include "core/command_groups.h"
#include "core/lost_thread.h"
#include "core/worker.h"

// LeakSanitizer (ASan builds) checks for leaks at exit(). In a process
// forked from one with several threads it cannot stop threads that exist
// only in its registry: it reports false leaks or hangs. A job that calls
// exit() in its own process would hit that, so the check is off in the fork
// server and the processes it forks. The runtime looks this hook up by
// name; it exists only in ASan builds.
namespace {
bool in_forked_process = false;
}  // namespace

#if defined(__SANITIZE_ADDRESS__)
#define DOJOBBER_HAS_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DOJOBBER_HAS_LSAN 1
#endif
#endif
#ifdef DOJOBBER_HAS_LSAN
extern "C" int __lsan_is_turned_off() { return in_forked_process ? 1 : 0; }
#endif

namespace dojobber::core {
namespace {

// The descriptors a launch hands to the fork server, in this order.
constexpr int kPassedFds = 4;  // channel, stdout, stderr, status

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

void Close(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// In a forked process, before anything else: a process group of its own,
// death with its parent, and default signal handling (dojobber's handlers
// and mask are not the job's).
void Detach(pid_t parent) {
  in_forked_process = true;
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(126);  // The parent is already gone.
  sigset_t none;
  sigemptyset(&none);
  ::pthread_sigmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGCHLD}) ::signal(sig, SIG_DFL);
}

// One byte with room for kPassedFds descriptors beside it (SCM_RIGHTS).
struct FdMessage {
  char byte = 'f';
  iovec data{&byte, 1};
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int) * kPassedFds)> control{};
  msghdr header{};

  FdMessage() {
    header.msg_iov = &data;
    header.msg_iovlen = 1;
    header.msg_control = control.data();
    header.msg_controllen = control.size();
  }
  FdMessage(const FdMessage&) = delete;
  FdMessage& operator=(const FdMessage&) = delete;
};

bool SendFds(int socket, const std::array<int, kPassedFds>& fds) {
  FdMessage message;
  cmsghdr* header = CMSG_FIRSTHDR(&message.header);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(sizeof(int) * kPassedFds);
  std::memcpy(CMSG_DATA(header), fds.data(), sizeof(int) * kPassedFds);
  while (true) {
    if (::sendmsg(socket, &message.header, MSG_NOSIGNAL) == 1) return true;
    if (errno != EINTR) return false;
  }
}

// Returns 1 with the descriptors, 0 at the end of the requests, -1 on error.
int ReceiveFds(int socket, std::array<int, kPassedFds>& fds) {
  FdMessage message;
  ssize_t got;
  do {
    got = ::recvmsg(socket, &message.header, MSG_CMSG_CLOEXEC);
  } while (got < 0 && errno == EINTR);
  if (got <= 0) return static_cast<int>(got);
  cmsghdr* header = CMSG_FIRSTHDR(&message.header);
  if (header == nullptr || header->cmsg_type != SCM_RIGHTS ||
      header->cmsg_len != CMSG_LEN(sizeof(int) * kPassedFds)) {
    return -1;
  }
  std::memcpy(fds.data(), CMSG_DATA(header), sizeof(int) * kPassedFds);
  return 1;
}

// A process the fork server forked, until it has been reaped.
struct Forked {
  pid_t pid;
  int pidfd;
  int status_fd;  // Gets the wait status once the process has ended.
};

[[noreturn]] void RunForked(pid_t server, std::array<int, kPassedFds> fds, int requests,
                            const std::vector<Forked>& others, const RunScope& scope) {
  Detach(server);
  const auto [channel, out, err, status] = fds;
  ::dup2(out, STDOUT_FILENO);
  ::dup2(err, STDERR_FILENO);
  for (int fd : {out, err, status, requests}) ::close(fd);
  for (const Forked& other : others) {
    ::close(other.pidfd);
    ::close(other.status_fd);
  }
  ::setvbuf(stdout, nullptr, _IOLBF, 0);  // A crash loses no finished line.
  // Nothing may unwind out of here into the copy of the fork server's
  // stack: a forked process always ends in _exit (ServeWorker ends it
  // itself when job code ends the thread; this is the backstop).
  UnwindGuard never_return([] { ::_exit(1); });
  const int code = ServeWorker(channel, channel, scope.env.args, [&](std::string_view name) {
    const std::optional<JobId> id = scope.graph.Find(name);
    return id ? &scope.graph.spec(*id) : nullptr;
  });
  std::cout.flush();
  std::fflush(nullptr);
  ::_exit(code);
}

// The fork server's loop: fork a process for each request, reap each one
// that ends and send its wait status to whoever launched it.
[[noreturn]] void Serve(int requests, const RunScope& scope) {
  const pid_t self = ::getpid();
  std::vector<Forked> forked;
  while (true) {
    std::vector<pollfd> polls{{requests, POLLIN, 0}};
    for (const Forked& process : forked) polls.push_back({process.pidfd, POLLIN, 0});
    if (::poll(polls.data(), polls.size(), -1) < 0) continue;
    for (std::size_t i = forked.size(); i-- > 0;) {
      if (polls[i + 1].revents == 0) continue;
      int status = 0;
      if (::waitpid(forked[i].pid, &status, WNOHANG) != forked[i].pid) continue;
      (void)!::write(forked[i].status_fd, &status, sizeof status);
      ::close(forked[i].status_fd);
      ::close(forked[i].pidfd);
      forked.erase(forked.begin() + static_cast<std::ptrdiff_t>(i));
    }
    if (polls[0].revents == 0) continue;
    std::array<int, kPassedFds> fds{};
    const int received = ReceiveFds(requests, fds);
    if (received == 0) ::_exit(0);  // dojobber is done; what runs still dies with us.
    if (received < 0) continue;
    const pid_t pid = ::fork();
    if (pid == 0) RunForked(self, fds, requests, forked, scope);
    const int reply_errno = pid < 0 ? errno : 0;
    int pidfd = pid > 0 ? static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)) : -1;
    for (std::size_t i = 0; i < 3; ++i) ::close(fds[i]);
    if (pid > 0 && pidfd < 0) {
      // Without a pidfd its end cannot be seen: do not let it run unwatched.
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    const int reply = pid > 0 && pidfd >= 0 ? pid : -(reply_errno != 0 ? reply_errno : ENOSYS);
    if (reply > 0) {
      forked.push_back({pid, pidfd, fds[3]});
    } else {
      ::close(fds[3]);
    }
    (void)!::send(requests, &reply, sizeof reply, MSG_NOSIGNAL);
  }
}

class ForkedProcess final : public TryProcess {
 public:
  explicit ForkedProcess(pid_t pid) : pid_(pid) {}

  Expected<int> WaitStatus() override {
    int status = 0;
    ssize_t got;
    do {
      got = ::read(ended, &status, sizeof status);
    } while (got < 0 && errno == EINTR);
    if (got != sizeof status) return Failure{"the fork server ended while the try ran"};
    return status;
  }

  void Kill() override {
    ::kill(-pid_, SIGKILL);  // Its whole process group, what it started too.
    ::kill(pid_, SIGKILL);
  }

  // Its commands run in process groups of their own, which the kill above
  // does not reach.
  void EndCommands(const std::vector<pid_t>& groups) override {
    EndProcessGroups(groups, kCommandKillGraceSeconds);
  }
  bool CommandsAreLocal() const override { return true; }

 private:
  pid_t pid_;
};

}  // namespace

ForkLauncher::~ForkLauncher() {
  Close(server_);  // The fork server sees the end of requests and exits.
  if (server_pid_ > 0) ::waitpid(server_pid_, nullptr, 0);
}

Status ForkLauncher::Start(const RunScope& scope) {
  std::array<int, 2> sockets{};
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets.data()) != 0) {
    return Failure{Errno("cannot start the fork server: socketpair")};
  }
  // Nothing buffered in this process may be written twice by the server.
  std::cout.flush();
  std::fflush(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    Detach(parent);
    ::close(sockets[0]);
    Serve(sockets[1], scope);
  }
  ::close(sockets[1]);
  if (pid < 0) {
    ::close(sockets[0]);
    return Failure{Errno("cannot start the fork server: fork")};
  }
  server_ = sockets[0];
  server_pid_ = pid;
  return {};
}

Expected<std::unique_ptr<TryProcess>> ForkLauncher::Launch(const RunScope&, JobId) {
  std::array<int, 2> channel{-1, -1}, out{-1, -1}, err{-1, -1}, status{-1, -1};
  auto close_all = [&] {
    for (auto* pair : {&channel, &out, &err, &status}) {
      Close((*pair)[0]);
      Close((*pair)[1]);
    }
  };
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel.data()) != 0 ||
      ::pipe2(out.data(), O_CLOEXEC) != 0 || ::pipe2(err.data(), O_CLOEXEC) != 0 ||
      ::pipe2(status.data(), O_CLOEXEC) != 0) {
    const std::string message = Errno("cannot start the try's process");
    close_all();
    return Failure{message};
  }
  int reply = -ECONNRESET;
  {
    std::lock_guard lock(mutex_);
    if (server_ < 0) {
      close_all();
      return Failure{"cannot start the try's process: no fork server"};
    }
    if (SendFds(server_, {channel[1], out[1], err[1], status[1]})) {
      ssize_t got;
      do {
        got = ::recv(server_, &reply, sizeof reply, 0);
      } while (got < 0 && errno == EINTR);
      if (got != sizeof reply) reply = -ECONNRESET;
    }
  }
  Close(channel[1]);
  Close(out[1]);
  Close(err[1]);
  Close(status[1]);
  if (reply <= 0) {
    close_all();
    return Failure{std::string("cannot start the try's process: ") +
                   (reply == -ECONNRESET ? "the fork server has ended" : std::strerror(-reply))};
  }
  auto process = std::make_unique<ForkedProcess>(reply);
  process->channel_in = process->channel_out = channel[0];
  process->outputs = {out[0], err[0]};
  process->ended = status[0];
  return std::unique_ptr<TryProcess>(std::move(process));
}

std::unique_ptr<Executor> MakeIsolatedExecutor(double stop_grace_seconds) {
  return std::make_unique<ProcessExecutor>(std::make_unique<ForkLauncher>(),
                                           ProcessExecutor::Options{stop_grace_seconds});
}

}  // namespace dojobber::core
