// Jobs that run commands through the SDK's helper (<dojobber/command.h>),
// for the end-to-end tests of their output, their failures and their end.
//
//   Echoes    runs a command that writes two lines to stdout, one to stderr
//             and a last line without a newline
//   Fails     runs a command that writes to stderr and exits with status 4
//   Sleeper   runs `sh -c 'echo sleeping; sleep 600'`; its try times out
//             after 2 s (one try)
//   Napper    the same command, with no time limit (for Ctrl-C)

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

}  // namespace

DOJOBBER_PLUGIN(registry) {
  registry.Add<Echoes>("Echoes").Tries(1);
  registry.Add<Fails>("Fails").Tries(1);
  registry.Add<Sleeper>("Sleeper").Tries(1).Timeout(2);
  registry.Add<Sleeper>("Napper").Tries(1);
}
