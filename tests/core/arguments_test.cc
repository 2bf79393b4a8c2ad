#include <dojobber/arguments.h>

#include <gtest/gtest.h>

namespace dojobber {
namespace {

Arguments Make(Arguments::Keywords keywords) { return Arguments({"a", "b"}, std::move(keywords)); }

TEST(ArgumentsTest, KeepsPositionalWordsInOrder) {
  EXPECT_EQ(Make({}).positional(), (std::vector<std::string>{"a", "b"}));
}

TEST(ArgumentsTest, TypedGettersConvertValues) {
  Arguments args =
      Make({{"n", "-42"}, {"plus", "+7"}, {"x", "0.25"}, {"b", "Yes"}, {"s", "a=b c"}});
  EXPECT_EQ(args.GetInt("n"), -42);
  EXPECT_EQ(args.GetInt("plus"), 7);
  EXPECT_DOUBLE_EQ(args.GetDouble("x"), 0.25);
  EXPECT_DOUBLE_EQ(args.GetDouble("n"), -42.0);
  EXPECT_TRUE(args.GetBool("b"));
  EXPECT_EQ(args.GetString("s"), "a=b c");
}

TEST(ArgumentsTest, FallbacksApplyOnlyWhenMissing) {
  Arguments args = Make({{"n", "5"}});
  EXPECT_EQ(args.GetInt("n", 9), 5);
  EXPECT_EQ(args.GetInt("missing", 9), 9);
  EXPECT_EQ(args.GetString("missing", "dflt"), "dflt");
  EXPECT_FALSE(args.GetBool("missing", false));
  EXPECT_DOUBLE_EQ(args.GetDouble("missing", 1.5), 1.5);
}

TEST(ArgumentsTest, BooleansAcceptCommonSpellings) {
  for (const char* yes : {"true", "TRUE", "yes", "on", "1"}) {
    EXPECT_TRUE(Make({{"k", yes}}).GetBool("k")) << yes;
  }
  for (const char* no : {"false", "No", "off", "0"}) {
    EXPECT_FALSE(Make({{"k", no}}).GetBool("k")) << no;
  }
}

TEST(ArgumentsTest, BadValuesThrowNamingTheKey) {
  Arguments args = Make(
      {{"count", "12abc"}, {"flag", "maybe"}, {"ratio", "nan"}, {"big", "99999999999999999999"}});
  auto message_of = [](auto&& call) -> std::string {
    try {
      call();
    } catch (const ArgumentError& e) {
      return e.what();
    }
    return "no exception";
  };
  EXPECT_EQ(message_of([&] { args.GetInt("count"); }),
            "argument 'count': \"12abc\" is not an integer");
  EXPECT_EQ(message_of([&] { args.GetInt("count", 1); }),
            "argument 'count': \"12abc\" is not an integer");
  EXPECT_EQ(message_of([&] { args.GetBool("flag"); }),
            "argument 'flag': \"maybe\" is not a boolean (true/false, yes/no, on/off, 1/0)");
  EXPECT_EQ(message_of([&] { args.GetDouble("ratio"); }),
            "argument 'ratio': \"nan\" is not a finite number");
  EXPECT_EQ(message_of([&] { args.GetInt("big"); }),
            "argument 'big': \"99999999999999999999\" is not an integer in range");
  EXPECT_EQ(message_of([&] { args.GetString("absent"); }),
            "argument 'absent' is required (--arg absent=VALUE)");
}

// `+` then another sign: from_chars alone would read `+-3` as -3.
TEST(ArgumentsTest, SignAfterPlusIsRefused) {
  Arguments args = Make({{"i", "+-3"}, {"j", "++3"}, {"d", "+-1"}, {"e", "+-1e-3"}});
  EXPECT_THROW(args.GetInt("i"), ArgumentError);
  EXPECT_THROW(args.GetInt("j"), ArgumentError);
  EXPECT_THROW(args.GetDouble("d"), ArgumentError);
  EXPECT_THROW(args.GetDouble("e"), ArgumentError);
  EXPECT_THROW(args.GetDouble("i"), ArgumentError);
  EXPECT_EQ(Make({{"k", "-3"}}).GetInt("k"), -3);
  EXPECT_DOUBLE_EQ(Make({{"k", "+1e-3"}}).GetDouble("k"), 1e-3);
}

TEST(ArgumentsTest, EmptyValueIsNotANumber) {
  Arguments args = Make({{"n", ""}});
  EXPECT_THROW(args.GetInt("n"), ArgumentError);
  EXPECT_THROW(args.GetDouble("n"), ArgumentError);
  EXPECT_EQ(args.GetString("n"), "");
}

TEST(ArgumentsTest, ListsAreCutAtTheDeclaredSeparatorAndTrimmed) {
  Arguments args({}, {{"csv", " a, b ,c "}, {"semi", "x; y,z"}, {"blank", "  "}, {"gaps", "a,,b,"}},
                 {{"semi", ";"}});
  EXPECT_EQ(args.GetList("csv"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(args.GetList("semi"), (std::vector<std::string>{"x", "y,z"}));
  EXPECT_EQ(args.GetList("blank"), std::vector<std::string>{});
  EXPECT_EQ(args.GetList("gaps"), (std::vector<std::string>{"a", "", "b", ""}));
  EXPECT_EQ(args.GetList("missing", {"d"}), std::vector<std::string>{"d"});
  EXPECT_THROW(args.GetList("missing"), ArgumentError);
}

}  // namespace
}  // namespace dojobber
