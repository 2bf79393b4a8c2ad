// The retry-delay benchmark's graph: one job that always fails, with three
// tries a second apart, beside 100 independent jobs of 10 ms each.
//
//                 Root
//        /     /    |     \       \ .
//    Flaky  W0   W1  ...  W99        (Flaky: 3 tries, 1 s retry delay)
//
// With `-j 2`, the delay must not hold a worker: the 100 jobs finish in about
// 100 x 10 ms / 2 = 0.5 s, while Flaky is still waiting for its next try.

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <dojobber/dojobber.h>

namespace {

class Flaky : public dojobber::Job {
 public:
  void Check(dojobber::Context& ctx) override { ctx.Fail("never converges"); }
  void Run(dojobber::Context&) override {}
};

class Work : public dojobber::Job {
 public:
  void Check(dojobber::Context& ctx) override {
    if (!ctx.is_recheck()) ctx.Fail("not done");
  }
  void Run(dojobber::Context&) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
};

class Root : public dojobber::DummyJob {};

}  // namespace

DOJOBBER_PLUGIN(registry) {
  std::vector<std::string> all = {"Flaky"};
  registry.Add<Flaky>("Flaky").Tries(3).RetryDelay(1.0);
  for (int i = 0; i < 100; ++i) {
    all.push_back("W" + std::to_string(i));
    registry.Add<Work>(all.back());
  }
  registry.Add<Root>("Root").Deps(all);
}
