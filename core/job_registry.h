#ifndef DOJOBBER_CORE_JOB_REGISTRY_H_
#define DOJOBBER_CORE_JOB_REGISTRY_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <dojobber/registry.h>

#include "core/expected.h"
#include "core/name_index.h"
#include "core/params.h"

namespace dojobber::core {

/// The options a job may set beyond its name, factory and dependencies.
/// Unset options stay empty until the graph is built.
struct JobOptions {
  std::optional<int> tries;
  std::optional<double> retry_delay;
  std::optional<double> retry_backoff;    ///< Factor; set with retry_max_delay.
  std::optional<double> retry_max_delay;  ///< Seconds; infinity: no cap.
  std::optional<double> retry_jitter;     ///< Fraction of each delay.
  std::optional<double> timeout;
  std::optional<int> cpus;                 ///< Resource hint: CPUs per try.
  std::optional<std::int64_t> memory_mib;  ///< Resource hint: MiB per try.
};

class JobRegistry;

/// A name's index in a JobRegistry's table of names, which holds every job
/// name and every dependency name, whether or not a job of that name is
/// registered (JobRegistry::name, JobRegistry::SpecOf).
using NameId = std::uint32_t;

/// One registered job, as its plugin declared it. Defaults are not applied
/// here: unset options stay empty until the graph is built.
struct JobSpec final : JobBuilder {
  JobBuilder& Deps(std::vector<std::string> names) override;
  JobBuilder& Tries(int count) override;
  JobBuilder& RetryDelay(double seconds) override;
  JobBuilder& RetryBackoff(double factor, double max_delay) override;
  JobBuilder& RetryJitter(double fraction) override;
  JobBuilder& Timeout(double seconds) override;
  JobBuilder& Cpus(int count) override;
  JobBuilder& MemoryMiB(std::int64_t mebibytes) override;

  /// The options the job set; all empty for a job that set none.
  const JobOptions& options() const;
  bool has_options() const { return options_ != nullptr; }
  /// The dependencies' names as declared (in order, repeats kept), as ids
  /// into the registry's names; valid until the next Deps() call.
  std::span<const NameId> deps() const;

  std::string name;
  JobTraits traits;
  std::uint32_t source = 0;  ///< Index into JobRegistry::sources().
  JobFactory factory;

 private:
  friend class JobRegistry;
  JobOptions& SetOptions();

  JobRegistry* registry_ = nullptr;
  // A range of JobRegistry::dep_names_: a million jobs' dependency lists in
  // one array instead of a million small vectors of strings.
  std::uint32_t deps_begin_ = 0;
  std::uint32_t deps_size_ : 31 = 0;  // At most half of the array (AddDeps).
  // Moved once: bit_ceil(deps_size_) places from deps_begin_ are its own.
  std::uint32_t deps_padded_ : 1 = 0;
  // On the heap, and only once one is set: most jobs set none, and the
  // empty options would be a quarter of a registered job's memory.
  std::unique_ptr<JobOptions> options_;
};

/// Every job registered for one run, by any number of plugins (or directly by
/// a program that uses the engine as a library).
///
/// Registration never throws: a duplicate name or a malformed parameter
/// declaration is recorded and reported by status(), so a plugin's
/// registration function runs to its end.
///
/// Declared parameters: Declare adds the default of a parameter that was not
/// given to args() at once, so registration code reads it; the values are
/// checked against the declarations by CheckArguments, once every plugin is
/// loaded.
class JobRegistry final : public Registry {
 public:
  explicit JobRegistry(Arguments args = {});
  JobRegistry(const JobRegistry&) = delete;
  JobRegistry& operator=(const JobRegistry&) = delete;

  void Declare(Param param) override;
  const Arguments& args() const override { return args_; }
  bool Has(std::string_view name) const override { return Find(name).has_value(); }

  /// Names the source of the jobs registered from now on (a plugin's path),
  /// for error messages. The default source is "the program".
  void BeginSource(std::string source);
  const std::vector<std::string>& sources() const { return sources_; }

  /// The index of the job called `name`, if registered.
  std::optional<std::uint32_t> Find(std::string_view name) const;
  const JobSpec& spec(std::uint32_t index) const { return specs_[index]; }
  std::size_t size() const { return specs_.size(); }

  /// The name with id `id` (from JobSpec::deps).
  std::string_view name(NameId id) const { return *names_[id]; }
  /// Places taken in the array of every job's dependency ids: the number of
  /// dependencies declared, plus the room of lists that moved (AddDeps).
  std::size_t dep_places() const { return dep_names_.size(); }
  /// The index of the job called name(id), if one is registered.
  std::optional<std::uint32_t> SpecOf(NameId id) const {
    const std::uint32_t index = spec_of_name_[id];
    return index == kNoSpec ? std::nullopt : std::optional<std::uint32_t>(index);
  }

  /// OK, or the first registration error (a duplicate job name, a
  /// malformed or conflicting parameter declaration).
  const Status& status() const { return status_; }

  /// The declared parameters, each with the source that declared it.
  const ParamSet& params() const { return params_; }
  /// Whether keyword argument `key` has its declared default, not a given
  /// value.
  bool Defaulted(std::string_view key) const { return defaulted_.contains(key); }
  /// Checks args() against the declarations (ParamSet::Check): the values
  /// always, the Required() keys with `require`, and that every key is
  /// declared when every plugin loaded (or, with none, the program)
  /// declared at least one parameter. A plugin that declares nothing may
  /// read any key, so it keeps every key acceptable.
  Status CheckArguments(bool require) const;

 protected:
  JobBuilder& AddJob(std::string name, JobTraits traits, JobFactory factory) override;

 private:
  friend struct JobSpec;
  static constexpr std::uint32_t kNoSpec = UINT32_MAX;
  static constexpr NameId kNoName = UINT32_MAX;  // Room kept behind a moved list.

  /// The id of `name` (whose NameIndex::Tag is `tag`), added to the names
  /// if new.
  NameId Intern(std::string_view name, std::uint32_t tag);
  /// Appends `names` to the dependencies of `spec`.
  void AddDeps(JobSpec& spec, const std::vector<std::string>& names);

  Arguments args_;
  std::deque<JobSpec> specs_;     // A deque: builders and name views stay valid.
  std::deque<JobSpec> rejected_;  // Duplicates, kept only so their builders work.
  // Every name, by NameId: a job's own name, or one of dep_only_names_ for a
  // name first seen as a dependency. Contiguous for the index.
  std::vector<const std::string*> names_;
  std::vector<std::uint32_t> spec_of_name_;  // NameId -> index in specs_, or kNoSpec.
  std::deque<std::string> dep_only_names_;
  NameIndex index_{names_};
  std::vector<NameId> dep_names_;  // Every JobSpec's deps(), each a range.
  std::vector<std::string> sources_{"the program"};
  Status status_;
  ParamSet params_;
  std::set<std::string, std::less<>> defaulted_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_JOB_REGISTRY_H_
