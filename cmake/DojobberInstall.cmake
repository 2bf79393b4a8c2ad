# Installs the binary, the bundled plugins, the SDK headers, the test kit and
# a CMake package: find_package(dojobber) gives dojobber::sdk,
# dojobber::testing and dojobber_add_plugin().
include(CMakePackageConfigHelpers)

set(DOJOBBER_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/dojobber")

# The test kit is a static library over the engine's (libdojobber_core.a,
# exported as dojobber::engine only as the kit's link dependency; the
# engine's headers are not installed).
install(TARGETS dojobber_sdk dojobber_core dojobber_testing EXPORT dojobberTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(DIRECTORY sdk/include/dojobber DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES testkit/include/dojobber/testing.h
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/dojobber")
install(EXPORT dojobberTargets NAMESPACE dojobber:: DESTINATION "${DOJOBBER_CMAKE_DIR}")

configure_package_config_file(cmake/dojobberConfig.cmake.in
  "${PROJECT_BINARY_DIR}/dojobberConfig.cmake"
  INSTALL_DESTINATION "${DOJOBBER_CMAKE_DIR}"
  PATH_VARS DOJOBBER_PLUGIN_SUBDIR)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/dojobberConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/dojobberConfig.cmake"
  "${PROJECT_BINARY_DIR}/dojobberConfigVersion.cmake"
  cmake/DojobberPlugin.cmake
  DESTINATION "${DOJOBBER_CMAKE_DIR}")
