#include "core/plugin_loader.h"

#include <fstream>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

namespace fs = std::filesystem;
using testing::ScopedTempDir;

TEST(PluginLoaderTest, ValueWithASlashIsAPath) {
  auto path = ResolvePlugin("./x.so", {});
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, fs::path("./x.so"));
  EXPECT_EQ(*ResolvePlugin("/abs/y", {}), fs::path("/abs/y"));
}

TEST(PluginLoaderTest, NamesAreSearchedInOrderWithOrWithoutSuffix) {
  ScopedTempDir first;
  ScopedTempDir second;
  std::ofstream(second.path() / "movie.so") << "x";
  std::ofstream(second.path() / "other.so") << "x";
  std::ofstream(first.path() / "other.so") << "x";
  PluginSearchPath search{{first.path(), second.path()}};
  EXPECT_EQ(*ResolvePlugin("movie", search), second.path() / "movie.so");
  EXPECT_EQ(*ResolvePlugin("movie.so", search), second.path() / "movie.so");
  EXPECT_EQ(*ResolvePlugin("other", search), first.path() / "other.so");
}

TEST(PluginLoaderTest, UnknownNameSaysWhereItLooked) {
  ScopedTempDir dir;
  auto path = ResolvePlugin("nope", {{dir.path()}});
  ASSERT_FALSE(path.ok());
  EXPECT_EQ(path.message(), "plugin 'nope' not found (looked for nope.so in " +
                                dir.path().string() +
                                "; give a path such as ./nope.so to load a file from here)");
}

TEST(PluginLoaderTest, RefusesMissingAndForeignFiles) {
  ScopedTempDir dir;
  JobRegistry registry;
  PluginSet plugins;
  const fs::path missing = dir.path() / "missing.so";
  EXPECT_EQ(plugins.Load(missing, registry).message(),
            "plugin " + missing.string() + ": no such file");
  const fs::path text = dir.path() / "text.so";
  std::ofstream(text) << "not an ELF file";
  EXPECT_EQ(plugins.Load(text, registry).message(),
            "plugin " + text.string() + ": not a shared object (no ELF header)");
  EXPECT_EQ(plugins.Load(dir.path(), registry).message(),
            "plugin " + dir.path().string() + ": not a regular file");
  EXPECT_EQ(plugins.size(), 0u);
}

}  // namespace
}  // namespace dojobber::core
