#include "cli/params_command.h"

#include <cstdint>
#include <iostream>

#include "cli/error_output.h"
#include "cli/exit_code.h"
#include "core/param_list.h"
#include "core/text_format.h"

namespace dojobber::cli {

CLI::App* SetupParamsCommand(CLI::App& app, JobSourceOptions& options) {
  CLI::App* params = app.add_subcommand(
      "params",
      "List the keyword arguments (--arg KEY=VALUE) the plugins declare: type, default or "
      "required, allowed values and help");
  AddJobSourceOptions(*params, options);
  params->footer(
      "Example: dojobber params --plugin movie\n"
      "--arg gives registration the values it reads (a plugin that makes its jobs from "
      "arguments); they are not checked.");
  return params;
}

void WriteParams(std::ostream& out, const LoadedJobs& jobs) {
  const std::size_t count = jobs.plugin_paths.size();
  for (std::size_t i = 0; i < count; ++i) {
    const std::string path = jobs.plugin_paths[i].string();
    if (count > 1) out << (i > 0 ? "\n" : "") << core::Printable(path) << ":\n";
    // Registry source 0 is the program; the plugins follow in load order.
    core::WriteParamList(out, jobs.registry.params(), static_cast<std::uint32_t>(i + 1), path);
  }
}

int RunParamsCommand(const JobSourceOptions& options) {
  auto jobs = LoadJobs(options, ArgumentCheck::kListParams);
  if (!jobs) return Fail(jobs.message(), kUsage);
  WriteParams(std::cout, **jobs);
  if (!std::cout.flush()) return Fail("cannot write to standard output", kOutputFailed);
  return kSuccess;
}

}  // namespace dojobber::cli
