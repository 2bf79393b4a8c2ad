// The live progress line (`run --progress auto|always|never`): on a terminal
// one line on stderr, redrawn in place, with the trace and the jobs' lines
// written above it and the line gone before the status report; plain lines
// into a pipe with `always`; none with `never`, nor with `auto` off a
// terminal or with plain output asked for.
//
// The terminal is a pseudo-terminal (ProcessOptions::terminal_columns) that
// gets stdout and stderr, as a user's does; Screen() plays the terminal on
// the bytes. Nothing depends on timing: the runs that must show a redraw
// last seconds by construction (a retry delay, the movie example's delays),
// and the stop tests signal once a line is on the screen.

#include <algorithm>
#include <chrono>
#include <csignal>
#include <map>
#include <optional>
#include <ostream>
#include <regex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kColumns = 100;
constexpr std::string_view kClearLine = "\r\x1b[K";
constexpr const char* kStopping =
    "dojobber: interrupted: starting no new tries; letting running ones finish, then cleaning up "
    "(interrupt again to exit at once)";

// What a terminal shows after `bytes`, every line that scrolled by included:
// text overwrites from the cursor, "\r" returns it to the left edge, "\n"
// starts the next line (the terminal's newline translation), ESC[K erases to
// the end of the line, and colours (ESC[...m) are dropped. Anything else
// fails the test: dojobber writes nothing else. `widest` is the furthest
// column any text reached.
struct Screen {
  std::vector<std::string> lines;
  std::size_t widest = 0;
};

Screen Play(std::string_view bytes) {
  Screen screen;
  screen.lines.emplace_back();
  std::size_t column = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string& line = screen.lines.back();
    const char c = bytes[i];
    if (c == '\n') {
      screen.lines.emplace_back();
      column = 0;
    } else if (c == '\r') {
      column = 0;
    } else if (c == '\x1b') {
      std::size_t end = i + 2;  // ESC [ parameters final
      while (end < bytes.size() && !(bytes[end] >= 0x40 && bytes[end] <= 0x7e)) ++end;
      if (i + 1 >= bytes.size() || bytes[i + 1] != '[' || end >= bytes.size()) {
        ADD_FAILURE() << "not a CSI sequence at byte " << i;
        break;
      }
      if (bytes[end] == 'K' && end == i + 2) {
        line.resize(std::min(column, line.size()));
      } else if (bytes[end] != 'm') {
        ADD_FAILURE() << "unexpected sequence " << bytes.substr(i + 1, end - i);
      }
      i = end;
    } else {
      if (column < line.size()) {
        line[column] = c;
      } else {
        line.push_back(c);
      }
      screen.widest = std::max(screen.widest, ++column);
    }
  }
  if (screen.lines.back().empty()) screen.lines.pop_back();
  return screen;
}

// The faults plugin: Retried fails every try.
std::vector<std::string> Faults(const std::string& root, std::vector<std::string> extra) {
  std::vector<std::string> args = {"run", "--plugin", TestPlugin("faults").string(), "--root",
                                   root};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

ProcessOptions OnTerminal(int columns = kColumns) {
  ProcessOptions options;
  options.terminal_columns = columns;
  return options;
}

// Where the status report starts in `bytes` (its header), or npos.
std::size_t ReportStart(std::string_view bytes) { return bytes.find("JOB "); }

// Whether a progress line in `bytes` was drawn over by another, with no
// newline between: redrawn in place.
bool RedrawnInPlace(const std::string& bytes) {
  static const std::regex kRedraw("\\[[0-9]+/[0-9]+\\] [^\n\r]*(\x1b\\[K)?\r\\[[0-9]+/[0-9]+\\] ");
  return std::regex_search(bytes, kRedraw);
}

// Each of `lines` is in `bytes` whole: after the start, a newline or an
// erased line, and before a newline.
testing::AssertionResult EachLineWhole(std::string_view bytes,
                                       const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    bool whole = false;
    for (std::size_t at = bytes.find(line); at != std::string_view::npos && !whole;
         at = bytes.find(line, at + 1)) {
      const std::string_view before = bytes.substr(0, at);
      whole = (before.empty() || before.ends_with('\n') || before.ends_with(kClearLine)) &&
              bytes.substr(at + line.size()).starts_with('\n');
    }
    if (!whole) return testing::AssertionFailure() << "no whole line \"" << line << "\"";
  }
  return testing::AssertionSuccess();
}

