#include "core/graph.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <utility>

#include "core/text_format.h"

namespace dojobber::core {
namespace {

constexpr std::uint32_t kUnvisited = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint32_t kOnStack = kUnvisited - 1;

std::string FormatNumber(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

// Explores the registry depth-first with an explicit stack (a chain of a
// million jobs must not overflow the call stack), assigning post-order ids.
// Dependencies are name ids, resolved by the registry's array of names, so
// no name is hashed or compared here.
class Graph::Builder {
 public:
  explicit Builder(const JobRegistry& registry)
      : registry_(registry),
        id_of_(registry.size(), kUnvisited),
        last_seen_by_(registry.size(), kUnvisited) {}

  Status Explore(std::uint32_t start) {
    if (id_of_[start] != kUnvisited) return {};
    if (Status pushed = Push(start); !pushed) return pushed;
    while (!stack_.empty()) {
      Frame& top = stack_.back();
      if (top.next == top.deps.size()) {
        const auto id = static_cast<JobId>(order_.size());
        id_of_[top.spec] = id;
        order_.push_back(top.spec);
        AddDeps(id, top.deps);
        stack_.pop_back();
        continue;
      }
      const std::uint32_t dep = *registry_.SpecOf(top.deps[top.next++]);  // Push checked.
      if (id_of_[dep] == kOnStack) return CycleThrough(dep);
      if (id_of_[dep] == kUnvisited) {
        if (Status pushed = Push(dep); !pushed) return pushed;
      }
    }
    return {};
  }

  Graph Finish(std::span<const std::uint32_t> roots, const JobDefaults& defaults) && {
    Graph graph;
    graph.registry_ = &registry_;
    for (std::uint32_t root : roots) graph.roots_.push_back(id_of_[root]);
    graph.deps_ = std::move(deps_);
    graph.dep_begin_ = std::move(dep_begin_);
    BuildDependents(graph);
    graph.spec_of_ = std::move(order_);
    graph.id_of_ = std::move(id_of_);
    const std::size_t size = graph.spec_of_.size();
    graph.defaults_ = defaults;
    graph.has_options_.assign(size, false);
    // Few jobs set options. Visiting the registry in its own order reads
    // the specs front to back, where the graph's order would jump around a
    // million-job registry with a cache miss per job.
    const RetryPolicy by_default{.backoff = defaults.retry_backoff,
                                 .max_delay = defaults.retry_max_delay,
                                 .jitter = defaults.retry_jitter};
    // Backoff and jitter are rare: most graphs keep no copy of them per job.
    const auto plain = [](const RetryPolicy& policy) {
      const RetryPolicy none;
      return policy.backoff == none.backoff && policy.max_delay == none.max_delay &&
             policy.jitter == none.jitter;
    };
    if (!plain(by_default)) graph.backoff_.assign(size, by_default);
    if (defaults.timeout != 0) graph.timeout_.assign(size, defaults.timeout);
    for (std::uint32_t spec_index = 0; spec_index < graph.id_of_.size(); ++spec_index) {
      const JobSpec& spec = registry_.spec(spec_index);
      const JobId id = graph.id_of_[spec_index];
      if (!spec.has_options() || id >= size) continue;
      const JobOptions& options = spec.options();
      graph.has_options_[id] = true;
      if (options.tries) {
        if (graph.tries_.empty()) graph.tries_.assign(size, defaults.tries);
        graph.tries_[id] = *options.tries;
      }
      if (options.retry_delay) {
        if (graph.retry_delay_.empty()) graph.retry_delay_.assign(size, defaults.retry_delay);
        graph.retry_delay_[id] = *options.retry_delay;
      }
      const RetryPolicy policy{
          .backoff = options.retry_backoff.value_or(defaults.retry_backoff),
          .max_delay = options.retry_max_delay.value_or(defaults.retry_max_delay),
          .jitter = options.retry_jitter.value_or(defaults.retry_jitter)};
      if (graph.backoff_.empty() && !plain(policy)) graph.backoff_.assign(size, by_default);
      if (!graph.backoff_.empty()) graph.backoff_[id] = policy;
      if (options.timeout) {
        if (graph.timeout_.empty()) graph.timeout_.assign(size, defaults.timeout);
        graph.timeout_[id] = *options.timeout;
      }
    }
    return graph;
  }

 private:
  struct Frame {
    std::uint32_t spec;
    std::span<const NameId> deps;
    std::size_t next;  // The next dependency to visit.
  };

  Status Push(std::uint32_t spec_index) {
    const JobSpec& spec = registry_.spec(spec_index);
    const std::span<const NameId> deps = spec.deps();
    for (NameId dep_name : deps) {
      const std::optional<std::uint32_t> dep = registry_.SpecOf(dep_name);
      if (!dep) {
        return Failure{"job '" + Printable(spec.name) + "' depends on unknown job '" +
                       Printable(registry_.name(dep_name)) + "'"};
      }
      // The walk visits the dependencies next, in an order that jumps
      // around a large registry: start loading them now.
      __builtin_prefetch(&registry_.spec(*dep));
    }
    id_of_[spec_index] = kOnStack;
    stack_.push_back({spec_index, deps, 0});
    return {};
  }

  Status CycleThrough(std::uint32_t dep) const {
    std::size_t first = stack_.size() - 1;
    while (stack_[first].spec != dep) --first;
    std::string path;
    for (std::size_t i = first; i < stack_.size(); ++i) {
      path += registry_.spec(stack_[i].spec).name + " -> ";
    }
    path += registry_.spec(dep).name;
    return Failure{"dependency cycle: " + path};
  }

  // The dependencies of the job that just got `id`, as ids (every one has
  // its id already: post-order), in declaration order, each kept once.
  void AddDeps(JobId id, std::span<const NameId> dep_names) {
    for (NameId dep_name : dep_names) {
      const std::uint32_t dep = *registry_.SpecOf(dep_name);
      if (last_seen_by_[dep] == id) continue;
      last_seen_by_[dep] = id;
      deps_.push_back(id_of_[dep]);
    }
    dep_begin_.push_back(static_cast<std::uint32_t>(deps_.size()));
  }

  // The reverse edges, by counting sort; filled in id order, so sorted.
  static void BuildDependents(Graph& graph) {
    const std::size_t size = graph.dep_begin_.size() - 1;
    std::vector<std::uint32_t> begin(size + 1, 0);
    for (JobId dep : graph.deps_) ++begin[dep + 1];
    for (std::size_t i = 0; i < size; ++i) begin[i + 1] += begin[i];
    std::vector<std::uint32_t> fill(begin.begin(), begin.end() - 1);
    graph.dependents_.resize(graph.deps_.size());
    for (JobId id = 0; id < size; ++id) {
      for (JobId dep : graph.deps(id)) graph.dependents_[fill[dep]++] = id;
    }
    graph.dependent_begin_ = std::move(begin);
  }

  const JobRegistry& registry_;
  std::vector<std::uint32_t> id_of_;  // Registry index -> JobId / kOnStack / kUnvisited.
  std::vector<JobId> last_seen_by_;   // Registry index -> the job that last listed it.
  std::vector<Frame> stack_;
  std::vector<std::uint32_t> order_;  // Registry indices in post-order.
  std::vector<JobId> deps_;           // Graph::deps_, built as jobs get their ids.
  std::vector<std::uint32_t> dep_begin_{0};
};

namespace {

Status Validate(const Graph& graph) {
  for (JobId id = 0; id < graph.size(); ++id) {
    if (graph.tries(id) < 1) {
      return Failure{"job '" + graph.name(id) + "': tries must be at least 1 (got " +
                     std::to_string(graph.tries(id)) + ")"};
    }
    const double delay = graph.retry_delay(id);
    if (!std::isfinite(delay) || delay < 0) {
      return Failure{"job '" + graph.name(id) +
                     "': retry delay must be a finite number of seconds >= 0 (got " +
                     FormatNumber(delay) + ")"};
    }
    const RetryPolicy policy = graph.retry_policy(id);
    if (!std::isfinite(policy.backoff) || policy.backoff < 1) {
      return Failure{"job '" + graph.name(id) +
                     "': retry backoff must be a finite factor >= 1 (got " +
                     FormatNumber(policy.backoff) + ")"};
    }
    if (std::isnan(policy.max_delay) || policy.max_delay < 0) {
      return Failure{"job '" + graph.name(id) +
                     "': maximum retry delay must be a number of seconds >= 0 (got " +
                     FormatNumber(policy.max_delay) + ")"};
    }
    if (!(policy.jitter >= 0 && policy.jitter <= 1)) {
      return Failure{"job '" + graph.name(id) +
                     "': retry jitter must be a fraction from 0 to 1 (got " +
                     FormatNumber(policy.jitter) + ")"};
    }
    // Only a job's own options can hold what remains to check; reading
    // every job's options would cost a cache miss per job.
    if (!graph.sets_options(id)) continue;
    const std::optional<double>& timeout = graph.spec(id).options().timeout;
    if (timeout && (!std::isfinite(*timeout) || *timeout <= 0)) {
      return Failure{"job '" + graph.name(id) +
                     "': timeout must be a finite number of seconds > 0 (got " +
                     FormatNumber(*timeout) + ")"};
    }
    const JobOptions& options = graph.spec(id).options();
    if (options.cpus && *options.cpus < 1) {
      return Failure{"job '" + graph.name(id) + "': cpus must be at least 1 (got " +
                     std::to_string(*options.cpus) + ")"};
    }
    if (options.memory_mib && *options.memory_mib < 1) {
      return Failure{"job '" + graph.name(id) + "': memory must be at least 1 MiB (got " +
                     std::to_string(*options.memory_mib) + ")"};
    }
  }
  return {};
}

}  // namespace

Expected<Graph> Graph::Build(const JobRegistry& registry, std::optional<std::string_view> root,
                             const JobDefaults& defaults) {
  std::vector<std::string> roots;
  if (root) roots.emplace_back(*root);
  return BuildFromRoots(registry, roots, defaults);
}

Expected<Graph> Graph::BuildFromRoots(const JobRegistry& registry,
                                      std::span<const std::string> roots,
                                      const JobDefaults& defaults) {
  if (!registry.status().ok()) return Failure{registry.status().message()};
  Builder builder(registry);
  std::vector<std::uint32_t> root_indices;
  for (const std::string& root : roots) {
    const std::optional<std::uint32_t> index = registry.Find(root);
    if (!index) return Failure{"unknown root job '" + Printable(root) + "'"};
    if (std::find(root_indices.begin(), root_indices.end(), *index) != root_indices.end()) {
      continue;
    }
    root_indices.push_back(*index);
    if (Status explored = builder.Explore(*index); !explored) return explored.failure();
  }
  if (roots.empty()) {
    for (std::uint32_t i = 0; i < registry.size(); ++i) {
      if (Status explored = builder.Explore(i); !explored) return explored.failure();
    }
  }
  Graph graph = std::move(builder).Finish(root_indices, defaults);
  if (Status valid = Validate(graph); !valid) return valid.failure();
  return graph;
}

std::optional<JobId> Graph::Find(std::string_view name) const {
  std::optional<std::uint32_t> spec_index = registry_->Find(name);
  if (!spec_index) return std::nullopt;
  const JobId id = id_of_[*spec_index];
  if (id >= size()) return std::nullopt;
  return id;
}

}  // namespace dojobber::core
