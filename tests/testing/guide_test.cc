// The plugin guide's "Testing your plugin" section shows the test the suite
// builds (movie_test.cc) and the CMake lines the package test builds
// (tests/package/hello_test), verbatim.

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

const std::filesystem::path kSource = SourceDir();

std::string Guide() { return ReadFile(kSource / "docs/plugin-guide.md"); }

// `text` with every `from` replaced by `to`.
std::string Replaced(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
  return text;
}

TEST(PluginGuide, ShowsTheMovieTestTheSuiteBuilds) {
  const std::string test = ReadFile(kSource / "tests/testing/movie_test.cc");
  EXPECT_NE(Guide().find("```cpp\n" + test + "```\n"), std::string::npos)
      << "docs/plugin-guide.md does not show tests/testing/movie_test.cc as it is";
}

TEST(PluginGuide, ShowsTheTestBuildThePackageTestBuilds) {
  // hello_test's project, from find_package on, for the movie test.
  const std::string project = ReadFile(kSource / "tests/package/hello_test/CMakeLists.txt");
  const std::size_t start = project.find("find_package(dojobber");
  ASSERT_NE(start, std::string::npos);
  std::string lines = Replaced(project.substr(start), "../hello_plugin/hello.cc", "movie.cc");
  lines = Replaced(lines, "hello_test", "movie_test");
  EXPECT_NE(Guide().find("```cmake\n" + lines + "```\n"), std::string::npos)
      << "docs/plugin-guide.md does not show the lines of "
         "tests/package/hello_test/CMakeLists.txt:\n"
      << lines;
}

}  // namespace
}  // namespace dojobber::e2e
