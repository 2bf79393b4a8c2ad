#include "core/explain.h"

#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/dry_run_plan.h"
#include "core/text_format.h"

namespace dojobber::core {
namespace {

using nlohmann::json;

// Deeper jobs keep this indentation, so that a chain of a million blocked
// jobs does not write a quadratic amount of spaces.
constexpr std::size_t kMaxIndent = 32;

bool IsSuccess(const std::string& status) { return status == "ok" || status == "changed"; }

// One job's entry, checked for the fields explain reads.
struct Entry {
  const json* deps = nullptr;
  std::string status;
  bool following = false;  // Blocked: its dependencies that failed explain it.
};

// A dry run's job reads as its plan step, in the status table's words
// ("would run"); a real run's as its status. Null for a plan value that is
// no step.
const char* Word(const json& job, const std::string& status) {
  const auto plan = job.find("plan");
  if (plan == job.end()) return status.c_str();
  for (PlanStep step :
       {PlanStep::kOk, PlanStep::kWouldRun, PlanStep::kUnknown, PlanStep::kFailed}) {
    if (plan->is_string() && *plan == PlanStepKey(step)) return PlanStepName(step);
  }
  return nullptr;
}

Expected<Entry> Read(const json& jobs, const std::string& name) {
  const auto found = jobs.find(name);
  if (found == jobs.end()) return Failure{"no job '" + Printable(name) + "' in the report"};
  const json& job = *found;
  auto bad = [&name](std::string_view what) {
    return Failure{"not a dojobber report: job '" + Printable(name) + "': " + std::string(what)};
  };
  if (!job.is_object()) return bad("not an object");
  const auto status = job.find("status");
  if (status == job.end() || !status->is_string()) return bad("no status");
  const std::string& text = status->get_ref<const std::string&>();
  if (!IsSuccess(text) && text != "failed" && text != "blocked") {
    return bad("unknown status '" + Printable(text) + "'");
  }
  if (Word(job, text) == nullptr) return bad("plan is not a plan step");
  const auto tries = job.find("tries");
  if (tries == job.end() || !tries->is_number_unsigned()) return bad("no tries");
  const auto error = job.find("error");
  if (error != job.end() && !error->is_string() && !error->is_null()) {
    return bad("error is not a string");
  }
  const auto deps = job.find("deps");
  if (deps == job.end() || !deps->is_array() ||
      !std::all_of(deps->begin(), deps->end(), [](const json& d) { return d.is_string(); })) {
    return bad("deps is not an array of names");
  }
  return Entry{&*deps, text, text == "blocked"};
}

std::string Line(const json& job, const std::string& name, std::size_t depth) {
  std::string line(std::min(depth, kMaxIndent) * 2, ' ');
  const auto tries = job["tries"].get<std::uint64_t>();
  line += Printable(name) + ": " + Word(job, job["status"].get<std::string>()) + ", " +
          std::to_string(tries) + (tries == 1 ? " try" : " tries");
  const auto error = job.find("error");
  if (error != job.end() && error->is_string()) {
    line += ": " + Printable(error->get_ref<const std::string&>());
  }
  const auto interrupted = job.find("interrupted");
  if (interrupted != job.end() && interrupted->is_boolean() && interrupted->get<bool>()) {
    line += " (interrupted)";
  }
  return line + '\n';
}

}  // namespace

Expected<bool> ExplainJob(std::istream& report, std::string_view job, std::ostream& out) {
  const json document = json::parse(report, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Failure{"not valid JSON"};
  // Version 2 only added fields: both read alike.
  const json version = document.is_object() ? document.value("version", json()) : json();
  if (version != 1 && version != 2) {
    return Failure{"not a dojobber report (no \"version\": 1 or 2)"};
  }
  const auto jobs = document.find("jobs");
  if (jobs == document.end() || !jobs->is_object()) {
    return Failure{"not a dojobber report (no \"jobs\" object)"};
  }

  struct Frame {
    std::string name;
    Entry entry;
    std::size_t next = 0;  // The next dependency to look at.
  };
  std::string text;
  std::unordered_set<std::string> written;
  std::vector<Frame> stack;
  auto visit = [&](const std::string& name, Entry entry) {
    const std::size_t depth = stack.size();
    if (!written.insert(name).second) {
      text +=
          std::string(std::min(depth, kMaxIndent) * 2, ' ') + Printable(name) + ": (see above)\n";
      return;
    }
    text += Line((*jobs)[name], name, depth);
    if (entry.following) stack.push_back({name, std::move(entry)});
  };

  const std::string root(job);
  auto first = Read(*jobs, root);
  if (!first) return first.failure();
  const bool succeeded = IsSuccess(first->status);
  visit(root, std::move(*first));
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next == top.entry.deps->size()) {
      stack.pop_back();
      continue;
    }
    const std::string& dep = (*top.entry.deps)[top.next++].get_ref<const std::string&>();
    if (!jobs->contains(dep)) {
      return Failure{"not a dojobber report: job '" + Printable(top.name) + "' depends on '" +
                     Printable(dep) + "', which has no entry"};
    }
    auto entry = Read(*jobs, dep);
    if (!entry) return entry.failure();
    if (!IsSuccess(entry->status)) visit(dep, std::move(*entry));
  }
  out << text;
  return succeeded;
}

}  // namespace dojobber::core
