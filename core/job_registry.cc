#include "core/job_registry.h"

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

JobBuilder& JobSpec::Deps(std::vector<std::string> names) {
  if (deps.empty()) {
    deps = std::move(names);
  } else {
    deps.insert(deps.end(), std::make_move_iterator(names.begin()),
                std::make_move_iterator(names.end()));
  }
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
  return index_.Find(name);
}

JobBuilder& JobRegistry::AddJob(std::string name, JobTraits traits, JobFactory factory) {
  const auto source = static_cast<std::uint32_t>(sources_.size() - 1);
  if (const std::string_view problem = JobNameProblem(name); !problem.empty() && status_.ok()) {
    status_ = Failure{"job name '" + Printable(name) + "' registered by " + sources_[source] + " " +
                      std::string(problem)};
  }
  const auto next = static_cast<std::uint32_t>(specs_.size());
  // The index compares only against names already in specs_, so inserting
  // before the spec exists is fine; the spec is added right below.
  if (const std::uint32_t existing = index_.Insert(name, next); existing != next) {
    if (status_.ok()) {
      const JobSpec& first = specs_[existing];
      std::string where = first.source == source
                              ? "twice by " + sources_[source]
                              : "by " + sources_[first.source] + " and by " + sources_[source];
      status_ = Failure{"duplicate job name '" + Printable(name) + "': registered " + where};
    }
    JobSpec& ignored = rejected_.emplace_back();
    ignored.name = std::move(name);
    return ignored;
  }
  JobSpec& spec = specs_.emplace_back();
  spec.name = std::move(name);
  spec.traits = traits;
  spec.factory = std::move(factory);
  spec.source = source;
  names_.push_back(spec.name);
  return spec;
}

}  // namespace dojobber::core
