// The plugin guide's "Running commands" example, built and run by the e2e
// tests so that the guide shows what really happens.
#include <dojobber/dojobber.h>

#include <filesystem>
#include <string>

// The archive `archive` (a .tar.gz) is unpacked into the folder `dir`:
// `dir`/VERSION exists.
class Unpacked : public dojobber::Job {
 public:
  void Check(dojobber::Context& ctx) override {
    if (!std::filesystem::exists(ctx.args().GetString("dir") + "/VERSION")) {
      throw dojobber::Error("not unpacked yet");
    }
  }
  void Run(dojobber::Context& ctx) override {
    const std::string dir = ctx.args().GetString("dir");
    std::filesystem::create_directories(dir);
    // An argument vector, no shell: nothing to quote. tar's output goes to
    // the job's log; if it fails, the error names it, its exit status and
    // the end of its stderr. It is killed if it runs for more than 60 s.
    dojobber::RunCommandOrThrow(ctx, {.argv = {"tar", "-xzvf", ctx.args().GetString("archive")},
                                      .working_directory = dir,
                                      .timeout_seconds = 60});
  }
};

DOJOBBER_PLUGIN(registry) { registry.Add<Unpacked>("Unpacked").Tries(1); }
