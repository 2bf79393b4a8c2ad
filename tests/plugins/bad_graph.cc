// Jobs whose graph the engine must refuse before anything runs; each test
// picks one with --root. `Fine` reaches none of them.
//
// CycleA -> CycleB -> CycleC -> CycleA     a cycle
// NeedsMissing -> Missing                  an unknown dependency
// ZeroTries                                Tries(0)
// NegativeDelay                            RetryDelay(-0.5)
// NanDelay                                 RetryDelay(NaN)
// ZeroTimeout, NegativeTimeout, NanTimeout Timeout(0), Timeout(-1), Timeout(NaN)
// Fine                                     a job that works

#include <limits>

#include <dojobber/dojobber.h>

namespace {

class Passes : public dojobber::Job {
 public:
  void Check(dojobber::Context&) override {}
  void Run(dojobber::Context&) override {}
};

}  // namespace

DOJOBBER_PLUGIN(registry) {
  registry.Add<Passes>("CycleA").Deps({"CycleB"});
  registry.Add<Passes>("CycleB").Deps({"CycleC"});
  registry.Add<Passes>("CycleC").Deps({"CycleA"});
  registry.Add<Passes>("NeedsMissing").Deps({"Missing"});
  registry.Add<Passes>("ZeroTries").Tries(0);
  registry.Add<Passes>("NegativeDelay").RetryDelay(-0.5);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  registry.Add<Passes>("NanDelay").RetryDelay(nan);
  registry.Add<Passes>("ZeroTimeout").Timeout(0);
  registry.Add<Passes>("NegativeTimeout").Timeout(-1);
  registry.Add<Passes>("NanTimeout").Timeout(nan);
  registry.Add<Passes>("Fine");
}
