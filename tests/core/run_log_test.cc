#include "core/run_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

using ::testing::ElementsAre;

// A RunLogWriter on a pipe, stamping every line 1.5 s after the epoch.
class RunLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h_.Add("Popcorn");
    auto built = h_.Build("Popcorn");
    ASSERT_TRUE(built.ok());
    graph_.emplace(std::move(built.value()));
    ASSERT_EQ(::pipe(fds_), 0);
    writer_.emplace(fds_[1], *graph_, [] {
      return std::chrono::system_clock::time_point(std::chrono::milliseconds(1500));
    });
  }
  void TearDown() override {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  std::vector<std::string> Written() {
    ::close(fds_[1]);
    fds_[1] = ::open("/dev/null", O_WRONLY);
    std::string text;
    char buffer[4096];
    ssize_t got;
    while ((got = ::read(fds_[0], buffer, sizeof buffer)) > 0)
      text.append(buffer, static_cast<std::size_t>(got));
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
      lines.push_back(text.substr(start, end - start));
    }
    EXPECT_EQ(start, text.size()) << "a line without its newline";
    return lines;
  }

  testing::Harness h_;
  std::optional<Graph> graph_;
  int fds_[2] = {-1, -1};
  std::optional<RunLogWriter> writer_;
};

TEST_F(RunLogTest, WritesEachEventWithItsTimeTryAndJob) {
  writer_->Note("started");
  writer_->OnTryStart({0, 2, {}});
  writer_->OnPhase({0, "Popcorn", Phase::kCheck, 2, false, "no \"kernels\"", "dojobber::Error"});
  writer_->OnPhase({0, "Popcorn", Phase::kRun, 2, true, "", ""});
  writer_->OnJobLog(0, "Popcorn", 2, "popping");
  writer_->OnTryEnd({0, 2, JobStatus::kFailed, false, {}});
  writer_->OnTryEnd({0, 3, JobStatus::kFailed, true, {}});
  writer_->OnTryEnd({0, 1, JobStatus::kChanged, true, {}});
  writer_->OnPhase({0, "Popcorn", Phase::kCleanup, 1, true, "", ""});
  EXPECT_THAT(
      Written(),
      ElementsAre("1970-01-01T00:00:01.500Z run: started",
                  "1970-01-01T00:00:01.500Z try 2 [Popcorn] start",
                  "1970-01-01T00:00:01.500Z try 2 [Popcorn] check: fail \"no \\\"kernels\\\"\" "
                  "(dojobber::Error)",
                  "1970-01-01T00:00:01.500Z try 2 [Popcorn] run: pass",
                  "1970-01-01T00:00:01.500Z try 2 [Popcorn] log: popping",
                  "1970-01-01T00:00:01.500Z try 2 [Popcorn] end: failed, to be retried",
                  "1970-01-01T00:00:01.500Z try 3 [Popcorn] end: failed, no further try",
                  "1970-01-01T00:00:01.500Z try 1 [Popcorn] end: changed",
                  "1970-01-01T00:00:01.500Z try 1 [Popcorn] cleanup: pass"));
  EXPECT_TRUE(writer_->status("run.log").ok());
}

TEST_F(RunLogTest, EveryEventStaysOnOneLine) {
  writer_->OnJobLog(0, "Popcorn", 1, "two\nlines\x1b[2K and a CRLF\r");
  writer_->OnPhase({0, "Popcorn", Phase::kRecheck, 1, false, "bad\nnews", ""});
  // A backslash and n of the message's own are not its newline.
  writer_->OnPhase({0, "Popcorn", Phase::kRecheck, 1, false, "C:\\new", ""});
  writer_->Note("a note\nin two");
  EXPECT_THAT(
      Written(),
      ElementsAre("1970-01-01T00:00:01.500Z try 1 [Popcorn] log: two\\nlines\\x1b[2K and a CRLF",
                  "1970-01-01T00:00:01.500Z try 1 [Popcorn] recheck: fail \"bad\\nnews\"",
                  "1970-01-01T00:00:01.500Z try 1 [Popcorn] recheck: fail \"C:\\\\new\"",
                  "1970-01-01T00:00:01.500Z run: a note\\nin two"));
}

TEST_F(RunLogTest, AFailedWriteIsReportedOnce) {
  const int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);  // A disk that is full.
  ASSERT_GE(full, 0);
  RunLogWriter writer(full, *graph_);
  writer.Note("nobody reads this");
  writer.OnJobLog(0, "Popcorn", 1, "nor this");
  const Status status = writer.status("run.log");
  ::close(full);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.message(), "cannot write run.log: No space left on device");
}

}  // namespace
}  // namespace dojobber::core
