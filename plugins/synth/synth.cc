// Synthetic graphs for benchmarks and stress tests: chains, wide fan-ins and
// layered DAGs of any size, with trivial or sleeping jobs.
//
//   chain:    Root -> J<n-1> -> ... -> J1 -> J0
//
//   wide:          Root
//              /  /  |  \  \ .
//            J0  J1  J2 ... J<n-1>
//
//   layered:       Root
//               /   |    \            every job of the last layer
//          [ layer k: width jobs ]
//             each job -> `fanin` distinct jobs of the layer below,
//          [ layer 0: width jobs ]    chosen with `seed`
//
// Keyword arguments: shape=chain|wide|layered, n=<jobs>, width=100,
// fanin=3, seed=1, work_ms=0 (Run sleeps this long), mode=converged (Check
// passes at once) | converge (the first Check of each try fails, Run does
// the work, the recheck passes), fail_every=0 (when K > 0, every K-th job,
// J0 included, fails every Check: for runs with failed and blocked jobs).

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <dojobber/dojobber.h>

#include "synth_graph.h"

namespace {

using synth::Shape;

struct Config {
  synth::GraphSpec graph;
  std::chrono::milliseconds work{0};
  bool converge = false;
  std::int64_t fail_every = 0;
};

class SynthJob final : public dojobber::Job {
 public:
  SynthJob(const Config* config, bool fails) : config_(config), fails_(fails) {}
  void Check(dojobber::Context& ctx) override {
    if (fails_) return ctx.Fail("synth failure");
    // Fail() rather than throw: this benchmark measures the engine, and an
    // exception costs more than everything else a try does.
    if (config_->converge && ctx.phase() == dojobber::Phase::kCheck) {
      return ctx.Fail("not converged");
    }
  }
  void Run(dojobber::Context&) override {
    if (config_->work.count() > 0) std::this_thread::sleep_for(config_->work);
  }

 private:
  const Config* config_;
  bool fails_;
};

class Root : public dojobber::DummyJob {};

[[noreturn]] void Invalid(const std::string& message) {
  throw dojobber::ArgumentError("synth: " + message);
}

Config ReadConfig(const dojobber::Arguments& args) {
  static const std::vector<std::string> kKnown = {"shape", "n",       "width", "fanin",
                                                  "seed",  "work_ms", "mode",  "fail_every"};
  for (const auto& [key, value] : args.keywords()) {
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) {
      Invalid("unknown argument '" + key +
              "' (known: shape, n, width, fanin, seed, work_ms, mode, fail_every)");
    }
  }
  Config config;
  const std::string shape = args.GetString("shape", "layered");
  synth::GraphSpec& graph = config.graph;
  if (shape == "chain") {
    graph.shape = Shape::kChain;
  } else if (shape == "wide") {
    graph.shape = Shape::kWide;
  } else if (shape != "layered") {
    Invalid("shape must be chain, wide or layered, not '" + shape + "'");
  } else {
    graph.shape = Shape::kLayered;
  }
  graph.n = args.GetInt("n");
  graph.width = args.GetInt("width", 100);
  graph.fanin = args.GetInt("fanin", 3);
  graph.seed = static_cast<std::uint64_t>(args.GetInt("seed", 1));
  const std::int64_t work_ms = args.GetInt("work_ms", 0);
  const std::string mode = args.GetString("mode", "converged");
  if (graph.n < 1 || graph.n > 100'000'000) Invalid("n must be between 1 and 100000000");
  if (graph.width < 1) Invalid("width must be at least 1");
  if (graph.fanin < 1) Invalid("fanin must be at least 1");
  if (work_ms < 0) Invalid("work_ms must be at least 0");
  if (mode != "converged" && mode != "converge") {
    Invalid("mode must be converged or converge, not '" + mode + "'");
  }
  config.work = std::chrono::milliseconds(work_ms);
  config.converge = mode == "converge";
  config.fail_every = args.GetInt("fail_every", 0);
  if (config.fail_every < 0) Invalid("fail_every must be at least 0");
  return config;
}

std::string Name(std::int64_t i) { return "J" + std::to_string(i); }

}  // namespace

DOJOBBER_PLUGIN(registry) {
  // Factories point at the configuration, which lives as long as the plugin.
  static std::deque<Config> configs;
  const Config* config = &configs.emplace_back(ReadConfig(registry.args()));
  auto make = [config] { return std::make_unique<SynthJob>(config, false); };
  auto make_failing = [config] { return std::make_unique<SynthJob>(config, true); };

  const std::vector<std::int64_t> root_deps =
      synth::Generate(config->graph, [&](std::int64_t i, const std::vector<std::int64_t>& deps) {
        const bool fails = config->fail_every > 0 && i % config->fail_every == 0;
        dojobber::JobBuilder& job =
            fails ? registry.Add(Name(i), make_failing) : registry.Add(Name(i), make);
        if (deps.empty()) return;
        std::vector<std::string> names;
        names.reserve(deps.size());
        for (std::int64_t d : deps) names.push_back(Name(d));
        job.Deps(std::move(names));
      });
  std::vector<std::string> root_dep_names;
  root_dep_names.reserve(root_deps.size());
  for (std::int64_t d : root_deps) root_dep_names.push_back(Name(d));
  registry.Add<Root>("Root").Deps(std::move(root_dep_names));
}