// One try of Retried, a retry delay of 3 s, its second try: the line is
// drawn, redrawn in place while the delay passes (its clock and countdown
// change every second), cleared for each trace line and drawn again below
// it, and cleared for good before the status report.
TEST(ProgressOnATerminal, RedrawsInPlaceBelowAWholeTraceAndIsGoneBeforeTheReport) {
  const std::vector<std::string> args =
      Faults("Retried", {"-v", "--default-tries", "2", "--default-retry-delay", "3"});
  const ProcessResult plain = RunDojobber(args);  // Into pipes: no line (auto).
  ASSERT_EQ(plain.exit_code, 1) << plain.err;
  const std::vector<std::string> trace = Lines(plain.err);
  ASSERT_EQ(trace.size(), 6u) << plain.err;  // check, run, recheck, twice.

  const ProcessResult shown = RunDojobber(args, OnTerminal());
  EXPECT_EQ(shown.exit_code, 1);
  const std::string& bytes = shown.err;
  // Redrawn in place: a line erased and the next drawn over it, no newline
  // between.
  EXPECT_TRUE(RedrawnInPlace(bytes)) << bytes;
  EXPECT_THAT(bytes, HasSubstr("1 to retry, next in ")) << bytes;
  EXPECT_TRUE(EachLineWhole(bytes, trace)) << bytes;

  // What the user sees: the trace byte for byte, then the report, and no
  // progress line left anywhere.
  const std::size_t report = ReportStart(bytes);
  ASSERT_NE(report, std::string::npos) << bytes;
  EXPECT_TRUE(std::string_view(bytes).substr(0, report).ends_with(kClearLine)) << bytes;
  const Screen screen = Play(bytes);
  const std::vector<std::string> report_lines = Lines(plain.out);
  ASSERT_EQ(screen.lines.size(), trace.size() + report_lines.size()) << bytes;
  EXPECT_EQ(std::vector<std::string>(screen.lines.begin(), screen.lines.begin() + 6), trace);
  EXPECT_EQ(screen.lines[6], report_lines[0]);
  EXPECT_EQ(screen.lines.back(), report_lines.back());
}

// Four workers write trace and log lines while the line is redrawn: every
// line the user sees is a whole trace or log line, and the jobs whose tries
// do not depend on timing have theirs as many times as in any run. (The
// movie example picks its date at random, and under -j 4 the number of
// some retries depends on timing, so the runs cannot be compared whole.)
TEST(ProgressOnATerminal, NeverTearsTheLinesOfFourWorkers) {
  const ProcessResult shown = RunDojobber(
      {"run", "--plugin", "movie", "--root", "WatchMovie", "-v", "-j", "4"}, OnTerminal());
  ASSERT_EQ(shown.exit_code, 1);  // Its defaults: dead batteries, a full couch.
  const std::size_t report = ReportStart(shown.err);
  ASSERT_NE(report, std::string::npos) << shown.err;
  EXPECT_TRUE(RedrawnInPlace(shown.err)) << shown.err;
  EXPECT_TRUE(std::string_view(shown.err).substr(0, report).ends_with(kClearLine));

  const std::regex whole_line(
      "[A-Za-z ]+\\.(check|run|recheck|cleanup): (pass|fail( \".*\")?)"  // A phase.
      "|\\[[A-Za-z ]+\\] .*");                                           // A job's log line.
  const std::vector<std::string> seen = Play(shown.err.substr(0, report)).lines;
  for (const std::string& line : seen) {
    EXPECT_TRUE(std::regex_match(line, whole_line)) << "torn: \"" << line << "\"";
  }
  const auto count = [&](const std::string& line) {
    return std::count(seen.begin(), seen.end(), line);
  };
  EXPECT_EQ(count("ValidateMovie.check: pass"), 1);
  EXPECT_EQ(count("TurnOnTV.recheck: fail \"Remote batteries are dead.\""), 3);
  EXPECT_EQ(count("SitOnCouch.recheck: fail \"No space on couch.\""), 3);
  EXPECT_EQ(count("PopcornBowl.recheck: pass"), 1);
  EXPECT_EQ(count("[FluffPillows] Pillows fluffed."), 1);
  EXPECT_EQ(count("CleanCouch.cleanup: pass"), 1);
}

