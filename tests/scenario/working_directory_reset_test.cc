// SEMANTICS.md, "Jobs": the working directory is reset to the run's starting
// directory before every Check and Run, and again when the run ends.

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber {
namespace {

namespace fs = std::filesystem;
using testing::Harness;
using testing::ScopedCwd;
using testing::ScopedTempDir;
using Lines = std::vector<std::string>;

// Records "<phase> in <cwd>" and then moves into `elsewhere`.
testing::Hook Wander(Lines& seen, const fs::path& elsewhere) {
  return [&seen, elsewhere](Context& c) {
    seen.push_back(c.job_name() + "." + PhaseName(c.phase()) + " in " +
                   fs::current_path().string());
    fs::current_path(elsewhere);
  };
}

class WorkingDirectoryResetTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::current_path(start_.path()); }
  std::string At(const std::string& what) const {
    return what + " in " + fs::canonical(start_.path()).string();
  }

  ScopedTempDir start_;
  ScopedTempDir elsewhere_;
  ScopedCwd restore_;  // Declared last: the test's cwd is back before the dirs go.
  Harness h_;
  Lines seen_;
};

TEST_F(WorkingDirectoryResetTest, EveryCheckAndRunStartsInTheStartingDirectory) {
  h_.Add("Mover", {[this](Context& c) {
                     Wander(seen_, elsewhere_.path())(c);
                     if (!c.is_recheck()) throw Error("not yet");
                   },
                   Wander(seen_, elsewhere_.path()),
                   {}});
  core::RunResult result = h_.Run("Mover");
  EXPECT_TRUE(result.success);
  EXPECT_EQ(seen_, (Lines{At("Mover.check"), At("Mover.run"), At("Mover.recheck")}));
}

TEST_F(WorkingDirectoryResetTest, NextJobSeesTheStartingDirectory) {
  h_.Add("Root", {Wander(seen_, elsewhere_.path()), {}, {}}).Deps({"Mover"});
  h_.Add("Mover", {Wander(seen_, elsewhere_.path()), {}, {}});
  (void)h_.Run("Root");
  EXPECT_EQ(seen_, (Lines{At("Mover.check"), At("Root.check")}));
}

TEST_F(WorkingDirectoryResetTest, RetriesStartInTheStartingDirectory) {
  h_.Add("Mover", {[this](Context& c) {
                     Wander(seen_, elsewhere_.path())(c);
                     if (c.try_number() == 1) throw Error("again");
                   },
                   {},
                   {}});
  (void)h_.Run("Mover");
  EXPECT_EQ(seen_, (Lines{At("Mover.check"), At("Mover.recheck"), At("Mover.check")}));
}

TEST_F(WorkingDirectoryResetTest, RunEndsInTheStartingDirectory) {
  h_.Add("Mover", {Wander(seen_, elsewhere_.path()), {}, {}});
  (void)h_.Run("Mover");
  EXPECT_TRUE(fs::equivalent(fs::current_path(), start_.path()));
}

TEST_F(WorkingDirectoryResetTest, FailingJobStillLeavesTheStartingDirectory) {
  h_.Add("Mover", {[this](Context& c) {
                     fs::current_path(elsewhere_.path());
                     (void)c;
                     throw Error("lost");
                   },
                   {},
                   {}})
      .Tries(1);
  (void)h_.Run("Mover");
  EXPECT_TRUE(fs::equivalent(fs::current_path(), start_.path()));
}

TEST_F(WorkingDirectoryResetTest, StartingDirectoryIsTheOneAtEngineCreation) {
  // The harness creates its engine inside Run(), here in `elsewhere_`.
  fs::current_path(elsewhere_.path());
  h_.Add("Looker", {[this](Context& c) {
                      seen_.push_back(c.job_name() + " in " + fs::current_path().string());
                    },
                    {},
                    {}});
  (void)h_.Run("Looker");
  EXPECT_EQ(seen_, (Lines{"Looker in " + fs::canonical(elsewhere_.path()).string()}));
}

TEST_F(WorkingDirectoryResetTest, CleanupsStartInTheStartingDirectory) {
  h_.Add("Root", {{}, {}, Wander(seen_, elsewhere_.path())}).Deps({"Mover"});
  h_.Add("Mover", {{}, {}, Wander(seen_, elsewhere_.path())});
  (void)h_.Run("Root");
  EXPECT_EQ(seen_, (Lines{At("Root.cleanup"), At("Mover.cleanup")}));
}

TEST_F(WorkingDirectoryResetTest, RunWithCleanupsEndsInTheStartingDirectory) {
  h_.Add("Mover", {{}, {}, Wander(seen_, elsewhere_.path())});
  (void)h_.Run("Mover");
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_TRUE(fs::equivalent(fs::current_path(), start_.path()));
}

}  // namespace
}  // namespace dojobber
