// A plugin whose registration fails: the loader must report the exception's
// message and refuse the run.

#include <stdexcept>

#include <dojobber/dojobber.h>

namespace {

class Inventory : public dojobber::Job {
 public:
  void Check(dojobber::Context&) override {}
  void Run(dojobber::Context&) override {}
};

}  // namespace

DOJOBBER_PLUGIN(registry) {
  registry.Add<Inventory>("Inventory");
  throw std::runtime_error("cannot reach inventory");
}
