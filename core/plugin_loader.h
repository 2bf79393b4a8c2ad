#ifndef DOJOBBER_CORE_PLUGIN_LOADER_H_
#define DOJOBBER_CORE_PLUGIN_LOADER_H_

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include <dojobber/plugin.h>

#include "core/expected.h"
#include "core/job_registry.h"

namespace dojobber::core {

/// Where plugin names (values without a `/`) are looked up, in order.
struct PluginSearchPath {
  std::vector<std::filesystem::path> dirs;
};

/// The file a `--plugin` value names. A value containing `/` is a path, used
/// as is. Any other value is a name, with or without `.so`, looked up in the
/// search path only: like dlopen and PATH, never in the working directory.
Expected<std::filesystem::path> ResolvePlugin(std::string_view value,
                                              const PluginSearchPath& search);

/// Why the file at `path` cannot be a shared object for this process, before
/// any of it is loaded: missing, not a regular file, not ELF, another ELF
/// class, byte order or machine, not a shared object, or cut short (its
/// headers or segments lie past the file's end: dlopen would crash on them
/// with SIGBUS). The failure reads "plugin PATH: cause".
Status CheckSharedObject(const std::filesystem::path& path);

/// Whether `info`, what a plugin's entry point returned, can be used: present,
/// complete, and built for this SDK's ABI. The failure reads
/// "plugin SOURCE: cause".
Status CheckPluginInfo(const PluginInfo* info, const std::filesystem::path& source);

/// What registration does when the registration function throws while a declared
/// value it may have read is missing or does not convert (a plugin that
/// makes its jobs from a Required() argument, loaded without it).
enum class ValueStop {
  kFail,  ///< The failure names the argument, as a run would.
  kKeep,  ///< Not a failure: the declarations made before the throw stay
          ///< (listing parameters needs nothing more).
};

/// Calls a registration function (a checked plugin's, or one of a program
/// that registers its jobs itself) on `registry`, with `source` as the
/// source of the jobs it registers (for duplicate names). OK, or "LABEL:
/// registration failed: MESSAGE", or the registry's first error (a
/// duplicate job name). PluginSet::Load uses it for a loaded file, labelled
/// "plugin PATH"; the test kit for a plugin compiled into the test program.
/// `value_stop`: see ValueStop.
Status RegisterJobs(const std::function<void(Registry&)>& register_jobs, const std::string& source,
                    std::string_view label, JobRegistry& registry,
                    ValueStop value_stop = ValueStop::kFail);

/// The loaded plugins of one run. Each keeps its library loaded for as long
/// as the set lives: destroy every job, factory and registry first.
class PluginSet {
 public:
  using ValueStop = core::ValueStop;

  /// Loads the plugin at `path`, checks its entry point and ABI, and calls its
  /// registration function on `registry`. Every failure names the file and
  /// the cause in one line.
  Status Load(const std::filesystem::path& path, JobRegistry& registry,
              ValueStop value_stop = ValueStop::kFail);

  std::size_t size() const { return plugins_.size(); }

  /// Gets "plugin PATH: its static initialization threw: MESSAGE" when code
  /// the plugin runs as it is loaded (a static initializer) throws. It is
  /// called from std::terminate with the dynamic loader's lock held, so the
  /// process can neither go on nor exit normally: the handler must end it
  /// with _exit. Unset, std::terminate's default handler applies.
  using FatalLoadHandler = void (*)(const std::string& message);
  void set_fatal_load_handler(FatalLoadHandler handler) { fatal_load_handler_ = handler; }

 private:
  struct Loaded {
    std::filesystem::path path;
    boost::dll::shared_library library;
  };
  std::vector<Loaded> plugins_;
  FatalLoadHandler fatal_load_handler_ = nullptr;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_PLUGIN_LOADER_H_
