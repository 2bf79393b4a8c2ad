// A graph whose jobs all succeed but one Cleanup throws: the run must end
// with exit status 3, and the cleanups after the failing one must not run.
//
// CleanupRoot        Cleanup logs "root cleanup"      (cleaned up first)
// `-- Leaky          Cleanup throws                   (second)
//     `-- First      Cleanup logs "first cleanup"     (never: it comes after Leaky's)

#include <dojobber/dojobber.h>

namespace {

class First : public dojobber::Job {
 public:
  void Check(dojobber::Context&) override {}
  void Run(dojobber::Context&) override {}
  void Cleanup(dojobber::Context& ctx) override { ctx.log() << "first cleanup\n"; }
};

class Leaky : public dojobber::Job {
 public:
  void Check(dojobber::Context&) override {}
  void Run(dojobber::Context&) override {}
  void Cleanup(dojobber::Context&) override {
    throw dojobber::Error("cannot unmount /mnt/scratch");
  }
};

class CleanupRoot : public dojobber::Job {
 public:
  void Check(dojobber::Context&) override {}
  void Run(dojobber::Context&) override {}
  void Cleanup(dojobber::Context& ctx) override { ctx.log() << "root cleanup\n"; }
};

}  // namespace

DOJOBBER_PLUGIN(registry) {
  registry.Add<First>("First");
  registry.Add<Leaky>("Leaky").Deps({"First"});
  registry.Add<CleanupRoot>("CleanupRoot").Deps({"Leaky"});
}
