// Jobs whose code ends the thread it runs on with pthread_exit(), a forced
// unwind that no catch may swallow. Run one with `--root <Name>`.
//
//   ExitsInCheck     pthread_exit in Check (one try)
//   ExitsInRun       Check fails, pthread_exit in Run (one try)
//   ExitsInCleanup   succeeds; pthread_exit in its Cleanup
//   AfterExitsInCheck  depends on ExitsInCheck, so it is blocked
//   Retries          pthread_exit in Check on every try: 3 tries, no delay
//                    beyond the run's default
//   ExitsAll         Survivor-like Fine job, AfterExitsInCheck, ExitsInRun,
//                    ExitsInCleanup and Retries, so one run meets them all
//
// `marker=FILE`: Fine's Check appends "Fine checked" there.

#include <pthread.h>

#include <fstream>
#include <string>

#include <dojobber/dojobber.h>

namespace {

using dojobber::Context;

class ExitsInCheck : public dojobber::Job {
 public:
  void Check(Context&) override { ::pthread_exit(nullptr); }
  void Run(Context&) override {}
};

class ExitsInRun : public dojobber::Job {
 public:
  void Check(Context& ctx) override { ctx.Fail("not yet"); }
  void Run(Context&) override { ::pthread_exit(nullptr); }
};

class ExitsInCleanup : public dojobber::Job {
 public:
  void Check(Context&) override {}
  void Run(Context&) override {}
  void Cleanup(Context&) override { ::pthread_exit(nullptr); }
};

class Fine : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    const std::string path = ctx.args().GetString("marker", "");
    if (!path.empty()) std::ofstream(path, std::ios::app) << "Fine checked\n";
  }
  void Run(Context&) override {}
};

class Dummy : public dojobber::DummyJob {};

}  // namespace

DOJOBBER_PLUGIN(registry) {
  registry.Add<ExitsInCheck>("ExitsInCheck").Tries(1);
  registry.Add<ExitsInRun>("ExitsInRun").Tries(1);
  registry.Add<ExitsInCleanup>("ExitsInCleanup");
  registry.Add<Dummy>("AfterExitsInCheck").Deps({"ExitsInCheck"});
  registry.Add<ExitsInCheck>("Retries").Tries(3);
  registry.Add<Fine>("Fine");
  registry.Add<Dummy>("ExitsAll")
      .Deps({"Fine", "AfterExitsInCheck", "ExitsInRun", "ExitsInCleanup", "Retries"});
}