// A narrow terminal: the line is cut to fit, one column short of the edge.
TEST(ProgressOnATerminal, FitsTheTerminalsWidth) {
  const ProcessResult shown = RunDojobber(
      {"run", "--plugin", "movie", "--root", "WatchMovie", "-q", "-j", "4"}, OnTerminal(40));
  ASSERT_EQ(shown.exit_code, 1);
  const std::size_t report = ReportStart(shown.err);
  ASSERT_NE(report, std::string::npos) << shown.err;
  // Before the report, stderr holds only the line (-q: no log lines). The
  // retries' waits make it longer than 40 columns at times.
  EXPECT_EQ(Play(shown.err.substr(0, report)).widest, 39u) << shown.err;
}

// After Ctrl-C the line names the try it waits for, and an isolated try's
// grace period; the stop message is a line of its own.
TEST(ProgressOnATerminal, AfterAStopNamesTheTryItWaitsForAndTheGraceLeft) {
  RunningProcess dojobber = StartDojobber(
      Faults("SlowChain", {"--isolate", "--default-retry-delay", "60", "--arg", "slow_ms=60000"}),
      OnTerminal());
  ASSERT_TRUE(dojobber.WaitForStderrText("[Slow] sleeping\n"));
  ASSERT_TRUE(dojobber.WaitForStderrText("; running: Slow"));
  dojobber.Signal(SIGINT);
  ASSERT_TRUE(dojobber.WaitForStderrText("s of grace left, waiting for: Slow"));
  const ProcessResult result = dojobber.Wait();  // Slow is killed 2 s after the stop.
  EXPECT_EQ(result.exit_code, 130);
  const std::size_t report = ReportStart(result.err);
  ASSERT_NE(report, std::string::npos) << result.err;
  EXPECT_TRUE(std::string_view(result.err).substr(0, report).ends_with(kClearLine));
  const std::vector<std::string> seen = Play(result.err.substr(0, report)).lines;
  EXPECT_EQ(seen, (std::vector<std::string>{"[Slow] sleeping", kStopping})) << result.err;
  // "stopping, 1.9s of grace left, waiting for: Slow" and so on.
  EXPECT_TRUE(std::regex_search(
      result.err, std::regex("\\[1/5\\] [0-9]+s elapsed; stopping, [0-2]\\.[0-9]s of grace left, "
                             "waiting for: Slow\x1b\\[K")))
      << result.err;
}

// In this process, a try has no grace period: the line only names it. The
// test ends the run with a second Ctrl-C.
TEST(ProgressOnATerminal, AfterAStopNamesARunningTryWithoutAGracePeriod) {
  RunningProcess dojobber = StartDojobber(
      Faults("SlowChain", {"--default-retry-delay", "60", "--arg", "slow_ms=60000"}), OnTerminal());
  ASSERT_TRUE(dojobber.WaitForStderrText("[Slow] sleeping\n"));
  dojobber.Signal(SIGINT);
  ASSERT_TRUE(dojobber.WaitForStderrText(kStopping));
  ASSERT_TRUE(dojobber.WaitForStderrText("; stopping, waiting for: Slow\x1b[K"));
  std::this_thread::sleep_for(std::chrono::seconds(1));  // Past the 250 ms of one stop.
  dojobber.Signal(SIGINT);
  const ProcessResult result = dojobber.Wait();
  EXPECT_EQ(result.exit_code, 130);
  EXPECT_THAT(Play(result.err).lines, Contains(kStopping)) << result.err;
}

