#include "core/job_list.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/text_format.h"

namespace dojobber::core {

const char* KindName(JobKind kind) {
  switch (kind) {
    case JobKind::kJob:
      return "job";
    case JobKind::kDummy:
      return "dummy";
    case JobKind::kRunonly:
      return "runonly";
  }
  return "?";
}

namespace {

// "x2 max 60s" (or "x2", or "-" for a fixed delay), then the jitter as a
// percentage ("10%", or "-").
std::string BackoffColumns(const RetryPolicy& policy) {
  std::string backoff = "-";
  if (policy.backoff != 1 || std::isfinite(policy.max_delay)) {
    backoff = "x" + FormatSeconds(policy.backoff);
    if (std::isfinite(policy.max_delay)) backoff += " max " + FormatSeconds(policy.max_delay) + "s";
  }
  const std::string jitter = policy.jitter > 0 ? FormatSeconds(policy.jitter * 100) + "%" : "-";
  return PadToWidth(backoff, 15) + "  " + PadToWidth(jitter, 6) + "  ";
}

}  // namespace

void WriteJobList(std::ostream& out, const Graph& graph) {
  std::size_t width = 3;
  for (JobId id = 0; id < graph.size(); ++id) width = std::max(width, DisplayWidth(graph.name(id)));
  width = std::min<std::size_t>(width, 48);
  auto pad = [](std::string_view text, std::size_t to) { return PadToWidth(text, to); };
  // Resource hints get columns only where some job has them.
  bool hints = false;
  for (JobId id = 0; id < graph.size() && !hints; ++id) {
    const JobOptions& options = graph.spec(id).options();
    hints = options.cpus.has_value() || options.memory_mib.has_value();
  }
  // So do backoff and jitter.
  bool backoff = false;
  const RetryPolicy plain;
  for (JobId id = 0; id < graph.size() && !backoff; ++id) {
    const RetryPolicy policy = graph.retry_policy(id);
    backoff = policy.backoff != plain.backoff || policy.max_delay != plain.max_delay ||
              policy.jitter != plain.jitter;
  }
  out << pad("JOB", width) << "  KIND     TRIES  DELAY   "
      << (backoff ? "BACKOFF          JITTER  " : "") << (hints ? "CPUS  MEM        " : "")
      << "DEPS\n";
  for (JobId id = 0; id < graph.size(); ++id) {
    const JobSpec& spec = graph.spec(id);
    std::string line = pad(graph.name(id), width) + "  " + pad(KindName(spec.traits.kind), 7);
    const std::string tries = std::to_string(graph.tries(id));
    line += std::string(7 - std::min<std::size_t>(7, tries.size()), ' ') + tries + "  ";
    line += pad(FormatSeconds(graph.retry_delay(id)) + "s", 6) + "  ";
    if (backoff) line += BackoffColumns(graph.retry_policy(id));
    if (hints) {
      const JobOptions& options = spec.options();
      line += pad(options.cpus ? std::to_string(*options.cpus) : "-", 4) + "  ";
      line +=
          pad(options.memory_mib ? std::to_string(*options.memory_mib) + " MiB" : "-", 9) + "  ";
    }
    std::string deps;
    for (JobId dep : graph.deps(id)) deps += (deps.empty() ? "" : ", ") + graph.name(dep);
    line += deps.empty() ? "-" : deps;
    out << line << '\n';
  }
}

}  // namespace dojobber::core
