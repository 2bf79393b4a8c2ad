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

namespace {

enum class Shape { kChain, kWide, kLayered };

struct Config {
  Shape shape = Shape::kChain;
  std::int64_t n = 0;
  std::int64_t width = 100;
  std::int64_t fanin = 3;
  std::uint64_t seed = 1;
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

// splitmix64: tiny, fast, and the same sequence on every platform.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Below(std::uint64_t bound) { return Next() % bound; }

 private:
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t state_;
};

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
  if (shape == "chain") {
    config.shape = Shape::kChain;
  } else if (shape == "wide") {
    config.shape = Shape::kWide;
  } else if (shape != "layered") {
    Invalid("shape must be chain, wide or layered, not '" + shape + "'");
  } else {
    config.shape = Shape::kLayered;
  }
  config.n = args.GetInt("n");
  config.width = args.GetInt("width", 100);
  config.fanin = args.GetInt("fanin", 3);
  config.seed = static_cast<std::uint64_t>(args.GetInt("seed", 1));
  const std::int64_t work_ms = args.GetInt("work_ms", 0);
  const std::string mode = args.GetString("mode", "converged");
  if (config.n < 1 || config.n > 100'000'000) Invalid("n must be between 1 and 100000000");
  if (config.width < 1) Invalid("width must be at least 1");
  if (config.fanin < 1) Invalid("fanin must be at least 1");
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

// `fanin` distinct jobs of the layer that starts at `begin` and has `size`
// jobs (all of them when the layer is smaller).
std::vector<std::string> PickDeps(Random& random, std::int64_t begin, std::int64_t size,
                                  std::int64_t fanin) {
  std::vector<std::int64_t> picked;
  if (fanin >= size) {
    for (std::int64_t i = 0; i < size; ++i) picked.push_back(begin + i);
  } else {
    while (static_cast<std::int64_t>(picked.size()) < fanin) {
      const auto candidate =
          begin + static_cast<std::int64_t>(random.Below(static_cast<std::uint64_t>(size)));
      if (std::find(picked.begin(), picked.end(), candidate) == picked.end()) {
        picked.push_back(candidate);
      }
    }
  }
  std::vector<std::string> deps;
  deps.reserve(picked.size());
  for (std::int64_t i : picked) deps.push_back(Name(i));
  return deps;
}

}  // namespace

DOJOBBER_PLUGIN(registry) {
  // Factories point at the configuration, which lives as long as the plugin.
  static std::deque<Config> configs;
  const Config* config = &configs.emplace_back(ReadConfig(registry.args()));
  auto make = [config] { return std::make_unique<SynthJob>(config, false); };
  auto make_failing = [config] { return std::make_unique<SynthJob>(config, true); };
  const std::int64_t n = config->n;

  std::vector<std::string> root_deps;
  Random random(config->seed);
  for (std::int64_t i = 0; i < n; ++i) {
    const bool fails = config->fail_every > 0 && i % config->fail_every == 0;
    dojobber::JobBuilder& job =
        fails ? registry.Add(Name(i), make_failing) : registry.Add(Name(i), make);
    switch (config->shape) {
      case Shape::kChain:
        if (i > 0) job.Deps({Name(i - 1)});
        break;
      case Shape::kWide:
        root_deps.push_back(Name(i));
        break;
      case Shape::kLayered: {
        const std::int64_t layer_begin = i - i % config->width;
        if (layer_begin > 0) {
          job.Deps(PickDeps(random, layer_begin - config->width, config->width, config->fanin));
        }
        break;
      }
    }
  }
  if (config->shape == Shape::kChain) root_deps.push_back(Name(n - 1));
  if (config->shape == Shape::kLayered) {
    for (std::int64_t i = (n - 1) - (n - 1) % config->width; i < n; ++i) {
      root_deps.push_back(Name(i));
    }
  }
  registry.Add<Root>("Root").Deps(std::move(root_deps));
}
