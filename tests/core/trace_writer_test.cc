#include "core/trace_writer.h"

#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace dojobber::core {
namespace {

PhaseEvent Pass(Phase phase) { return {0, "Job", phase, 1, true, "", ""}; }
PhaseEvent Fail(Phase phase, std::string_view error = "broken",
                std::string_view type = "dojobber::Error") {
  return {0, "Job", phase, 1, false, error, type};
}

TEST(TraceWriterTest, PassLinesNameJobAndPhase) {
  EXPECT_EQ(TraceWriter::PhaseLine(Pass(Phase::kCheck)), "Job.check: pass");
  EXPECT_EQ(TraceWriter::PhaseLine(Pass(Phase::kRun)), "Job.run: pass");
  EXPECT_EQ(TraceWriter::PhaseLine(Pass(Phase::kRecheck)), "Job.recheck: pass");
  EXPECT_EQ(TraceWriter::PhaseLine(Pass(Phase::kCleanup)), "Job.cleanup: pass");
}

TEST(TraceWriterTest, OnlyRecheckAndCleanupFailuresCarryTheMessage) {
  EXPECT_EQ(TraceWriter::PhaseLine(Fail(Phase::kCheck)), "Job.check: fail");
  EXPECT_EQ(TraceWriter::PhaseLine(Fail(Phase::kRun)), "Job.run: fail");
  EXPECT_EQ(TraceWriter::PhaseLine(Fail(Phase::kRecheck)), "Job.recheck: fail \"broken\"");
  EXPECT_EQ(TraceWriter::PhaseLine(Fail(Phase::kCleanup)), "Job.cleanup: fail \"broken\"");
}

TEST(TraceWriterTest, NamesAreWrittenAsRegistered) {
  PhaseEvent event = Pass(Phase::kCheck);
  event.name = "Invite alice@example.com";
  EXPECT_EQ(TraceWriter::PhaseLine(event), "Invite alice@example.com.check: pass");
}

TEST(TraceWriterTest, MessagesStayOnOneLine) {
  EXPECT_EQ(TraceWriter::PhaseLine(Fail(Phase::kRecheck, "line one\nline two\r\n")),
            "Job.recheck: fail \"line one\\nline two\\n\"");
}

TEST(TraceWriterTest, QuietWritesNoPhaseLines) {
  std::ostringstream out;
  TraceWriter trace(out, {});
  trace.OnPhase(Pass(Phase::kCheck));
  trace.OnPhase(Fail(Phase::kRecheck));
  EXPECT_EQ(out.str(), "");
}

TEST(TraceWriterTest, VerboseWritesOneLinePerPhase) {
  std::ostringstream out;
  TraceWriter trace(out, {.verbose = true});
  trace.OnPhase(Fail(Phase::kCheck));
  trace.OnPhase(Fail(Phase::kRun));
  trace.OnPhase(Fail(Phase::kRecheck, "still broken"));
  trace.OnPhase(Pass(Phase::kCleanup));
  EXPECT_EQ(out.str(),
            "Job.check: fail\n"
            "Job.run: fail\n"
            "Job.recheck: fail \"still broken\"\n"
            "Job.cleanup: pass\n");
}

TEST(TraceWriterTest, DebugAddsTypeAndMessageUnderEachFailure) {
  std::ostringstream out;
  TraceWriter trace(out, {.verbose = true, .debug = true});
  trace.OnPhase(Fail(Phase::kCheck, "absent"));
  trace.OnPhase(Pass(Phase::kRun));
  trace.OnPhase(Fail(Phase::kRecheck, "two\nlines", "std::runtime_error"));
  EXPECT_EQ(out.str(),
            "Job.check: fail\n"
            "    dojobber::Error: absent\n"
            "Job.run: pass\n"
            "Job.recheck: fail \"two\\nlines\"\n"
            "    std::runtime_error: two\\nlines\n");
}

TEST(TraceWriterTest, DebugImpliesVerbose) {
  std::ostringstream out;
  TraceWriter trace(out, {.verbose = false, .debug = true});
  trace.OnPhase(Pass(Phase::kCheck));
  EXPECT_EQ(out.str(), "Job.check: pass\n");
}

TEST(TraceWriterTest, DebugDetailWithoutTypeIsJustTheMessage) {
  std::ostringstream out;
  TraceWriter trace(out, {.debug = true});
  trace.OnPhase(Fail(Phase::kCheck, "cannot return to the starting working directory", ""));
  EXPECT_EQ(out.str(),
            "Job.check: fail\n"
            "    cannot return to the starting working directory\n");
}

TEST(TraceWriterTest, JobLogLinesAreLabelled) {
  std::ostringstream out;
  TraceWriter trace(out, {});
  trace.OnJobLog(0, "Popcorn", 1, "kernels: 12");
  trace.OnJobLog(0, "Popcorn", 1, "");
  EXPECT_EQ(out.str(), "[Popcorn] kernels: 12\n[Popcorn] \n");
}

TEST(TraceWriterTest, JobLogLinesShowControlCharactersEscaped) {
  std::ostringstream out;
  TraceWriter trace(out, {});
  trace.OnJobLog(0, "Spoof", 1, "\x1b[2K\x1b[1A ok");
  trace.OnJobLog(0, "Spoof", 1, "windows line\r");
  trace.OnJobLog(0, "Spoof", 1, "bad \xff byte \xc3\xa9");
  EXPECT_EQ(out.str(),
            "[Spoof] \\x1b[2K\\x1b[1A ok\n"
            "[Spoof] windows line\n"
            "[Spoof] bad \\xff byte \xc3\xa9\n");
}

TEST(TraceWriterTest, FailureMessagesShowControlCharactersEscaped) {
  PhaseEvent event = Fail(Phase::kRecheck, "\x1b[2K\x1b[1A ok");
  EXPECT_EQ(TraceWriter::PhaseLine(event), "Job.recheck: fail \"\\x1b[2K\\x1b[1A ok\"");
  std::ostringstream out;
  TraceWriter trace(out, {.debug = true});
  event.error_type = "Weird\ttype";
  trace.OnPhase(event);
  EXPECT_EQ(out.str(),
            "Job.recheck: fail \"\\x1b[2K\\x1b[1A ok\"\n"
            "    Weird\\ttype: \\x1b[2K\\x1b[1A ok\n");
}

TEST(TraceWriterTest, JobLogsCanBeSwitchedOff) {
  std::ostringstream out;
  TraceWriter trace(out, {.verbose = true, .job_logs = false});
  trace.OnJobLog(0, "Popcorn", 1, "kernels: 12");
  trace.OnPhase(Pass(Phase::kCheck));
  EXPECT_EQ(out.str(), "Job.check: pass\n");
}

}  // namespace
}  // namespace dojobber::core

namespace dojobber::core {
namespace {

TEST(TraceWriterWantsTest, WantsPhasesOnlyWhenTracing) {
  std::ostringstream out;
  EXPECT_FALSE(TraceWriter(out, {.verbose = false, .debug = false}).wants_phases());
  EXPECT_TRUE(TraceWriter(out, {.verbose = true, .debug = false}).wants_phases());
  EXPECT_TRUE(TraceWriter(out, {.verbose = false, .debug = true}).wants_phases());
}

}  // namespace
}  // namespace dojobber::core
