#include "core/plugin_loader.h"

#include <dlfcn.h>

#include <array>
#include <cstring>
#include <fstream>
#include <system_error>

#include <dojobber/plugin.h>

#include "core/invoker.h"

namespace dojobber::core {
namespace fs = std::filesystem;
namespace {

Failure PluginFailure(const fs::path& path, const std::string& cause) {
  return Failure{"plugin " + path.string() + ": " + cause};
}

// Tells a missing or foreign file apart before dlopen, whose messages for
// those cases are vague.
Status CheckFile(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) return PluginFailure(path, "no such file");
  if (!fs::is_regular_file(status)) return PluginFailure(path, "not a regular file");
  std::ifstream file(path, std::ios::binary);
  if (!file) return PluginFailure(path, "cannot be read");
  std::array<char, 4> magic{};
  file.read(magic.data(), magic.size());
  if (file.gcount() != 4 || std::memcmp(magic.data(),
                                        "\x7f"
                                        "ELF",
                                        4) != 0) {
    return PluginFailure(path, "not a shared object (no ELF header)");
  }
  return {};
}

bool SameFile(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

}  // namespace

Expected<fs::path> ResolvePlugin(std::string_view value, const PluginSearchPath& search) {
  if (value.empty()) return Failure{"empty --plugin value"};
  if (value.find('/') != std::string_view::npos) return fs::path(value);
  std::string file(value);
  if (!file.ends_with(".so")) file += ".so";
  std::string looked_in;
  for (const fs::path& dir : search.dirs) {
    fs::path candidate = dir / file;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate;
    looked_in += (looked_in.empty() ? "" : ", ") + dir.string();
  }
  return Failure{"plugin '" + std::string(value) + "' not found (looked for " + file + " in " +
                 (looked_in.empty() ? "no folders" : looked_in) + "; give a path such as ./" +
                 file + " to load a file from here)"};
}

Status PluginSet::Load(const fs::path& path, JobRegistry& registry) {
  if (Status file = CheckFile(path); !file) return file;
  for (const Loaded& loaded : plugins_) {
    if (SameFile(loaded.path, path)) return PluginFailure(path, "given twice");
  }
  std::error_code ec;
  boost::dll::shared_library library(path, ec, boost::dll::load_mode::rtld_now);
  if (ec) {
    const char* cause = ::dlerror();
    return PluginFailure(path, std::string("cannot be loaded: ") + (cause ? cause : ec.message()));
  }
  if (!library.has(kPluginEntryPoint)) {
    return PluginFailure(
        path, std::string("not a dojobber plugin (no ") + kPluginEntryPoint + " entry point)");
  }
  using Entry = const PluginInfo*();
  const PluginInfo* info = library.get_alias<Entry>(kPluginEntryPoint)();
  if (info == nullptr || info->abi == nullptr || info->register_jobs == nullptr) {
    return PluginFailure(path, "its entry point returned no plugin information");
  }
  if (std::strcmp(info->abi, kAbi) != 0) {
    return PluginFailure(path, std::string("built for SDK ABI '") + info->abi +
                                   "', but this dojobber uses '" + kAbi + "'; rebuild the plugin");
  }
  registry.BeginSource(path.string());
  CallOutcome registered = CallRegistration(info->register_jobs, registry);
  plugins_.push_back({path, std::move(library)});  // Its factories may be registered already.
  if (!registered.ok) return PluginFailure(path, "registration failed: " + registered.error);
  return registry.status();
}

}  // namespace dojobber::core
