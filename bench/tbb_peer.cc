// The oneTBB flow-graph peer of `dojobber run --plugin synth`: builds the
// same DAG as the synth plugin from the same parameters and seed
// (plugins/synth/synth_graph.h), one continue_node per job plus the root,
// and runs it. Each node allocates a fresh job object on the heap and makes
// one virtual no-op call (mode=converged) or three (mode=converge: check,
// run, recheck), as dojobber does per try. It runs every registered node;
// dojobber runs the jobs reachable from Root (all of them for chain and
// wide, 943,011 of 1,000,000 for the default layered graph).
//
//   tbb_peer shape=layered n=1000000 [width=100 fanin=3 seed=1]
//            [mode=converged|converge] [threads=1]     (threads=0: all cores)
//
// Prints the number of nodes that ran; exit status 2 on bad arguments.

#include <oneapi/tbb/flow_graph.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/info.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "plugins/synth/synth_graph.h"

namespace bench {

// Not final and created behind a noinline factory, so that the calls stay
// virtual calls, as they are in dojobber.
class Work {
 public:
  virtual ~Work() = default;
  virtual bool Check(bool first) = 0;
  virtual void Run() = 0;
};

class NoOpWork : public Work {
 public:
  explicit NoOpWork(bool converge) : converge_(converge) {}
  bool Check(bool first) override { return !(converge_ && first); }
  void Run() override { asm volatile("" ::: "memory"); }

 private:
  bool converge_;
};

[[gnu::noinline]] std::unique_ptr<Work> MakeWork(bool converge) {
  return std::make_unique<NoOpWork>(converge);
}

}  // namespace bench

namespace {

namespace flow = oneapi::tbb::flow;

[[noreturn]] void Usage(const std::string& message) {
  std::fprintf(stderr, "tbb_peer: %s\n", message.c_str());
  std::exit(2);
}

std::int64_t IntArg(const std::map<std::string, std::string>& args, const std::string& key,
                    std::int64_t fallback) {
  const auto found = args.find(key);
  if (found == args.end()) return fallback;
  try {
    return std::stoll(found->second);
  } catch (const std::exception&) {
    Usage(key + " must be an integer, not '" + found->second + "'");
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    if (eq == std::string::npos) Usage("arguments are key=value, not '" + arg + "'");
    args[arg.substr(0, eq)] = arg.substr(eq + 1);
  }
  synth::GraphSpec spec;
  const std::string shape = args.count("shape") ? args["shape"] : "layered";
  if (shape == "chain") {
    spec.shape = synth::Shape::kChain;
  } else if (shape == "wide") {
    spec.shape = synth::Shape::kWide;
  } else if (shape == "layered") {
    spec.shape = synth::Shape::kLayered;
  } else {
    Usage("shape must be chain, wide or layered");
  }
  spec.n = IntArg(args, "n", 0);
  spec.width = IntArg(args, "width", 100);
  spec.fanin = IntArg(args, "fanin", 3);
  spec.seed = static_cast<std::uint64_t>(IntArg(args, "seed", 1));
  if (spec.n < 1 || spec.width < 1 || spec.fanin < 1) Usage("n, width and fanin must be >= 1");
  const std::string mode = args.count("mode") ? args["mode"] : "converged";
  if (mode != "converged" && mode != "converge") Usage("mode must be converged or converge");
  const bool converge = mode == "converge";
  std::int64_t threads = IntArg(args, "threads", 1);
  if (threads < 0) Usage("threads must be >= 0");
  if (threads == 0) threads = oneapi::tbb::info::default_concurrency();
  oneapi::tbb::global_control parallelism(oneapi::tbb::global_control::max_allowed_parallelism,
                                          static_cast<std::size_t>(threads));

  std::atomic<std::int64_t> ran{0};
  auto body = [converge, &ran](const flow::continue_msg&) {
    std::unique_ptr<bench::Work> work = bench::MakeWork(converge);
    if (!work->Check(true)) {
      work->Run();
      work->Check(false);
    }
    ran.fetch_add(1, std::memory_order_relaxed);
  };

  flow::graph graph;
  std::deque<flow::continue_node<flow::continue_msg>> nodes;
  std::vector<std::int64_t> sources;
  const std::vector<std::int64_t> root_deps =
      synth::Generate(spec, [&](std::int64_t i, const std::vector<std::int64_t>& deps) {
        auto& node = nodes.emplace_back(graph, body);
        if (deps.empty()) sources.push_back(i);
        for (std::int64_t d : deps) flow::make_edge(nodes[static_cast<std::size_t>(d)], node);
      });
  auto& root = nodes.emplace_back(graph, body);
  for (std::int64_t d : root_deps) flow::make_edge(nodes[static_cast<std::size_t>(d)], root);

  for (std::int64_t s : sources) nodes[static_cast<std::size_t>(s)].try_put(flow::continue_msg());
  graph.wait_for_all();
  std::printf("%lld nodes ran\n", static_cast<long long>(ran.load()));
  return 0;
}
