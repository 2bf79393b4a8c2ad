#include "cli/job_source.h"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/dll/runtime_symbol_info.hpp>

#include "cli/error_output.h"
#include "cli/exit_code.h"
#include "core/text_format.h"

namespace dojobber::cli {
namespace fs = std::filesystem;
namespace {

// DOJOBBER_PLUGIN_PATH first, then the folder bundled with this binary.
core::PluginSearchPath SearchPath() {
  core::PluginSearchPath search;
  if (const char* env = std::getenv("DOJOBBER_PLUGIN_PATH")) {
    std::string_view rest = env;
    while (!rest.empty()) {
      const std::size_t colon = rest.find(':');
      std::string_view dir = rest.substr(0, colon);
      if (!dir.empty()) search.dirs.emplace_back(dir);
      rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    }
  }
  std::error_code ec;
  fs::path program = boost::dll::program_location(ec);
  if (!ec)
    search.dirs.push_back((program.parent_path() / DOJOBBER_BUNDLED_PLUGIN_DIR).lexically_normal());
  return search;
}

// A plugin threw while dlopen ran its static initializers, with the dynamic
// loader's lock held: only _exit can end the process now (exit() would wait
// for that lock for ever). One line, bad input.
void ExitOnFatalLoad(const std::string& message) {
  PrintError(message);
  ::_exit(static_cast<int>(ExitCode::kUsage));
}

}  // namespace

void AddPluginOption(CLI::App& command, JobSourceOptions& options) {
  command
      .add_option("-p,--plugin", options.plugins,
                  "Plugin to load (repeatable): a path (contains '/'), or a name such as "
                  "'movie' or 'movie.so' looked up in DOJOBBER_PLUGIN_PATH, then in the "
                  "bundled plugin folder")
      ->required()
      ->type_name("PLUGIN");
}

void AddJobSourceOptions(CLI::App& command, JobSourceOptions& options) {
  AddPluginOption(command, options);
  command
      .add_option("-a,--arg", options.args,
                  "Keyword argument for the jobs (repeatable); the value may contain '=' "
                  "and spaces")
      ->type_name("KEY=VALUE");
}

core::Expected<Arguments::Keywords> ParseKeywords(const std::vector<std::string>& pairs) {
  Arguments::Keywords keywords;
  for (const std::string& pair : pairs) {
    const std::size_t equals = pair.find('=');
    if (equals == std::string::npos) {
      return core::Failure{"--arg '" + pair + "': expected KEY=VALUE"};
    }
    if (equals == 0) return core::Failure{"--arg '" + pair + "': the key is empty"};
    if (core::HasControlCharacter(pair.substr(0, equals))) {
      return core::Failure{"--arg '" + pair + "': the key has a control character"};
    }
    keywords.insert_or_assign(pair.substr(0, equals), pair.substr(equals + 1));
  }
  return keywords;
}

core::Expected<std::unique_ptr<LoadedJobs>> LoadJobs(const JobSourceOptions& options,
                                                     ArgumentCheck check) {
  auto keywords = ParseKeywords(options.args);
  if (!keywords) return keywords.failure();
  auto jobs = std::make_unique<LoadedJobs>(Arguments(options.positional, std::move(*keywords)));
  const core::PluginSearchPath search = SearchPath();
  jobs->plugins.set_fatal_load_handler(&ExitOnFatalLoad);
  for (const std::string& value : options.plugins) {
    auto path = core::ResolvePlugin(value, search);
    if (!path) return path.failure();
    const auto value_stop = check == ArgumentCheck::kListParams ? core::PluginSet::ValueStop::kKeep
                                                                : core::PluginSet::ValueStop::kFail;
    if (core::Status loaded = jobs->plugins.Load(*path, jobs->registry, value_stop); !loaded) {
      return loaded.failure();
    }
    jobs->plugin_paths.push_back(*path);
  }
  if (check == ArgumentCheck::kFull || check == ArgumentCheck::kNoMissing) {
    const core::Status checked =
        jobs->registry.CheckArguments(/*require=*/check == ArgumentCheck::kFull);
    if (!checked) return checked.failure();
  }
  return jobs;
}

}  // namespace dojobber::cli
