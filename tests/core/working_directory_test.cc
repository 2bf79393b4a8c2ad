#include "core/working_directory.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

#include <gtest/gtest.h>

#include "core/chdir_watch.h"
#include "support/test_support.h"

namespace dojobber::core {
namespace {

namespace fs = std::filesystem;
using testing::ScopedCwd;
using testing::ScopedTempDir;

// Each test declares its ScopedCwd after its temporary directories, so the
// working directory is back before they are removed.

TEST(WorkingDirectoryTest, RestoreReturnsToTheCapturedDirectory) {
  ScopedTempDir start;
  ScopedTempDir elsewhere;
  ScopedCwd keep;
  fs::current_path(start.path());
  WorkingDirectory working_directory;
  fs::current_path(elsewhere.path());
  ASSERT_TRUE(working_directory.Restore().ok());
  EXPECT_TRUE(fs::equivalent(fs::current_path(), start.path()));
}

TEST(WorkingDirectoryTest, RestoreWhenAlreadyThereIsHarmless) {
  ScopedCwd keep;
  WorkingDirectory working_directory;
  ASSERT_TRUE(working_directory.Restore().ok());
  ASSERT_TRUE(working_directory.Restore().ok());
  EXPECT_TRUE(fs::equivalent(fs::current_path(), keep.saved()));
}

TEST(WorkingDirectoryTest, RestoreFindsADirectoryThatWasRenamed) {
  ScopedTempDir parent;
  ScopedCwd keep;
  const fs::path before = parent.path() / "before";
  const fs::path after = parent.path() / "after";
  fs::create_directory(before);
  fs::current_path(before);
  WorkingDirectory working_directory;
  fs::current_path(parent.path());
  fs::rename(before, after);
  ASSERT_TRUE(working_directory.Restore().ok());
  EXPECT_TRUE(fs::equivalent(fs::current_path(), after));
}

TEST(WorkingDirectoryTest, RestoreNeedsNoReadPermission) {
  ScopedTempDir parent;
  ScopedCwd keep;
  const fs::path locked = parent.path() / "locked";
  fs::create_directory(locked);
  fs::current_path(locked);
  WorkingDirectory working_directory;
  fs::current_path(parent.path());
  fs::permissions(locked, fs::perms::owner_exec);  // Search only.
  Status restored = working_directory.Restore();
  fs::permissions(locked, fs::perms::owner_all);
  ASSERT_TRUE(restored.ok()) << restored.message();
  EXPECT_TRUE(fs::equivalent(fs::current_path(), locked));
}

TEST(WorkingDirectoryTest, EachInstanceKeepsItsOwnDirectory) {
  ScopedTempDir first_dir;
  ScopedTempDir second_dir;
  ScopedCwd keep;
  fs::current_path(first_dir.path());
  WorkingDirectory first;
  fs::current_path(second_dir.path());
  WorkingDirectory second;
  ASSERT_TRUE(first.Restore().ok());
  EXPECT_TRUE(fs::equivalent(fs::current_path(), first_dir.path()));
  ASSERT_TRUE(second.Restore().ok());
  EXPECT_TRUE(fs::equivalent(fs::current_path(), second_dir.path()));
}

// This binary links the watch (as the dojobber binary does), so the tests
// above and below run with the reset skipped when nothing moved.
TEST(WorkingDirectoryTest, TheTestsCountEveryChangeOfDirectory) {
  const std::atomic<std::uint64_t>* moves = DirectoryMoves();
  ASSERT_NE(moves, nullptr);
  ScopedTempDir elsewhere;
  ScopedCwd keep;
  const std::uint64_t before = moves->load();
  ASSERT_EQ(::chdir(elsewhere.path().c_str()), 0);
  EXPECT_EQ(moves->load(), before + 2);
}

TEST(WorkingDirectoryTest, RestoreSeesEachKindOfMoveAfterASkippedOne) {
  ScopedTempDir start;
  ScopedTempDir elsewhere;
  ScopedCwd keep;
  fs::current_path(start.path());
  WorkingDirectory working_directory;
  const auto moves_by = std::vector<std::function<void()>>{
      [&] { ASSERT_EQ(::chdir(elsewhere.path().c_str()), 0); },
      [&] {
        const int fd = ::open(elsewhere.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(::fchdir(fd), 0);
        ::close(fd);
      },
      [&] { fs::current_path(elsewhere.path()); },
  };
  for (const auto& move : moves_by) {
    ASSERT_TRUE(working_directory.Restore().ok());  // Nothing moved: skipped.
    move();
    ASSERT_TRUE(fs::equivalent(fs::current_path(), elsewhere.path()));
    ASSERT_TRUE(working_directory.Restore().ok());
    EXPECT_TRUE(fs::equivalent(fs::current_path(), start.path()));
  }
}

}  // namespace
}  // namespace dojobber::core
