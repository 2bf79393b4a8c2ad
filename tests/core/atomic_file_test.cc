#include "core/atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <regex>
#include <string>
#include <vector>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

namespace fs = std::filesystem;
using testing::ScopedCwd;
using testing::ScopedTempDir;

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t Entries(const fs::path& dir) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(AtomicFileTest, TargetAppearsOnlyAtCommit) {
  ScopedTempDir dir;
  const fs::path target = dir.path() / "report.json";
  auto file = AtomicFile::Open(target);
  ASSERT_TRUE(file.ok()) << file.message();
  file->stream() << "{}";
  EXPECT_FALSE(fs::exists(target));
  ASSERT_TRUE(file->Commit().ok());
  EXPECT_EQ(Read(target), "{}");
  EXPECT_EQ(Entries(dir.path()), 1u);
}

TEST(AtomicFileTest, ReplacesAnExistingFileWhole) {
  ScopedTempDir dir;
  const fs::path target = dir.path() / "report.json";
  std::ofstream(target) << "old content";
  auto file = AtomicFile::Open(target);
  ASSERT_TRUE(file.ok());
  file->stream() << "new";
  EXPECT_EQ(Read(target), "old content");
  ASSERT_TRUE(file->Commit().ok());
  EXPECT_EQ(Read(target), "new");
}

TEST(AtomicFileTest, DroppedWithoutCommitLeavesNothing) {
  ScopedTempDir dir;
  {
    auto file = AtomicFile::Open(dir.path() / "report.json");
    ASSERT_TRUE(file.ok());
    file->stream() << "half";
  }
  EXPECT_EQ(Entries(dir.path()), 0u);
}

// The temporary file has no name until the commit: a process that dies
// before it leaves nothing behind, and nothing shows in the folder meanwhile.
TEST(AtomicFileTest, ProcessDyingBeforeTheCommitLeavesNothing) {
  ScopedTempDir dir;
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto file = AtomicFile::Open(dir.path() / "report.json");
    if (!file.ok()) ::_exit(1);
    file->stream() << "half" << std::flush;
    ::_exit(Entries(dir.path()) == 0 ? 0 : 2);  // No destructors: as if killed.
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: could not open; 2: a file was visible";
  EXPECT_EQ(Entries(dir.path()), 0u);
}

// Where unnamed files are not supported, a named one is used and removed.
class AtomicFileTemporaryTest : public ::testing::TestWithParam<AtomicFile::Temporary> {};

TEST_P(AtomicFileTemporaryTest, CommitsAndCleansUpEitherWay) {
  ScopedTempDir dir;
  const fs::path target = dir.path() / "report.json";
  {
    auto dropped = AtomicFile::Open(target, GetParam());
    ASSERT_TRUE(dropped.ok()) << dropped.message();
    dropped->stream() << "dropped";
  }
  EXPECT_EQ(Entries(dir.path()), 0u);
  auto file = AtomicFile::Open(target, GetParam());
  ASSERT_TRUE(file.ok()) << file.message();
  file->stream() << "kept";
  ASSERT_TRUE(file->Commit().ok());
  EXPECT_EQ(Read(target), "kept");
  EXPECT_EQ(Entries(dir.path()), 1u);
}

// The folder is held from Open() on: renamed before the commit, it gets the
// file under its new path, and nothing is left at the old one.
TEST_P(AtomicFileTemporaryTest, RenamedFolderGetsTheFileUnderItsNewPath) {
  ScopedTempDir dir;
  fs::create_directory(dir.path() / "before");
  auto file = AtomicFile::Open(dir.path() / "before" / "report.json", GetParam());
  ASSERT_TRUE(file.ok()) << file.message();
  fs::rename(dir.path() / "before", dir.path() / "after");
  file->stream() << "moved";
  ASSERT_TRUE(file->Commit().ok());
  EXPECT_EQ(Read(dir.path() / "after" / "report.json"), "moved");
  EXPECT_EQ(Entries(dir.path() / "after"), 1u);
  EXPECT_FALSE(fs::exists(dir.path() / "before"));
}

// A relative target names a file in the working directory of Open(), even
// when that directory is renamed and left before the commit.
TEST_P(AtomicFileTemporaryTest, RelativeTargetFollowsItsRenamedFolder) {
  ScopedTempDir dir;
  ScopedCwd keep;
  fs::create_directory(dir.path() / "start");
  fs::current_path(dir.path() / "start");
  auto file = AtomicFile::Open("report.json", GetParam());
  ASSERT_TRUE(file.ok()) << file.message();
  fs::rename(dir.path() / "start", dir.path() / "renamed");
  fs::current_path(dir.path());
  file->stream() << "relative";
  ASSERT_TRUE(file->Commit().ok());
  EXPECT_EQ(Read(dir.path() / "renamed" / "report.json"), "relative");
  EXPECT_EQ(Entries(dir.path()), 1u);
  EXPECT_EQ(Entries(dir.path() / "renamed"), 1u);
}

