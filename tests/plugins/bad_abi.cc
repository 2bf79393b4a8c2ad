// A plugin built for another ABI: it exports the real entry point by hand,
// but its PluginInfo names an ABI that no dojobber uses. The loader must
// refuse it before calling anything.

#include <boost/dll/alias.hpp>

#include <dojobber/plugin.h>

namespace {

void RegisterNothing(dojobber::Registry&) {}

const dojobber::PluginInfo* BadAbiEntry() {
  static const dojobber::PluginInfo info{"dojobber-sdk-0;test-runtime;test-json", "bad_abi",
                                         &RegisterNothing};
  return &info;
}

}  // namespace

// The same symbol as dojobber::kPluginEntryPoint, exported as DOJOBBER_PLUGIN does.
BOOST_DLL_ALIAS(BadAbiEntry, dojobber_plugin_v1)
