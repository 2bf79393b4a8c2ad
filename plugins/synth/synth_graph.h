// The edges of the synthetic graphs, by job index: shared by the synth
// plugin (which names job i "J<i>") and the benchmark peers in bench/, so
// that both build exactly the same DAG from the same parameters and seed.
// Header-only and free of dojobber types, so a peer needs nothing else.

#ifndef DOJOBBER_PLUGINS_SYNTH_SYNTH_GRAPH_H_
#define DOJOBBER_PLUGINS_SYNTH_SYNTH_GRAPH_H_

#include <algorithm>
#include <cstdint>
#include <vector>

namespace synth {

enum class Shape { kChain, kWide, kLayered };

/// The graph's parameters: `n` jobs J0..J<n-1> plus a root; `width` jobs
/// per layer and `fanin` dependencies per job (layered only); `seed` picks
/// the layered dependencies.
struct GraphSpec {
  Shape shape = Shape::kLayered;
  std::int64_t n = 0;
  std::int64_t width = 100;
  std::int64_t fanin = 3;
  std::uint64_t seed = 1;
};

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

/// Calls `add_job(i, deps)` for i = 0, 1, ..., n-1 in that order, where
/// `deps` (a `const std::vector<std::int64_t>&`, valid for the call only)
/// holds the indices of the jobs job i depends on, all below i; then returns
/// the indices the root depends on. chain: job i depends on i-1, the root on
/// n-1. wide: no job has dependencies, the root depends on all. layered: each
/// job outside layer 0 depends on `fanin` distinct jobs of the layer below
/// (all of them when the layer is smaller), the root on the last layer.
template <class AddJob>
std::vector<std::int64_t> Generate(const GraphSpec& spec, AddJob&& add_job) {
  std::vector<std::int64_t> deps;
  std::vector<std::int64_t> root_deps;
  Random random(spec.seed);
  for (std::int64_t i = 0; i < spec.n; ++i) {
    deps.clear();
    switch (spec.shape) {
      case Shape::kChain:
        if (i > 0) deps.push_back(i - 1);
        break;
      case Shape::kWide:
        root_deps.push_back(i);
        break;
      case Shape::kLayered: {
        const std::int64_t layer_begin = i - i % spec.width;
        if (layer_begin == 0) break;
        const std::int64_t begin = layer_begin - spec.width;
        if (spec.fanin >= spec.width) {
          for (std::int64_t d = 0; d < spec.width; ++d) deps.push_back(begin + d);
          break;
        }
        while (static_cast<std::int64_t>(deps.size()) < spec.fanin) {
          const auto candidate = begin + static_cast<std::int64_t>(
                                             random.Below(static_cast<std::uint64_t>(spec.width)));
          if (std::find(deps.begin(), deps.end(), candidate) == deps.end()) {
            deps.push_back(candidate);
          }
        }
        break;
      }
    }
    add_job(i, static_cast<const std::vector<std::int64_t>&>(deps));
  }
  if (spec.shape == Shape::kChain) root_deps.push_back(spec.n - 1);
  if (spec.shape == Shape::kLayered) {
    for (std::int64_t i = (spec.n - 1) - (spec.n - 1) % spec.width; i < spec.n; ++i) {
      root_deps.push_back(i);
    }
  }
  return root_deps;
}

}  // namespace synth

#endif  // DOJOBBER_PLUGINS_SYNTH_SYNTH_GRAPH_H_
