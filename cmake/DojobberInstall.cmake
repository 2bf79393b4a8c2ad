# Installs the binary, the bundled plugins, the SDK headers and a CMake
# package: find_package(dojobber) gives dojobber::sdk and dojobber_add_plugin().
include(CMakePackageConfigHelpers)

set(DOJOBBER_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/dojobber")

install(TARGETS dojobber_sdk EXPORT dojobberTargets)
install(DIRECTORY sdk/include/dojobber DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
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
