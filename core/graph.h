#ifndef DOJOBBER_CORE_GRAPH_H_
#define DOJOBBER_CORE_GRAPH_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"
#include "core/job_registry.h"
#include "core/retry_delay.h"

namespace dojobber::core {

/// A job's index in a Graph. Ids follow the depth-first post-order, so every
/// job's id is greater than the ids of all its dependencies.
using JobId = std::uint32_t;

/// The values a job gets for the options it did not set.
struct JobDefaults {
  int tries = 3;
  double retry_delay = 1.0;
  double retry_backoff = 1;  ///< Factor >= 1; 1: the same delay every time.
  double retry_max_delay = std::numeric_limits<double>::infinity();  ///< Seconds.
  double retry_jitter = 0;  ///< Fraction of each delay, in [0, 1].
  double timeout = 0;       ///< Seconds; 0: no timeout.
};

/// The validated, indexed graph of one run: the root and everything it
/// transitively depends on (or every registered job, when there is no root).
/// Built once; every query is O(1) or O(degree).
class Graph {
 public:
  /// Builds and validates the graph. Refuses an unknown root or dependency, a
  /// cycle (printed `A -> B -> A`), tries < 1, a negative or non-finite
  /// retry delay, a backoff factor that is not a finite number >= 1, a
  /// negative or NaN maximum delay, a jitter outside [0, 1] and a timeout
  /// that is not a finite number > 0. Nothing
  /// recurses, so any depth is fine.
  static Expected<Graph> Build(const JobRegistry& registry, std::optional<std::string_view> root,
                               const JobDefaults& defaults);
  /// Build for several roots (make's several goals): the union of their
  /// graphs, in post-order from the first root, then the jobs not yet seen
  /// in post-order from the second, and so on, so a job reachable from two
  /// roots is in the graph once. A root named twice counts once. No roots:
  /// every registered job. Refuses what Build refuses.
  static Expected<Graph> BuildFromRoots(const JobRegistry& registry,
                                        std::span<const std::string> roots,
                                        const JobDefaults& defaults);

  std::size_t size() const { return spec_of_.size(); }
  /// The registry the graph was built from; it must outlive the graph.
  const JobRegistry& registry() const { return *registry_; }
  /// The first root job, if the graph was built for roots.
  std::optional<JobId> root() const {
    return roots_.empty() ? std::nullopt : std::optional<JobId>(roots_.front());
  }
  /// The root jobs in the order given, each once; empty when the graph holds
  /// every registered job.
  std::span<const JobId> roots() const { return roots_; }

  const JobSpec& spec(JobId id) const { return registry_->spec(spec_of_[id]); }
  const std::string& name(JobId id) const { return spec(id).name; }
  int tries(JobId id) const { return tries_.empty() ? defaults_.tries : tries_[id]; }
  double retry_delay(JobId id) const {
    return retry_delay_.empty() ? defaults_.retry_delay : retry_delay_[id];
  }
  /// The delay, backoff and jitter of the job's retries.
  RetryPolicy retry_policy(JobId id) const {
    RetryPolicy policy = backoff_.empty() ? RetryPolicy{} : backoff_[id];
    policy.delay = retry_delay(id);
    return policy;
  }
  /// Whether the job set options of its own (JobSpec::options).
  bool sets_options(JobId id) const { return has_options_[id]; }
  /// Seconds a try may take; 0 when unlimited.
  double timeout(JobId id) const { return timeout_.empty() ? 0 : timeout_[id]; }

  /// Dependencies in declaration order, duplicates removed.
  std::span<const JobId> deps(JobId id) const { return Slice(dep_begin_, deps_, id); }
  /// The jobs that depend on `id`, in post-order.
  std::span<const JobId> dependents(JobId id) const {
    return Slice(dependent_begin_, dependents_, id);
  }

  /// The job called `name`, if it is in this graph.
  std::optional<JobId> Find(std::string_view name) const;

 private:
  Graph() = default;
  static std::span<const JobId> Slice(const std::vector<std::uint32_t>& begin,
                                      const std::vector<JobId>& flat, JobId id) {
    return {flat.data() + begin[id], flat.data() + begin[id + 1]};
  }
  class Builder;

  const JobRegistry* registry_ = nullptr;
  std::vector<JobId> roots_;
  std::vector<std::uint32_t> spec_of_;  // JobId -> registry index
  std::vector<JobId> id_of_;            // registry index -> JobId, or kNone
  JobDefaults defaults_;
  // Per job, or empty when no job sets its own: most graphs keep one copy.
  std::vector<int> tries_;
  std::vector<double> retry_delay_;
  std::vector<RetryPolicy> backoff_;  // Empty when no job has backoff or jitter.
  std::vector<double> timeout_;       // Empty when no job has a timeout.
  std::vector<bool> has_options_;
  std::vector<std::uint32_t> dep_begin_;  // CSR: deps of id in [begin[id], begin[id+1])
  std::vector<JobId> deps_;
  std::vector<std::uint32_t> dependent_begin_;
  std::vector<JobId> dependents_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_GRAPH_H_
