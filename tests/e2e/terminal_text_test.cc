// Text from job code and plugins on the terminal: control characters in an
// error or a log line are shown escaped (so a message cannot erase its own
// `failed` row), wide and combining characters keep the columns aligned, and
// every error stays one `dojobber:` line. The JSON report keeps the raw text.

#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// The first byte of `text` that a terminal would act on rather than show: a
// C0 control but the newline, DEL, or a byte that cannot be UTF-8 here (the
// plugin's only non-ASCII text is its job names). npos when there is none.
std::size_t FirstControlByte(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if ((byte < 0x20 && byte != '\n') || byte == 0x7F || byte == 0xFF) return i;
  }
  return std::string_view::npos;
}

std::vector<std::string> RunSpoof(const TempDir& dir, std::vector<std::string> extra,
                                  ProcessResult& result) {
  std::vector<std::string> args = {"run",   "--plugin", TestPlugin("text_jobs").string(), "--root",
                                   "Spoof", "--report", (dir / "r.json").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  result = RunDojobber(args);
  return Lines(result.out);
}

TEST(TerminalText, ErrorMessageCannotEraseItsRow) {
  TempDir dir;
  ProcessResult result;
  const std::vector<std::string> lines = RunSpoof(dir, {}, result);

  EXPECT_EQ(result.exit_code, 3) << result.err;  // Spoof failed; its Cleanup threw.
  EXPECT_EQ(FirstControlByte(result.out), std::string::npos) << result.out;
  ASSERT_GE(lines.size(), 2u) << result.out;
  EXPECT_THAT(lines[1], StartsWith("Spoof  failed        1"));
  EXPECT_THAT(lines[1], ::testing::EndsWith(R"(  \x1b[2K\x1b[1A ok)"));
  EXPECT_THAT(result.out, HasSubstr(R"(Cleanup of Spoof (try 1) failed: bell\x07\nsecond line.)"));
}

TEST(TerminalText, TraceAndJobLogLinesAreEscaped) {
  TempDir dir;
  ProcessResult result;
  RunSpoof(dir, {"-d"}, result);

  EXPECT_EQ(FirstControlByte(result.err), std::string::npos) << result.err;
  const std::vector<std::string> lines = Lines(result.err);
  auto has = [&](const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  };
  EXPECT_TRUE(has(R"(Spoof.recheck: fail "\x1b[2K\x1b[1A ok")")) << result.err;
  EXPECT_TRUE(has(R"(    dojobber::Error: \x1b[2K\x1b[1A ok)")) << result.err;
  EXPECT_TRUE(has(R"([Spoof] \x1b[31mred\x1b[0m\x0dok)")) << result.err;
  EXPECT_TRUE(has(R"([Spoof] bad \xff byte)")) << result.err;
  EXPECT_TRUE(has(R"(Spoof.cleanup: fail "bell\x07\nsecond line")")) << result.err;
}

TEST(TerminalText, JsonReportKeepsTheRawText) {
  TempDir dir;
  ProcessResult result;
  RunSpoof(dir, {}, result);

  const nlohmann::json report = ReadJsonReport(dir / "r.json");
  EXPECT_EQ(report["jobs"]["Spoof"]["error"], "\x1b[2K\x1b[1A ok") << report.dump();
}

// 東京 backup takes 11 columns, Repo café and Repo cafe + U+0301 9 each.
TEST(TerminalText, StatusTableAlignsByDisplayWidth) {
  const ProcessResult result =
      RunDojobber({"run", "--plugin", TestPlugin("text_jobs").string(), "--root", "Names"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> lines = Lines(result.out);
  ASSERT_GE(lines.size(), 5u) << result.out;
  EXPECT_THAT(lines[0], StartsWith("JOB          STATUS    TRIES      TIME"));
  EXPECT_THAT(lines[1], StartsWith("東京 backup  ok            1    "));
  EXPECT_THAT(lines[2], StartsWith("Repo café    ok            1    "));
  EXPECT_THAT(lines[3], StartsWith("Repo cafe\u0301    ok            1    "));
  EXPECT_THAT(lines[4], StartsWith("Names        ok            1    "));
}

TEST(TerminalText, ListAlignsByDisplayWidth) {
  const ProcessResult result =
      RunDojobber({"list", "--plugin", TestPlugin("text_jobs").string(), "--root", "Names"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "JOB          KIND     TRIES  DELAY   DEPS\n"
            "東京 backup  job          3  1s      -\n"
            "Repo café    job          3  1s      -\n"
            "Repo cafe\u0301    job          3  1s      -\n"
            "Names        job          3  1s      東京 backup, Repo café, Repo cafe\u0301\n");
}

TEST(TerminalText, RegistrationErrorStaysOneLine) {
  EXPECT_TRUE(IsUsageError(RunDojobber({"list", "--plugin", TestPlugin("text_jobs").string(),
                                        "--arg", "registration_error=line one\nline\x1b[2K two"}),
                           {R"(line one\nline\x1b[2K two)"}));
}

// The paths, values and names that errors quote, each with a newline: the
// error is still one line, the newline shown as \n.
TEST(TerminalText, QuotedValuesInErrorsStayOneLine) {
  TempDir dir;
  const std::string plugin = (dir / "my\njobs.so").string();
  EXPECT_TRUE(IsUsageError(RunDojobber({"list", "--plugin", plugin}), {R"(my\njobs.so)"}));
  EXPECT_TRUE(IsUsageError(RunDojobber({"list", "--plugin", "movie", "--arg", "a\nb"}),
                           {R"(--arg 'a\nb')"}));
  EXPECT_TRUE(
      IsUsageError(RunDojobber({"list", "--plugin", "movie", "--fr\nob"}), {R"(--fr\nob)"}));
  EXPECT_TRUE(IsUsageError(RunDojobber({"li\nst"}), {R"('li\nst')"}));
  EXPECT_TRUE(IsUsageError(
      RunDojobber({"run", "--plugin", "movie", "--root", "WatchMovie", "--report", "a\nb.json"}),
      {R"('a\nb.json')"}));
}

}  // namespace
}  // namespace dojobber::e2e
