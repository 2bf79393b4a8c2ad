// A plugin whose static initializer throws while dlopen runs it: the loader
// must name the plugin and the message, and exit, not abort or hang.

#include <stdexcept>

#include <dojobber/dojobber.h>

namespace {

struct Connection {
  Connection() { throw std::runtime_error("cannot reach the database"); }
};

const Connection connection;  // Constructed at load time.

class Unreached : public dojobber::Job {
 public:
  void Check(dojobber::Context&) override {}
  void Run(dojobber::Context&) override {}
};

}  // namespace

DOJOBBER_PLUGIN(registry) { registry.Add<Unreached>("Unreached"); }
