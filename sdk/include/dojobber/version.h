#ifndef DOJOBBER_VERSION_H_
#define DOJOBBER_VERSION_H_

#include <nlohmann/json.hpp>

/// Bumped whenever a type that crosses the plugin boundary changes.
#define DOJOBBER_SDK_ABI_VERSION 1

#define DOJOBBER_STRINGIFY_(x) #x
#define DOJOBBER_STRINGIFY(x) DOJOBBER_STRINGIFY_(x)

// The C++ runtime: std::string, std::function and friends cross the boundary.
#if defined(_LIBCPP_VERSION)
#define DOJOBBER_CXX_RUNTIME_ "libc++-" DOJOBBER_STRINGIFY(_LIBCPP_VERSION)
#elif defined(__GLIBCXX__)
#define DOJOBBER_CXX_RUNTIME_             \
  "libstdc++-" DOJOBBER_STRINGIFY(_GLIBCXX_RELEASE) "-cxx11abi" DOJOBBER_STRINGIFY( \
      _GLIBCXX_USE_CXX11_ABI)
#else
#define DOJOBBER_CXX_RUNTIME_ "unknown-c++-runtime"
#endif

// nlohmann::json values cross the boundary; its ABI tags cover the options
// that change its layout.
#define DOJOBBER_JSON_ABI_                                                             \
  "nlohmann_json-" DOJOBBER_STRINGIFY(NLOHMANN_JSON_VERSION_MAJOR) "." DOJOBBER_STRINGIFY( \
      NLOHMANN_JSON_VERSION_MINOR) "." DOJOBBER_STRINGIFY(NLOHMANN_JSON_VERSION_PATCH) "-diag" \
      DOJOBBER_STRINGIFY(JSON_DIAGNOSTICS) "-legacycmp" DOJOBBER_STRINGIFY(                 \
          JSON_USE_LEGACY_DISCARDED_VALUE_COMPARISON)

/// The full ABI a plugin is built against. The loader refuses a plugin whose
/// string differs from its own.
#define DOJOBBER_ABI                                                              \
  "dojobber-sdk-" DOJOBBER_STRINGIFY(DOJOBBER_SDK_ABI_VERSION) ";" DOJOBBER_CXX_RUNTIME_ \
      ";" DOJOBBER_JSON_ABI_

namespace dojobber {
inline constexpr const char* kAbi = DOJOBBER_ABI;
}  // namespace dojobber

#endif  // DOJOBBER_VERSION_H_
