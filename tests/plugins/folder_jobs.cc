// Makes its job from a Required() argument at registration, as the plugin
// guide's "Jobs made from arguments" does: loaded without `dir`, its
// registration stops at the read, after declaring `dir` and `depth` (the
// declarations `params` lists) and before declaring `late`.

#include <dojobber/dojobber.h>

class Noop : public dojobber::Job {
 public:
  void Check(dojobber::Context&) override {}
  void Run(dojobber::Context&) override {}
};

DOJOBBER_PLUGIN(registry) {
  using dojobber::Param;
  registry.Declare(Param::String("dir").Required().Help("the folder to work in"));
  registry.Declare(Param::Int("depth").Default(1).Help("how deep"));
  registry.Add<Noop>("In " + registry.args().GetString("dir"));
  registry.Declare(Param::Bool("late").Default(false).Help("declared after the read"));
}
