#ifndef DOJOBBER_REGISTRY_H_
#define DOJOBBER_REGISTRY_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <dojobber/arguments.h>
#include <dojobber/job.h>
#include <dojobber/params.h>

namespace dojobber {

/// How a job was declared; shown by `dojobber list`.
enum class JobKind { kJob, kDummy, kRunonly };

/// Creates a fresh job object; called once per try.
using JobFactory = std::function<std::unique_ptr<Job>()>;

/// What the registry learns from a job's C++ type at compile time.
struct JobTraits {
  JobKind kind = JobKind::kJob;
  /// False only when the type provably keeps Job's empty Cleanup, which lets
  /// the engine free such objects right after their try.
  bool has_cleanup = true;
};

namespace internal {
template <class T, class = void>
struct KeepsDefaultCleanup : std::false_type {};
template <class T>
struct KeepsDefaultCleanup<T, std::void_t<decltype(&T::Cleanup)>>
    : std::is_same<decltype(&T::Cleanup), void (Job::*)(Context&)> {};
}  // namespace internal

/// The traits of job objects of type T. When `exact` is false the objects
/// may be of a type derived from T (a factory's declared return type), so
/// only a `final` T proves that Job's empty Cleanup is kept.
template <class T>
constexpr JobTraits TraitsOf(bool exact = true) {
  static_assert(std::is_base_of_v<Job, T>, "a job type must derive from dojobber::Job");
  JobTraits traits;
  if constexpr (std::is_base_of_v<DummyJob, T>) {
    traits.kind = JobKind::kDummy;
  } else if constexpr (std::is_base_of_v<RunonlyJob, T>) {
    traits.kind = JobKind::kRunonly;
  }
  const bool known_type = exact || std::is_final_v<T>;
  traits.has_cleanup = !(known_type && internal::KeepsDefaultCleanup<T>::value);
  return traits;
}

/// Sets the options of one registered job. Every setter returns the builder,
/// so calls chain; the reference stays valid for the whole registration.
class JobBuilder {
 public:
  /// Appends dependencies, by job name, in order. A dependency may be
  /// registered later or by another plugin.
  virtual JobBuilder& Deps(std::vector<std::string> names) = 0;
  /// How many check/run/recheck cycles the job may have (>= 1). Default: the
  /// run's default (3 unless `--default-tries`).
  virtual JobBuilder& Tries(int tries) = 0;
  /// Minimum seconds between the starts of two tries of this job (>= 0).
  /// Default: the run's default (1 unless `--default-retry-delay`).
  virtual JobBuilder& RetryDelay(double seconds) = 0;
  /// Exponential backoff: the delay after the n-th try is
  /// min(delay * factor^(n-1), max_delay) seconds, `delay` being RetryDelay.
  /// `factor` >= 1 (1: a fixed delay), `max_delay` >= 0 seconds (infinity:
  /// no cap). Default: the run's defaults (factor 1, no cap, unless
  /// `--default-retry-backoff` and `--default-retry-max-delay`).
  virtual JobBuilder& RetryBackoff(double factor, double max_delay) = 0;
  /// Random spread of each retry delay d, as a fraction of it in [0, 1]: the
  /// delay is drawn uniformly from [d*(1-fraction), d*(1+fraction)], then
  /// capped by the backoff's max_delay. Draws come from the run's seed
  /// (`--seed`), so a run can be repeated. Default: the run's default (0
  /// unless `--default-retry-jitter`).
  virtual JobBuilder& RetryJitter(double fraction) = 0;
  /// Fails a try that runs longer than `seconds` (> 0) with
  /// `timed out after S s`. Default: the run's default (none unless
  /// `--default-timeout`). See the plugin guide for what happens to a try
  /// that is still running in-process.
  virtual JobBuilder& Timeout(double seconds) = 0;
  /// Resource hints for executors that place tries on a cluster
  /// (`--executor slurm`: srun's --cpus-per-task and --mem): the CPUs
  /// (>= 1) and the memory in MiB (>= 1) one try needs. Ignored by the
  /// local executors. Default: the cluster's defaults.
  virtual JobBuilder& Cpus(int cpus) = 0;
  virtual JobBuilder& MemoryMiB(std::int64_t mebibytes) = 0;

 protected:
  ~JobBuilder() = default;
};

/// Where a plugin registers its jobs, in its DOJOBBER_PLUGIN function.
///
///     registry.Declare(dojobber::Param::String("battery_state").Default("dead"));
///     registry.Add<TurnOnTV>("TurnOnTV").Deps({"FindTVRemote"});
///     registry.Add<PopcornBowl>("PopcornBowl").Tries(8).RetryDelay(0.001);
///     registry.Add<Download>("Download").Tries(6).RetryDelay(1).RetryBackoff(2,
///     30).RetryJitter(0.1); registry.Add("Invite " + name, [=] { return
///     std::make_unique<Invite>(name, email); })
///         .Deps({"DetermineDetails"});
class Registry {
 public:
  virtual ~Registry() = default;

  /// Registers job type T (default-constructible) under `name`.
  template <class T>
  JobBuilder& Add(std::string name) {
    return AddJob(std::move(name), TraitsOf<T>(), [] { return std::make_unique<T>(); });
  }
  /// Registers a job made by `factory`, a callable returning
  /// std::unique_ptr<SomeJob>; use it to create jobs from data at start-up.
  /// `list` shows the kind of SomeJob; mark SomeJob `final` when it has no
  /// Cleanup, so its objects can be freed right after each try.
  template <class Factory>
  JobBuilder& Add(std::string name, Factory factory) {
    using Made = typename std::invoke_result_t<Factory&>::element_type;
    return AddJob(std::move(name), TraitsOf<Made>(/*exact=*/false), JobFactory(std::move(factory)));
  }

  /// Declares a keyword argument this plugin takes (params.h): its type,
  /// default or Required(), allowed values and help. Before any job runs,
  /// a value that does not convert or is not allowed, a missing required
  /// key, and (when every loaded plugin declares its parameters) a key that
  /// no plugin declares are refused as usage errors; `dojobber params`
  /// lists the declarations. Declare before reading the value: from the
  /// call on, args() has the default for a key that was not given.
  ///
  ///     registry.Declare(dojobber::Param::Bool("couch_space").Default(false)
  ///                          .Help("whether there is room on the couch"));
  ///
  /// A malformed declaration (an empty name, a default or allowed value
  /// that does not convert, a name declared twice by one plugin, or by two
  /// plugins with another type, default or allowed values) stops the
  /// plugin from loading.
  virtual void Declare(Param param) = 0;

  /// The run's arguments, so registration can create jobs from them; with
  /// the defaults of the parameters declared so far.
  virtual const Arguments& args() const = 0;
  /// Whether a job named `name` is registered (by any plugin loaded so far).
  virtual bool Has(std::string_view name) const = 0;

 protected:
  virtual JobBuilder& AddJob(std::string name, JobTraits traits, JobFactory factory) = 0;
};

}  // namespace dojobber

#endif  // DOJOBBER_REGISTRY_H_
