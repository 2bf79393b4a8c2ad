# Warnings and sanitizers for this project's own targets. The warnings live in
# a non-exported INTERFACE target so that installed consumers never inherit
# them; sanitizers are global so plugins and the binary always agree.
add_library(dojobber_warnings INTERFACE)
target_compile_options(dojobber_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
  $<$<BOOL:${DOJOBBER_WERROR}>:-Werror>
  # GCC 12 reports false -Wrestrict positives inside libstdc++'s std::string
  # at -O2/-O3 (GCC bug 105329); the warning says nothing about our code.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)

if(DOJOBBER_SANITIZE)
  add_compile_options(-fsanitize=${DOJOBBER_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  # Sanitizer instrumentation confuses GCC's flow analysis: it reports
  # maybe-uninitialized values inside nlohmann_json's iterators and libstdc++
  # that the same code without instrumentation does not have.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  add_link_options(-fsanitize=${DOJOBBER_SANITIZE})
endif()
