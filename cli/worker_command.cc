#include "cli/worker_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/job_source.h"
#include "core/worker.h"

namespace dojobber::cli {
namespace {

// The protocol keeps the descriptors it came on; the job's stdout goes to
// stderr and its stdin reads nothing, so no byte of job output can corrupt
// a frame.
bool TakeChannel(int& in, int& out) {
  in = ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
  out = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  const int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (in < 0 || out < 0 || null < 0) return false;
  return ::dup2(null, STDIN_FILENO) == STDIN_FILENO &&
         ::dup2(STDERR_FILENO, STDOUT_FILENO) == STDOUT_FILENO && ::close(null) == 0;
}

// Where this worker runs, from the variables Slurm sets in a step: "slurm
// job 678 step 2 on node1"; empty outside a step.
std::string SlurmStep() {
  const char* job = std::getenv("SLURM_JOB_ID");
  const char* step = std::getenv("SLURM_STEP_ID");
  if (job == nullptr || step == nullptr) return "";
  std::string where = std::string("slurm job ") + job + " step " + step;
  if (const char* node = std::getenv("SLURMD_NODENAME"); node != nullptr) {
    where += std::string(" on ") + node;
  }
  return where;
}

}  // namespace

int RunWorkerCommand(int argc, char** argv) {
  int in = -1;
  int out = -1;
  if (!TakeChannel(in, out)) {
    std::cerr << "dojobber worker: cannot set up the channel\n";
    return 1;
  }
  std::vector<char*> front;
  JobSourceOptions source;
  int i = 0;
  for (; i < argc; ++i) {
    if (i > 0 && std::string_view(argv[i]) == "--") break;
    if (i != 1) front.push_back(argv[i]);  // Drops "worker".
  }
  for (++i; i < argc; ++i) source.positional.emplace_back(argv[i]);

  CLI::App app{"dojobber worker", "dojobber worker"};
  AddJobSourceOptions(app, source);
  std::string setup_error;
  try {
    app.parse(static_cast<int>(front.size()), front.data());
  } catch (const CLI::ParseError& e) {
    setup_error = std::string("the worker's command line: ") + e.what();
  }
  auto jobs = setup_error.empty()
                  ? LoadJobs(source, ArgumentCheck::kNone)
                  : core::Expected<std::unique_ptr<LoadedJobs>>(core::Failure{setup_error});
  int code = 1;
  if (!jobs) {
    // Said through the protocol too, so the orchestrator shows the cause.
    static const Arguments kNone;
    code = core::ServeWorker(
        in, out, kNone, [](std::string_view) { return nullptr; }, jobs.message(), SlurmStep());
  } else {
    const core::JobRegistry& registry = (*jobs)->registry;
    code = core::ServeWorker(
        in, out, registry.args(),
        [&](std::string_view name) {
          const std::optional<std::uint32_t> index = registry.Find(name);
          return index ? &registry.spec(*index) : nullptr;
        },
        {}, SlurmStep());
  }
  std::cout.flush();
  std::fflush(nullptr);
  // The plugins stay loaded to the end: nothing of theirs runs after this.
  std::_Exit(code);
}

}  // namespace dojobber::cli