// `always` into a pipe: a plain line of its own every 10 s, and one at the
// stop; no carriage return, no escape sequence.
TEST(ProgressIntoAPipe, AlwaysWritesPlainLines) {
  RunningProcess dojobber =
      StartDojobber(Faults("SlowChain", {"-v", "--progress", "always", "--default-retry-delay",
                                         "60", "--arg", "slow_ms=60000"}));
  ASSERT_TRUE(dojobber.WaitForStderrLine("[Slow] sleeping"));
  // The first comes 10 s after the start, while Slow sleeps.
  ASSERT_TRUE(dojobber.WaitForStderrText("; running: Slow\n"));
  dojobber.Signal(SIGINT);
  ASSERT_TRUE(dojobber.WaitForStderrText("; stopping, waiting for: Slow\n"));
  std::this_thread::sleep_for(std::chrono::seconds(1));  // Past the 250 ms of one stop.
  dojobber.Signal(SIGINT);
  const ProcessResult result = dojobber.Wait();
  EXPECT_EQ(result.exit_code, 130);
  EXPECT_EQ(result.err.find_first_of("\r\x1b"), std::string::npos) << result.err;
  const std::regex progress("\\[[0-9]+/5\\] [0-9]+s elapsed(, ~[0-9ms]+ left)?; .*");
  std::vector<std::string> lines;
  for (const std::string& line : Lines(result.err)) {
    if (!std::regex_match(line, progress)) lines.push_back(line);
  }
  EXPECT_THAT(lines, Contains("[Slow] sleeping"));
  EXPECT_THAT(lines, Contains(kStopping));
  EXPECT_THAT(lines, Contains("Retried.recheck: fail \"not yet\""));
  EXPECT_THAT(lines, Not(Contains(HasSubstr("running: Slow"))));  // All were progress lines.
  EXPECT_GE(Lines(result.err).size(), lines.size() + 2) << result.err;
}

// `auto` into a pipe is `never`: the trace exactly as without the option.
// (-q: the movie's log lines name a date picked at random.)
TEST(ProgressIntoAPipe, AutoAndNeverWriteNoLine) {
  const ProcessResult never = RunMovie("WatchMovie", {"-v", "-q", "--progress", "never"});
  const ProcessResult automatic = RunMovie("WatchMovie", {"-v", "-q"});
  ASSERT_EQ(never.exit_code, 1);
  ASSERT_EQ(automatic.exit_code, 1);
  EXPECT_EQ(automatic.err, never.err);
  EXPECT_THAT(Lines(never.err), Contains("TurnOnTV.recheck: fail \"Remote batteries are dead.\""));
  EXPECT_EQ(never.err.find_first_of("\r\x1b"), std::string::npos);
  EXPECT_THAT(Lines(never.err), Not(Contains(HasSubstr(" elapsed"))));
}

struct NoLineCase {
  std::string name;
  std::vector<std::string> extra;
  std::map<std::string, std::optional<std::string>> env;
};

void PrintTo(const NoLineCase& param, std::ostream* out) { *out << param.name; }

class NoProgressOnATerminal : public testing::TestWithParam<NoLineCase> {};

// On a terminal, `never`, and `auto` with NO_COLOR or TERM=dumb: the trace
// goes out as it is, no line is drawn.
TEST_P(NoProgressOnATerminal, DrawsNoLine) {
  ProcessOptions options = OnTerminal();
  for (const auto& [name, value] : GetParam().env) options.env[name] = value;
  std::vector<std::string> args = {
      "run", "--plugin", "movie", "--root", "WatchMovie", "--default-retry-delay", "0", "-v"};
  args.insert(args.end(), GetParam().extra.begin(), GetParam().extra.end());
  const ProcessResult shown = RunDojobber(args, options);
  ASSERT_EQ(shown.exit_code, 1);
  EXPECT_EQ(shown.err.find('\r'), std::string::npos) << shown.err;
  EXPECT_EQ(shown.err.find("\x1b[K"), std::string::npos) << shown.err;
  EXPECT_THAT(Play(shown.err).lines, Not(Contains(HasSubstr(" elapsed"))));
}

INSTANTIATE_TEST_SUITE_P(Cases, NoProgressOnATerminal,
                         testing::Values(NoLineCase{"Never", {"--progress", "never"}, {}},
                                         NoLineCase{"NoColor", {}, {{"NO_COLOR", "1"}}},
                                         NoLineCase{"DumbTerminal", {}, {{"TERM", "dumb"}}}),
                         [](const testing::TestParamInfo<NoLineCase>& param) {
                           return param.param.name;
                         });

}  // namespace
}  // namespace dojobber::e2e
