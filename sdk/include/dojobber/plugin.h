#ifndef DOJOBBER_PLUGIN_H_
#define DOJOBBER_PLUGIN_H_

#include <boost/dll/alias.hpp>

#include <dojobber/registry.h>
#include <dojobber/version.h>

namespace dojobber {

/// What a plugin's entry point returns. `abi` stays the first member in every
/// version, so any loader can read it before trusting the rest.
struct PluginInfo {
  const char* abi;   ///< DOJOBBER_ABI of the SDK the plugin was built with.
  const char* name;  ///< The plugin's name (DOJOBBER_PLUGIN_NAME), or null.
  void (*register_jobs)(Registry& registry);
};

/// The name of the one symbol a plugin exports.
inline constexpr const char* kPluginEntryPoint = "dojobber_plugin_v1";

}  // namespace dojobber

// dojobber_add_plugin() defines this as the CMake target name.
#ifndef DOJOBBER_PLUGIN_NAME
#define DOJOBBER_PLUGIN_NAME nullptr
#endif

/// Defines a plugin's registration function and exports its entry point:
///
///     DOJOBBER_PLUGIN(registry) {
///       registry.Add<TurnOnTV>("TurnOnTV").Deps({"FindTVRemote"});
///     }
///
/// Use it once per plugin, at namespace scope.
#define DOJOBBER_PLUGIN(registry)                                                \
  static void DojobberRegisterJobs(::dojobber::Registry& registry);              \
  namespace {                                                                    \
  const ::dojobber::PluginInfo* dojobber_plugin_entry() {                        \
    static const ::dojobber::PluginInfo info{DOJOBBER_ABI, DOJOBBER_PLUGIN_NAME, \
                                             &DojobberRegisterJobs};             \
    return &info;                                                                \
  }                                                                              \
  }                                                                              \
  BOOST_DLL_ALIAS(dojobber_plugin_entry, dojobber_plugin_v1)                     \
  static void DojobberRegisterJobs(::dojobber::Registry& registry)

#endif  // DOJOBBER_PLUGIN_H_
