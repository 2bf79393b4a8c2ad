#include "core/job_registry.h"

#include <array>
#include <bit>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#include "core/text_format.h"

namespace dojobber::core {

const JobOptions& JobSpec::options() const {
  static const JobOptions kNone;
  return options_ ? *options_ : kNone;
}

JobOptions& JobSpec::SetOptions() {
  if (!options_) options_ = std::make_unique<JobOptions>();
  return *options_;
}

std::span<const NameId> JobSpec::deps() const {
  if (deps_size_ == 0) return {};
  return {registry_->dep_names_.data() + deps_begin_, deps_size_};
}

JobBuilder& JobSpec::Deps(std::vector<std::string> names) {
  registry_->AddDeps(*this, names);
  return *this;
}

JobBuilder& JobSpec::Tries(int count) {
  SetOptions().tries = count;
  return *this;
}

JobBuilder& JobSpec::RetryDelay(double seconds) {
  SetOptions().retry_delay = seconds;
  return *this;
}

JobBuilder& JobSpec::RetryBackoff(double factor, double max_delay) {
  JobOptions& options = SetOptions();
  options.retry_backoff = factor;
  options.retry_max_delay = max_delay;
  return *this;
}

JobBuilder& JobSpec::RetryJitter(double fraction) {
  SetOptions().retry_jitter = fraction;
  return *this;
}

JobBuilder& JobSpec::Timeout(double seconds) {
  SetOptions().timeout = seconds;
  return *this;
}

JobBuilder& JobSpec::Cpus(int count) {
  SetOptions().cpus = count;
  return *this;
}

JobBuilder& JobSpec::MemoryMiB(std::int64_t mebibytes) {
  SetOptions().memory_mib = mebibytes;
  return *this;
}

JobRegistry::JobRegistry(Arguments args) : args_(std::move(args)) {}

void JobRegistry::BeginSource(std::string source) { sources_.push_back(std::move(source)); }

void JobRegistry::Declare(Param param) {
  const auto source = static_cast<std::uint32_t>(sources_.size() - 1);
  if (Status added = params_.Add(std::move(param), source, sources_); !added) {
    if (status_.ok()) status_ = added;
    return;
  }
  const Param& declared = params_.all().back().param;
  if (declared.default_value() && !args_.Has(declared.name())) {
    args_.keywords_.emplace(declared.name(), *declared.default_value());
    defaulted_.insert(declared.name());
  }
  if (declared.type() == ParamType::kList) {
    args_.list_separators_.insert_or_assign(declared.name(), declared.separator());
  }
}

Status JobRegistry::CheckArguments(bool require) const {
  // sources_[0] is the program itself; plugins come after it.
  const std::uint32_t first = sources_.size() > 1 ? 1 : 0;
  bool every_source_declares = true;
  for (std::uint32_t source = first; source < sources_.size(); ++source) {
    every_source_declares = every_source_declares && params_.Declares(source);
  }
  return params_.Check(args_.keywords(), every_source_declares, require);
}

std::optional<std::uint32_t> JobRegistry::Find(std::string_view name) const {
  const std::optional<NameId> id = index_.Find(name);
  return id ? SpecOf(*id) : std::nullopt;
}

NameId JobRegistry::Intern(std::string_view name, std::uint32_t tag) {
  const auto next = static_cast<NameId>(names_.size());
  const NameId id = index_.Insert(name, next, tag);
  if (id == next) {
    names_.push_back(&dep_only_names_.emplace_back(name));
    spec_of_name_.push_back(kNoSpec);
  }
  return id;
}

void JobRegistry::AddDeps(JobSpec& spec, const std::vector<std::string>& names) {
  if (names.empty()) return;
  const std::size_t old_size = spec.deps_size_;
  const std::size_t size = old_size + names.size();
  // A moved list takes twice its size at most: the bound holds either way.
  if (dep_names_.size() + 2 * size > UINT32_MAX) {
    if (status_.ok()) status_ = Failure{"too many dependencies registered (more than 2^31)"};
    return;
  }
  // Plugins mostly declare a job's dependencies right after adding it, so
  // its list is the last one and grows in place. A list that another job's
  // came after moves to the end with room to double (its capacity is
  // bit_ceil(size), kept free behind it), so a job whose Deps() calls are
  // interleaved with other jobs' (one call per item of a loop) costs
  // amortized O(1) per dependency and at most twice its size in the array.
  const std::size_t begin = spec.deps_begin_;
  const std::size_t capacity = spec.deps_padded_ ? std::bit_ceil(old_size) : old_size;
  std::size_t at = begin + old_size;  // Where the new ids go.
  if (old_size == 0) {
    at = dep_names_.size();
    spec.deps_begin_ = static_cast<std::uint32_t>(at);
    dep_names_.resize(at + names.size());
  } else if (begin + capacity == dep_names_.size()) {
    dep_names_.resize(begin + (spec.deps_padded_ ? std::bit_ceil(size) : size), kNoName);
  } else if (size > capacity) {
    const std::size_t moved = dep_names_.size();
    dep_names_.resize(moved + std::bit_ceil(size), kNoName);
    for (std::size_t i = 0; i < old_size; ++i) dep_names_[moved + i] = dep_names_[begin + i];
    spec.deps_begin_ = static_cast<std::uint32_t>(moved);
    spec.deps_padded_ = 1;
    at = moved + old_size;
  }
  // Each lookup is likely a cache miss in a large registry: the slots of a
  // few names ahead are loaded while one is looked up.
  constexpr std::size_t kAhead = 8;
  std::array<std::uint32_t, kAhead> tags{};
  for (std::size_t i = 0; i < names.size() + kAhead; ++i) {
    std::uint32_t& tag = tags[i % kAhead];  // names[i - kAhead]'s, then names[i]'s.
    if (i >= kAhead) dep_names_[at + i - kAhead] = Intern(names[i - kAhead], tag);
    if (i < names.size()) {
      tag = NameIndex::Tag(names[i]);
      index_.Prefetch(tag);
    }
  }
  spec.deps_size_ = static_cast<std::uint32_t>(size) & 0x7fffffffu;
}

JobBuilder& JobRegistry::AddJob(std::string name, JobTraits traits, JobFactory factory) {
  // The name's slot in the index is a cache miss in a large registry: it
  // loads while the spec is made, and the name is looked up after.
  const std::uint32_t tag = NameIndex::Tag(name);
  index_.Prefetch(tag);
  const auto source = static_cast<std::uint32_t>(sources_.size() - 1);
  if (const std::string_view problem = JobNameProblem(name); !problem.empty() && status_.ok()) {
    status_ = Failure{"job name '" + Printable(name) + "' registered by " + sources_[source] + " " +
                      std::string(problem)};
  }
  const auto next = static_cast<std::uint32_t>(specs_.size());
  JobSpec& spec = specs_.emplace_back();
  spec.name = std::move(name);
  spec.traits = traits;
  spec.factory = std::move(factory);
  spec.source = source;
  spec.registry_ = this;
  const auto next_name = static_cast<NameId>(names_.size());
  const NameId id = index_.Insert(spec.name, next_name, tag);
  if (id == next_name) {
    names_.push_back(&spec.name);
    spec_of_name_.push_back(next);
    return spec;
  }
  if (spec_of_name_[id] == kNoSpec) {
    spec_of_name_[id] = next;  // First named as a dependency: names_ keeps that copy.
    return spec;
  }
  if (status_.ok()) {
    const JobSpec& first = specs_[spec_of_name_[id]];
    std::string where = first.source == source
                            ? "twice by " + sources_[source]
                            : "by " + sources_[first.source] + " and by " + sources_[source];
    status_ = Failure{"duplicate job name '" + Printable(spec.name) + "': registered " + where};
  }
  JobSpec& ignored = rejected_.emplace_back();
  ignored.name = std::move(spec.name);
  ignored.registry_ = this;
  specs_.pop_back();
  return ignored;
}

}  // namespace dojobber::core
