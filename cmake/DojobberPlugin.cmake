# dojobber_add_plugin(<name> <source>...)
#
# Builds a job plugin `<name>.so` against the dojobber SDK: a MODULE library
# without the `lib` prefix, hidden visibility (only the entry point that
# DOJOBBER_PLUGIN exports is visible) and DOJOBBER_PLUGIN_NAME set to <name>.
# Installed with the SDK, so out-of-tree plugins use the same function.
function(dojobber_add_plugin name)
  if(NOT ARGN)
    message(FATAL_ERROR "dojobber_add_plugin(${name}): no source files given")
  endif()
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE dojobber::sdk)
  target_compile_definitions(${name} PRIVATE DOJOBBER_PLUGIN_NAME="${name}")
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # Inside the dojobber tree: collect plugins in the bundled plugin folder.
  if(DEFINED DOJOBBER_PLUGIN_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${DOJOBBER_PLUGIN_OUTPUT_DIR}")
  endif()
  if(TARGET dojobber_warnings)
    target_link_libraries(${name} PRIVATE dojobber_warnings)
  endif()
endfunction()
