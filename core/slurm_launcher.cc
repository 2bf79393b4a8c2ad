#include "core/slurm_launcher.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <string_view>

extern char** environ;  // NOLINT: POSIX.

namespace dojobber::core {
namespace {

// Runs `argv` with its stdin, stdout and stderr on the given descriptors,
// in a process group of its own (a Ctrl-C at the terminal reaches only
// dojobber) and with default signal handling. Returns the pid or a failure.
Expected<pid_t> Spawn(const std::vector<std::string>& argv, int in, int out, int err) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawnattr_init(&attributes);
  ::posix_spawn_file_actions_adddup2(&actions, in, STDIN_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, err, STDERR_FILENO);
  sigset_t none;
  sigset_t defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) sigaddset(&defaults, sig);
  ::posix_spawnattr_setsigmask(&attributes, &none);
  ::posix_spawnattr_setsigdefault(&attributes, &defaults);
  ::posix_spawnattr_setpgroup(&attributes, 0);
  ::posix_spawnattr_setflags(
      &attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int error = ::posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
  ::posix_spawn_file_actions_destroy(&actions);
  ::posix_spawnattr_destroy(&attributes);
  if (error != 0) return Failure{"cannot run " + argv[0] + ": " + std::strerror(error)};
  return pid;
}

// Runs a Slurm command to its end, stdout discarded; its exit status, or -1
// when it could not run or was killed. `said`, when given, gets the first
// line it wrote to stderr.
int RunQuietly(const std::vector<std::string>& argv, std::string* said = nullptr) {
  const int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  std::array<int, 2> err{-1, -1};
  if (null < 0 || ::pipe2(err.data(), O_CLOEXEC) != 0) {
    if (null >= 0) ::close(null);
    return -1;
  }
  Expected<pid_t> pid = Spawn(argv, null, null, err[1]);
  ::close(null);
  ::close(err[1]);
  std::string text;
  std::array<char, 4096> buffer{};
  ssize_t got;
  while ((got = ::read(err[0], buffer.data(), buffer.size())) != 0) {
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) break;
    if (text.size() < 65536) text.append(buffer.data(), static_cast<std::size_t>(got));
  }
  ::close(err[0]);
  if (!pid) return -1;
  int status = 0;
  while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (said != nullptr) *said = text.substr(0, text.find('\n'));
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool OnPath(const std::string& program) {
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "";
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::filesystem::path dir(std::string(rest.substr(0, colon)));
    if (!dir.empty() && ::access((dir / program).c_str(), X_OK) == 0) return true;
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
  }
  return false;
}

