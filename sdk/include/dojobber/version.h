#ifndef DOJOBBER_VERSION_H_
#define DOJOBBER_VERSION_H_

#include <nlohmann/json.hpp>

/// Bumped whenever a type that crosses the plugin boundary changes.
#define DOJOBBER_SDK_ABI_VERSION 4

#define DOJOBBER_STRINGIFY_(x) #x
#define DOJOBBER_STRINGIFY(x) DOJOBBER_STRINGIFY_(x)

// The C++ runtime: std::string, std::function and friends cross the boundary.
#if defined(_LIBCPP_VERSION)
#define DOJOBBER_CXX_RUNTIME_ "libc++-" DOJOBBER_STRINGIFY(_LIBCPP_VERSION)
#elif defined(__GLIBCXX__)
#define DOJOBBER_CXX_RUNTIME_                                                       \
  "libstdc++-" DOJOBBER_STRINGIFY(_GLIBCXX_RELEASE) "-cxx11abi" DOJOBBER_STRINGIFY( \
      _GLIBCXX_USE_CXX11_ABI)
#else
#define DOJOBBER_CXX_RUNTIME_ "unknown-c++-runtime"
#endif

// nlohmann::json values cross the boundary. Its versioned inline namespace
// (json_abi_<tags>_v3_11_2) names the version and every option that changes
// its layout.
#define DOJOBBER_JSON_ABI_ DOJOBBER_STRINGIFY(NLOHMANN_JSON_NAMESPACE)

/// The full ABI a plugin is built against. The loader refuses a plugin whose
/// string differs from its own.
#define DOJOBBER_ABI                                                                     \
  "dojobber-sdk-" DOJOBBER_STRINGIFY(DOJOBBER_SDK_ABI_VERSION) ";" DOJOBBER_CXX_RUNTIME_ \
                                                               ";" DOJOBBER_JSON_ABI_

namespace dojobber {
inline constexpr const char* kAbi = DOJOBBER_ABI;
}  // namespace dojobber

#endif  // DOJOBBER_VERSION_H_
