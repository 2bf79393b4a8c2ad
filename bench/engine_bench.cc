// In-process engine overhead: load the synth plugin, register its jobs,
// build and validate the graph, run it with -j 1 and clean up, per job.
// The registry's teardown is excluded (the CLI skips it too).
//
//   build/bench/bench/dojobber_engine_bench --benchmark_repetitions=5

#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "core/engine.h"
#include "core/graph.h"
#include "core/job_registry.h"
#include "core/plugin_loader.h"

namespace {

using dojobber::Arguments;
namespace core = dojobber::core;

void RunSynth(benchmark::State& state, const std::string& shape, const std::string& mode) {
  const std::int64_t n = state.range(0);
  for (auto _ : state) {
    auto plugins = std::make_unique<core::PluginSet>();
    auto registry = std::make_unique<core::JobRegistry>(
        Arguments({}, {{"shape", shape}, {"n", std::to_string(n)}, {"mode", mode}}));
    if (core::Status loaded = plugins->Load(DOJOBBER_SYNTH_PLUGIN, *registry); !loaded) {
      state.SkipWithError(loaded.message().c_str());
      return;
    }
    auto graph = core::Graph::Build(*registry, "Root", {});
    if (!graph) {
      state.SkipWithError(graph.message().c_str());
      return;
    }
    core::RunResult result;
    {
      core::Engine engine(*graph, {});
      result = engine.Run();
    }
    if (!result.success) state.SkipWithError("the synthetic graph did not succeed");
    state.PauseTiming();
    result = {};
    registry.reset();
    plugins.reset();
    state.ResumeTiming();
  }
  // Microseconds per registered job.
  state.counters["us_per_job"] = benchmark::Counter(
      static_cast<double>(n) / 1e6,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void Sizes(benchmark::internal::Benchmark* bench) {
  bench->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
}

BENCHMARK_CAPTURE(RunSynth, layered_converged, "layered", "converged")->Apply(Sizes);
BENCHMARK_CAPTURE(RunSynth, layered_converge, "layered", "converge")->Apply(Sizes);
BENCHMARK_CAPTURE(RunSynth, chain_converged, "chain", "converged")
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(RunSynth, chain_converge, "chain", "converge")
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(RunSynth, wide_converged, "wide", "converged")
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(RunSynth, wide_converge, "wide", "converge")
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