class SrunProcess final : public TryProcess {
 public:
  explicit SrunProcess(pid_t pid) : pid_(pid) {}
  ~SrunProcess() override {
    if (!reaped_) {  // Only when the session could not watch it to its end.
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  Expected<int> WaitStatus() override {
    int status = 0;
    pid_t done;
    do {
      done = ::waitpid(pid_, &status, 0);
    } while (done < 0 && errno == EINTR);
    if (done != pid_) return Failure{std::string("cannot wait for srun: ") + std::strerror(errno)};
    reaped_ = true;
    return status;
  }

  // SIGTERM makes srun cancel its step at once; SIGKILL to srun alone (never
  // to its group, which would leak the step) leaves the cancel to srun's
  // helper process.
  void Kill() override {
    if (reaped_) return;
    ::kill(pid_, kills_++ == 0 ? SIGTERM : SIGKILL);
  }

  bool TakeOutputLine(std::string_view line) override {
    if (!line.starts_with("srun: ") && !line.starts_with("slurmstepd")) return false;
    // The last few are enough to say why; a step that chatters stays bounded.
    constexpr std::size_t kKept = 4;
    slurm_lines_.emplace_back(line);
    if (slurm_lines_.size() > kKept) slurm_lines_.pop_front();
    return true;
  }

  // srun ends as its task did (128 + N for a task killed by signal N) and
  // says why on stderr; both make the cause, with Slurm's own words.
  std::string Describe(int wait_status) override {
    std::string cause;
    bool task_killed = false;
    for (const std::string& line : slurm_lines_) {
      task_killed = task_killed || (line.find("task 0: ") != std::string::npos &&
                                    line.find("Exited with exit code") == std::string::npos);
    }
    const int code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
    if (task_killed && code > 128 && code < 128 + NSIG) {
      cause = TryProcess::Describe(code - 128);  // A wait status for that signal.
    } else if (WIFEXITED(wait_status)) {
      cause = TryProcess::Describe(wait_status);
    } else {
      cause = "srun " + TryProcess::Describe(wait_status);
    }
    if (slurm_lines_.empty()) return cause;
    std::string said;
    for (const std::string& line : slurm_lines_) said += (said.empty() ? "" : "; ") + line;
    return cause + " (" + said + ")";
  }

 private:
  pid_t pid_;
  int kills_ = 0;
  bool reaped_ = false;
  std::deque<std::string> slurm_lines_;
};

void Close(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

std::vector<std::string> SrunCommand(const SlurmOptions& options, const JobSpec& spec,
                                     double timeout_seconds) {
  // --unbuffered: srun otherwise holds output until a newline, and frames
  // are not lines.
  std::vector<std::string> argv = {options.srun, "--quiet",    "--unbuffered",
                                   "--nodes=1",  "--ntasks=1", "--job-name=" + options.job_name};
  if (!options.partition.empty()) argv.push_back("--partition=" + options.partition);
  if (!options.account.empty()) argv.push_back("--account=" + options.account);
  const JobOptions& hints = spec.options();
  if (hints.cpus) argv.push_back("--cpus-per-task=" + std::to_string(*hints.cpus));
  if (hints.memory_mib) argv.push_back("--mem=" + std::to_string(*hints.memory_mib));
  if (timeout_seconds > 0) {
    // Slurm's limits are whole minutes, checked about every 30 s: a minute
    // above the timeout, so dojobber's own limit always comes first.
    const double minutes = std::ceil(timeout_seconds / 60.0) + 1;
    argv.push_back("--time=" + (minutes > 1e8
                                    ? std::string("UNLIMITED")
                                    : std::to_string(static_cast<std::int64_t>(minutes))));
  }
  argv.insert(argv.end(), options.srun_args.begin(), options.srun_args.end());
  argv.insert(argv.end(), options.worker.begin(), options.worker.end());
  return argv;
}

Status CheckSlurm(const SlurmOptions& options) {
  if (!OnPath(options.srun)) {
    return Failure{"--executor slurm: no '" + options.srun + "' on PATH (install slurm-client)"};
  }
  if (RunQuietly({options.scontrol, "ping"}) != 0) {
    return Failure{"--executor slurm: no Slurm controller answers ('" + options.scontrol +
                   " ping' failed; is SLURM_CONF right?)"};
  }
  if (!options.partition.empty() &&
      RunQuietly({options.scontrol, "show", "partition", options.partition}) != 0) {
    return Failure{"--slurm-partition: the cluster has no partition '" + options.partition + "'"};
  }
  // srun checks the rest (--srun-arg values, the account, what the
  // cluster can give) without running anything.
  std::vector<std::string> test = {options.srun, "--test-only", "--quiet", "--nodes=1",
                                   "--ntasks=1"};
  if (!options.partition.empty()) test.push_back("--partition=" + options.partition);
  if (!options.account.empty()) test.push_back("--account=" + options.account);
  test.insert(test.end(), options.srun_args.begin(), options.srun_args.end());
  test.push_back("true");
  std::string said;
  if (RunQuietly(test, &said) != 0) {
    return Failure{"--executor slurm: srun refuses the run's options: " +
                   (said.empty() ? std::string("srun --test-only failed") : said)};
  }
  return {};
}

SlurmLauncher::~SlurmLauncher() {
  if (launched_) (void)RunQuietly({options_.scancel, "--quiet", "--name=" + options_.job_name});
}

Status SlurmLauncher::Start(const RunScope&) { return {}; }

Expected<std::unique_ptr<TryProcess>> SlurmLauncher::Launch(const RunScope& scope, JobId job) {
  std::array<int, 2> in{-1, -1}, out{-1, -1}, err{-1, -1};
  auto close_all = [&] {
    for (auto* pair : {&in, &out, &err}) {
      Close((*pair)[0]);
      Close((*pair)[1]);
    }
  };
  if (::pipe2(in.data(), O_CLOEXEC) != 0 || ::pipe2(out.data(), O_CLOEXEC) != 0 ||
      ::pipe2(err.data(), O_CLOEXEC) != 0) {
    const std::string message = std::string("cannot start srun: ") + std::strerror(errno);
    close_all();
    return Failure{message};
  }
  launched_ = true;
  Expected<pid_t> pid =
      Spawn(SrunCommand(options_, scope.graph.spec(job), scope.graph.timeout(job)), in[0], out[1],
            err[1]);
  Close(in[0]);
  Close(out[1]);
  Close(err[1]);
  if (!pid) {
    close_all();
    return pid.failure();
  }
  auto process = std::make_unique<SrunProcess>(*pid);
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, *pid, 0));
  if (pidfd < 0) {
    const std::string message = std::string("cannot watch srun: ") + std::strerror(errno);
    close_all();
    return Failure{message};  // The process's destructor kills and reaps srun.
  }
  process->channel_in = out[0];
  process->channel_out = in[1];
  process->outputs = {err[0]};
  process->ended = pidfd;
  return std::unique_ptr<TryProcess>(std::move(process));
}

std::unique_ptr<Executor> MakeSlurmExecutor(SlurmOptions options, double stop_grace_seconds) {
  return std::make_unique<ProcessExecutor>(std::make_unique<SlurmLauncher>(std::move(options)),
                                           ProcessExecutor::Options{stop_grace_seconds});
}

}  // namespace dojobber::core
