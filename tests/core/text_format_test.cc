#include "core/text_format.h"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace dojobber::core {
namespace {

std::string Json(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

TEST(TextFormatTest, FormatsDurationsForPeople) {
  EXPECT_EQ(FormatDuration(0), "0.000s");
  EXPECT_EQ(FormatDuration(0.0123), "0.012s");
  EXPECT_EQ(FormatDuration(1.5), "1.50s");
  EXPECT_EQ(FormatDuration(125), "2m05s");
  EXPECT_EQ(FormatDuration(3720), "1h02m");
}

TEST(TextFormatTest, FormatsSecondsInShortestForm) {
  EXPECT_EQ(FormatSeconds(1), "1");
  EXPECT_EQ(FormatSeconds(0.001), "0.001");
  EXPECT_EQ(FormatSeconds(2.5), "2.5");
}

TEST(TextFormatTest, EscapesJsonStrings) {
  EXPECT_EQ(Json("plain"), "\"plain\"");
  EXPECT_EQ(Json("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Json("l1\nl2\tx\r"), "\"l1\\nl2\\tx\\r\"");
  EXPECT_EQ(Json(std::string_view("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
}

TEST(TextFormatTest, KeepsValidUtf8AndReplacesInvalidBytes) {
  EXPECT_EQ(Json("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x8d\xbf"),
            "\"caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x8d\xbf\"");
  EXPECT_EQ(Json("bad \xff end"), "\"bad \\ufffd end\"");
  EXPECT_EQ(Json("cut \xe2\x9c"), "\"cut \\ufffd\\ufffd\"");
  EXPECT_EQ(Json("overlong \xc0\xaf"), "\"overlong \\ufffd\\ufffd\"");
  EXPECT_EQ(Json("surrogate \xed\xa0\x80"), "\"surrogate \\ufffd\\ufffd\\ufffd\"");
}

TEST(TextFormatTest, EscapedStringsParseBackAsJson) {
  const std::string tricky = "q\"uote \\ back\nnew \x7f del \xc3\xa9 \xff";
  nlohmann::json parsed = nlohmann::json::parse(Json(tricky));
  ASSERT_TRUE(parsed.is_string());
  EXPECT_EQ(parsed.get<std::string>(), "q\"uote \\ back\nnew \x7f del \xc3\xa9 \xef\xbf\xbd");
}

TEST(TextFormatTest, OneLineEscapesNewlines) { EXPECT_EQ(OneLine("a\nb\r\nc"), "a\\nb\\nc"); }

TEST(TextFormatTest, PrintableEscapesControlsAndInvalidBytes) {
  EXPECT_EQ(Printable("plain Zoë"), "plain Zoë");
  EXPECT_EQ(Printable("a\nb\tc\r"), "a\\nb\\tc\\x0d");
  EXPECT_EQ(Printable("\x1b[0m\x7f"), "\\x1b[0m\\x7f");
  EXPECT_EQ(Printable("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(Printable("\xc2\x85"), "\\xc2\\x85");  // U+0085, a C1 control.
}

TEST(TextFormatTest, JobNameProblems) {
  EXPECT_EQ(JobNameProblem("Invite Lawyer Cat"), "");
  EXPECT_EQ(JobNameProblem("Zoë 🎬"), "");
  EXPECT_EQ(JobNameProblem(""), "is empty");
  EXPECT_EQ(JobNameProblem("a\tb"), "contains a control character");
  EXPECT_EQ(JobNameProblem("a\xc2\x9f"
                           "b"),
            "contains a control character");
  EXPECT_EQ(JobNameProblem("a\xc3"), "is not valid UTF-8");
  EXPECT_EQ(JobNameProblem("\xed\xa0\x80"), "is not valid UTF-8");  // A surrogate.
}

}  // namespace
}  // namespace dojobber::core
