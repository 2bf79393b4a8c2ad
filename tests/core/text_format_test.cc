#include "core/text_format.h"

#include <locale.h>

#include <chrono>
#include <cmath>
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

TEST(TextFormatTest, FormatsDurationsInMillisecondsWhateverTheSize) {
  EXPECT_EQ(FormatDuration(0), "0.000s");
  EXPECT_EQ(FormatDuration(0.0123), "0.012s");
  EXPECT_EQ(FormatDuration(1.5), "1.500s");
  EXPECT_EQ(FormatDuration(59.9996), "60.000s");
  EXPECT_EQ(FormatDuration(125), "125.000s");
  EXPECT_EQ(FormatDuration(3720.25), "3720.250s");
}

TEST(TextFormatTest, DurationsThatCannotBeMeasuredAreZero) {
  EXPECT_EQ(FormatDuration(-0.5), "0.000s");
  EXPECT_EQ(FormatDuration(std::nan("")), "0.000s");
  EXPECT_EQ(FormatDuration(1e300), "1000000000000000.000s");
}

TEST(TextFormatTest, FormatsWallClockTimesAsRfc3339UtcWithMilliseconds) {
  using std::chrono::milliseconds;
  using std::chrono::system_clock;
  EXPECT_EQ(FormatUtcTime(system_clock::time_point()), "1970-01-01T00:00:00.000Z");
  // 2026-11-30 18:53:01.123 UTC.
  EXPECT_EQ(FormatUtcTime(system_clock::time_point(milliseconds(1796064781123))),
            "2026-11-30T18:53:01.123Z");
  // Below a millisecond is cut, not rounded up into the next second.
  EXPECT_EQ(FormatUtcTime(system_clock::time_point(std::chrono::microseconds(1999999))),
            "1970-01-01T00:00:01.999Z");
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

TEST(TextFormatTest, PrintableShowsLineEndsAsBackslashN) {
  EXPECT_EQ(Printable("a\nb\r\nc"), "a\\nb\\nc");
  EXPECT_EQ(Printable("a\rb"), "a\\x0db");  // A lone CR would overwrite the line.
}

TEST(TextFormatTest, PrintableEscapesControlsAndInvalidBytes) {
  EXPECT_EQ(Printable("plain Zoë"), "plain Zoë");
  EXPECT_EQ(Printable("a\nb\tc\r"), "a\\nb\\tc\\x0d");
  EXPECT_EQ(Printable("\x1b[0m\x7f"), "\\x1b[0m\\x7f");
  EXPECT_EQ(Printable("\xff\xfe"), "\\xff\\xfe");
  EXPECT_EQ(Printable("\xc2\x85"), "\\xc2\\x85");  // U+0085, a C1 control.
  EXPECT_EQ(Printable("\x1b[2K\x1b[1A ok"), "\\x1b[2K\\x1b[1A ok");
  EXPECT_EQ(Printable(std::string_view("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(Printable("cut \xe2\x9c"), "cut \\xe2\\x9c");
}

TEST(TextFormatTest, PrintableKeepsTextWithoutControlsByteForByte) {
  for (const char* text : {"", "plain", "東京 backup", "Repo cafe\u0301", "tab-free \"quotes\"",
                           "emoji 🎬", "backslash \\n stays"}) {
    EXPECT_EQ(Printable(text), text);
  }
}

TEST(TextFormatTest, FindsControlCharacters) {
  EXPECT_FALSE(HasControlCharacter("plain café 東京"));
  EXPECT_FALSE(HasControlCharacter("bad \xff byte"));
  EXPECT_TRUE(HasControlCharacter("a\nb"));
  EXPECT_TRUE(HasControlCharacter("\x1b"));
  EXPECT_TRUE(HasControlCharacter("\x7f"));
  EXPECT_TRUE(HasControlCharacter("\xc2\x9b"));  // U+009B, the C1 CSI.
  EXPECT_TRUE(HasControlCharacter(std::string_view("\0", 1)));
}

TEST(TextFormatTest, DisplayWidthCountsTerminalColumns) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("Repo"), 4u);
  EXPECT_EQ(DisplayWidth("Repo café"), 9u);        // é as one character.
  EXPECT_EQ(DisplayWidth("Repo cafe\u0301"), 9u);  // A combining accent takes none.
  EXPECT_EQ(DisplayWidth("東京 backup"), 11u);     // Wide characters take two.
  EXPECT_EQ(DisplayWidth("🎬"), 2u);
}

TEST(TextFormatTest, DisplayWidthOfUnprintableTextIsThatOfItsEscapedForm) {
  EXPECT_EQ(DisplayWidth("a\x1b[2K"), 8u);  // a\x1b[2K
  EXPECT_EQ(DisplayWidth("bad \xff"), 8u);  // bad \xff
  EXPECT_EQ(DisplayWidth("a\nb"), 4u);      // a\nb
}

TEST(TextFormatTest, DisplayWidthIgnoresTheProcessLocale) {
  // The C locale would count bytes, or call every non-ASCII byte unprintable.
  const locale_t c_locale = ::newlocale(LC_ALL_MASK, "C", locale_t{});
  ASSERT_NE(c_locale, locale_t{});
  const locale_t previous = ::uselocale(c_locale);
  EXPECT_EQ(DisplayWidth("東京 backup"), 11u);
  EXPECT_EQ(::uselocale(previous), c_locale) << "the thread's locale is given back";
  ::freelocale(c_locale);
}

TEST(TextFormatTest, PadsToDisplayWidth) {
  EXPECT_EQ(PadToWidth("東京", 6), "東京  ");
  EXPECT_EQ(PadToWidth("cafe\u0301", 6), "cafe\u0301  ");
  EXPECT_EQ(PadToWidth("too wide", 3), "too wide");
  EXPECT_EQ(PadToWidth("a\x1b", 6), "a\\x1b ");
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