// Dropped uncommitted after the rename, it still removes its temporary file.
TEST_P(AtomicFileTemporaryTest, DroppedAfterARenameLeavesNothing) {
  ScopedTempDir dir;
  fs::create_directory(dir.path() / "before");
  {
    auto file = AtomicFile::Open(dir.path() / "before" / "report.json", GetParam());
    ASSERT_TRUE(file.ok()) << file.message();
    fs::rename(dir.path() / "before", dir.path() / "after");
    file->stream() << "dropped";
  }
  EXPECT_EQ(Entries(dir.path() / "after"), 0u);
}

// Both kinds get the mode a plain open would give.
TEST_P(AtomicFileTemporaryTest, CommittedFileGetsTheUsualMode) {
  ScopedTempDir dir;
  const mode_t old_mask = ::umask(022);
  auto file = AtomicFile::Open(dir.path() / "out.dot", GetParam());
  ::umask(old_mask);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file->Commit().ok());
  struct stat info {};
  ASSERT_EQ(::stat((dir.path() / "out.dot").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644u);
}

INSTANTIATE_TEST_SUITE_P(Kinds, AtomicFileTemporaryTest,
                         ::testing::Values(AtomicFile::Temporary::kUnnamedIfPossible,
                                           AtomicFile::Temporary::kNamed));

// Any name the folder allows works, however long: the temporary names are
// short. A name the folder does not allow is refused at once.
TEST(AtomicFileTest, LongestNamesWorkAndLongerOnesFailAtOpen) {
  ScopedTempDir dir;
  for (AtomicFile::Temporary kind :
       {AtomicFile::Temporary::kUnnamedIfPossible, AtomicFile::Temporary::kNamed}) {
    const fs::path longest = dir.path() / std::string(255, 'r');
    auto file = AtomicFile::Open(longest, kind);
    ASSERT_TRUE(file.ok()) << file.message();
    file->stream() << "x";
    ASSERT_TRUE(file->Commit().ok());
    EXPECT_TRUE(fs::exists(longest));
  }
  auto too_long = AtomicFile::Open(dir.path() / std::string(256, 'r'));
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.message().find("File name too long"), std::string::npos) << too_long.message();
}

// A folder removed after Open() is looked up again by its path: made anew,
// it gets the file; gone for good, the commit fails. Only with an unnamed
// temporary file, which no removal can take away.
TEST(AtomicFileTest, FolderRemovedAndMadeAnewGetsTheFile) {
  ScopedTempDir dir;
  fs::create_directory(dir.path() / "out");
  auto file = AtomicFile::Open(dir.path() / "out" / "report.json");
  ASSERT_TRUE(file.ok()) << file.message();
  if (Entries(dir.path() / "out") != 0) GTEST_SKIP() << "no O_TMPFILE here";
  fs::remove(dir.path() / "out");
  fs::create_directory(dir.path() / "out");
  file->stream() << "anew";
  ASSERT_TRUE(file->Commit().ok());
  EXPECT_EQ(Read(dir.path() / "out" / "report.json"), "anew");
  EXPECT_EQ(Entries(dir.path() / "out"), 1u);
}

TEST(AtomicFileTest, FolderRemovedForGoodFailsTheCommit) {
  ScopedTempDir dir;
  fs::create_directory(dir.path() / "out");
  const fs::path target = dir.path() / "out" / "report.json";
  auto file = AtomicFile::Open(target);
  ASSERT_TRUE(file.ok()) << file.message();
  if (Entries(dir.path() / "out") != 0) GTEST_SKIP() << "no O_TMPFILE here";
  fs::remove(dir.path() / "out");
  file->stream() << "lost";
  const Status committed = file->Commit();
  ASSERT_FALSE(committed.ok());
  EXPECT_EQ(committed.message(), "cannot write " + target.string() + ": No such file or directory");
  EXPECT_EQ(Entries(dir.path()), 0u);
}

TEST(AtomicFileTest, RefusesAMissingFolderAtOpen) {
  ScopedTempDir dir;
  auto file = AtomicFile::Open(dir.path() / "missing" / "report.json");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.message(), "cannot write " + (dir.path() / "missing" / "report.json").string() +
                                ": No such file or directory");
}

TEST(AtomicFileTest, RefusesADirectory) {
  ScopedTempDir dir;
  auto file = AtomicFile::Open(dir.path());
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.message().find("Is a directory"), std::string::npos) << file.message();
}

TEST(AtomicFileTest, WritesDevNullInPlace) {
  auto file = AtomicFile::Open("/dev/null");
  ASSERT_TRUE(file.ok()) << file.message();
  file->stream() << "discarded";
  ASSERT_TRUE(file->Commit().ok());
  struct stat info {};
  ASSERT_EQ(::stat("/dev/null", &info), 0);
  EXPECT_TRUE(S_ISCHR(info.st_mode)) << "/dev/null must stay a device";
}

TEST(AtomicFileTest, RefusesANamedPipeThatNoProcessReadsAtOnce) {
  ScopedTempDir dir;
  const fs::path fifo = dir.path() / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto file = AtomicFile::Open(fifo);  // A plain open() would wait here for ever.
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.message(),
            "cannot write " + fifo.string() + ": no process has it open for reading");
}

