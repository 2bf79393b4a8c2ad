// Registers a job named like one of movie.so's, to test that the same job
// name from two plugins refuses the run.

#include <dojobber/dojobber.h>

namespace {

class TurnOnTV : public dojobber::Job {
 public:
  void Check(dojobber::Context&) override {}
  void Run(dojobber::Context&) override {}
};

}  // namespace

DOJOBBER_PLUGIN(registry) { registry.Add<TurnOnTV>("TurnOnTV"); }
