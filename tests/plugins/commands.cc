// Jobs that run commands through the SDK's helper (<dojobber/command.h>),
// for the end-to-end tests of their output, their failures and their end.
//
//   Echoes    runs a command that writes two lines to stdout, one to stderr
//             and a last line without a newline
//   Fails     runs a command that writes to stderr and exits with status 4
//   Sleeper   runs `sh -c 'echo sleeping; sleep 600'`; its try times out
//             after 2 s (one try)
//   Napper    the same command, with no time limit (for Ctrl-C)
//   Undoer    runs `sleep 600` in Run; its Cleanup runs a command that
//             sleeps 0.3 s and then writes the file `undone` in the run's
//             working directory (a cleanup command after Ctrl-C)
//   Marker    runs `touch napping; echo sleeping; sleep 600`
//   Exiter    waits (up to 60 s) for the file `napping`, then calls
//             exit(3): in-process, dojobber ends while Marker's command runs

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <dojobber/dojobber.h>

namespace {

class Echoes : public dojobber::RunonlyJob {
 public:
  void Run(dojobber::Context& ctx) override {
    dojobber::RunCommandOrThrow(
        ctx, dojobber::Command::Shell(
                 "echo first line; echo second line; echo on stderr >&2; printf 'no newline'"));
  }
};

class Fails : public dojobber::RunonlyJob {
 public:
  void Run(dojobber::Context& ctx) override {
    dojobber::RunCommandOrThrow(ctx, {.argv = {"sh", "-c", "echo bad thing >&2; exit 4"}});
  }
};

class Sleeper : public dojobber::RunonlyJob {
 public:
  void Run(dojobber::Context& ctx) override {
    dojobber::RunCommandOrThrow(ctx, dojobber::Command::Shell("echo sleeping; sleep 600"));
  }
};

class Undoer : public dojobber::RunonlyJob {
 public:
  void Run(dojobber::Context& ctx) override {
    dojobber::RunCommandOrThrow(ctx, dojobber::Command::Shell("echo sleeping; sleep 600"));
  }
  void Cleanup(dojobber::Context& ctx) override {
    const dojobber::CommandResult result = dojobber::RunCommand(
        ctx, {.argv = {"sh", "-c", "sleep 0.3; echo undone > undone"}, .timeout_seconds = 30});
    ctx.log() << "undo: " << result.Describe() << "\n";
  }
};

class Marker : public dojobber::RunonlyJob {
 public:
  void Run(dojobber::Context& ctx) override {
    dojobber::RunCommandOrThrow(
        ctx, dojobber::Command::Shell("touch napping; echo sleeping; sleep 600"));
  }
};

class Exiter : public dojobber::RunonlyJob {
 public:
  void Run(dojobber::Context&) override {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!std::filesystem::exists("napping") && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::exit(3);
  }
};

}  // namespace

DOJOBBER_PLUGIN(registry) {
  registry.Add<Echoes>("Echoes").Tries(1);
  registry.Add<Fails>("Fails").Tries(1);
  registry.Add<Sleeper>("Sleeper").Tries(1).Timeout(2);
  registry.Add<Sleeper>("Napper").Tries(1);
  registry.Add<Undoer>("Undoer").Tries(1);
  registry.Add<Marker>("Marker").Tries(1);
  registry.Add<Exiter>("Exiter").Tries(1);
}