TEST(AtomicFileTest, WritesANamedPipeThatAProcessReadsInPlace) {
  ScopedTempDir dir;
  const fs::path fifo = dir.path() / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  {
    auto file = AtomicFile::Open(fifo);
    ASSERT_TRUE(file.ok()) << file.message();
    file->stream() << "through";
    ASSERT_TRUE(file->Commit().ok());
    EXPECT_FALSE(file->Rewind().ok()) << "the reader has the bytes already";
  }
  char buffer[16] = {};
  EXPECT_EQ(::read(reader, buffer, sizeof buffer), 7);
  EXPECT_EQ(std::string(buffer), "through");
  ::close(reader);
  EXPECT_TRUE(fs::is_fifo(fifo));
}

TEST(AtomicFileTest, RefusesDevFull) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  auto file = AtomicFile::Open("/dev/full");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.message(), "cannot write /dev/full: No space left on device");
}

TEST_P(AtomicFileTemporaryTest, RewindStartsTheContentsOver) {
  ScopedTempDir dir;
  const fs::path target = dir.path() / "report.json";
  auto file = AtomicFile::Open(target, GetParam());
  ASSERT_TRUE(file.ok()) << file.message();
  file->stream() << "a longer first version";
  ASSERT_TRUE(file->Rewind().ok());
  file->stream() << "second";
  ASSERT_TRUE(file->Commit().ok());
  EXPECT_EQ(Read(target), "second");
  EXPECT_EQ(Entries(dir.path()), 1u);
}

// A named temporary file carries its writer's PID and is locked by it until
// the rename, so that nobody takes it for one left behind.
TEST(AtomicFileTest, TemporaryNameCarriesThePidAndTheFileIsLocked) {
  ScopedTempDir dir;
  auto file = AtomicFile::Open(dir.path() / "report.json", AtomicFile::Temporary::kNamed);
  ASSERT_TRUE(file.ok()) << file.message();
  ASSERT_EQ(Entries(dir.path()), 1u);
  const fs::path temporary = fs::directory_iterator(dir.path())->path();
  EXPECT_TRUE(std::regex_match(
      temporary.filename().string(),
      std::regex("\\.dojobber-" + std::to_string(::getpid()) + "-[A-Za-z0-9]{6}\\.tmp")))
      << temporary;
  const int fd = ::open(temporary.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(::flock(fd, LOCK_EX | LOCK_NB), -1);
  EXPECT_EQ(errno, EWOULDBLOCK);
  ::close(fd);
}

// A PID that no process has: a child's, once it is reaped.
pid_t GonePid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}

// A writer killed before its rename leaves its temporary file; the next
// Open() in that folder removes it. Only files whose writer is gone go: not
// one whose PID lives, not one whose lock is held (a writer in another PID
// namespace, or on another host), nothing of another name or kind.
TEST(AtomicFileTest, OpenRemovesTemporariesLeftByGoneWriters) {
  ScopedTempDir dir;
  const std::string gone = std::to_string(GonePid());
  const auto make = [&](const std::string& name) { std::ofstream(dir.path() / name) << "left"; };
  const std::string left = ".dojobber-" + gone + "-abcDE1.tmp";
  const std::string locked = ".dojobber-" + gone + "-lockd1.tmp";
  const std::string live = ".dojobber-" + std::to_string(::getppid()) + "-abcDE1.tmp";
  const std::string old_style = ".dojobber-abcDE1.tmp";
  const std::string other = ".dojobber-" + gone + "-abcDE1.tmp.keep";
  for (const std::string& name : {left, locked, live, old_style, other}) make(name);
  fs::create_directory(dir.path() / (".dojobber-" + gone + "-direc1.tmp"));
  const int held = ::open((dir.path() / locked).c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(held, 0);
  ASSERT_EQ(::flock(held, LOCK_EX), 0);

  auto file = AtomicFile::Open(dir.path() / "report.json");
  ASSERT_TRUE(file.ok()) << file.message();
  ::close(held);
  EXPECT_FALSE(fs::exists(dir.path() / left));
  for (const std::string& name : {locked, live, old_style, other}) {
    EXPECT_TRUE(fs::exists(dir.path() / name)) << name;
  }
  EXPECT_TRUE(fs::is_directory(dir.path() / (".dojobber-" + gone + "-direc1.tmp")));
}

// The whole story: a process killed with its temporary file named (here a
// named one, which is named from the start) leaves it; the next run's
// Open() in that folder clears it.
TEST(AtomicFileTest, TemporaryOfAKilledWriterIsClearedByTheNextOpen) {
  ScopedTempDir dir;
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto file = AtomicFile::Open(dir.path() / "report.json", AtomicFile::Temporary::kNamed);
    if (!file.ok()) ::_exit(1);
    file->stream() << "whole" << std::flush;
    ::_exit(0);  // No destructors: as if killed.
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  ASSERT_EQ(Entries(dir.path()), 1u) << "the killed writer left its temporary file";

  auto file = AtomicFile::Open(dir.path() / "other.json");
  ASSERT_TRUE(file.ok()) << file.message();
  EXPECT_EQ(Entries(dir.path()), 0u);
}

}  // namespace
}  // namespace dojobber::core
