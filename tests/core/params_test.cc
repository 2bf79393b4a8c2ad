#include "core/params.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace dojobber::core {
namespace {

const std::vector<std::string> kSources = {"the program", "a.so", "b.so"};

TEST(ParamTest, DefaultsFromValuesAreWrittenAsTheCommandLineWouldBe) {
  EXPECT_EQ(Param::Int("n").Default(8).default_value(), "8");
  EXPECT_EQ(Param::Int("n").Default(-3L).default_value(), "-3");
  EXPECT_EQ(Param::Double("x").Default(0.25).default_value(), "0.25");
  EXPECT_EQ(Param::Bool("b").Default(false).default_value(), "false");
  EXPECT_EQ(Param::Int("n").Default(std::uint8_t{5}).default_value(), "5");
  EXPECT_EQ(Param::String("sep").Default(",").default_value(), ",");
  EXPECT_EQ(Param::String("s").Default("Noises Off").default_value(), "Noises Off");
  EXPECT_EQ(Param::String("s").default_value(), std::nullopt);
  EXPECT_EQ(Param::List("l").separator(), ",");
  EXPECT_EQ(Param::List("l", ";").separator(), ";");
}

// `.Default(',')` would pick the integral overload and mean "44": a
// character does not compile, a one-character string does.
template <class Value>
constexpr bool kDefaultCompiles = requires(Param param, Value value) {
  param.Default(value);
};
static_assert(!kDefaultCompiles<char>);
static_assert(!kDefaultCompiles<wchar_t>);
static_assert(!kDefaultCompiles<char8_t>);
static_assert(!kDefaultCompiles<char32_t>);
static_assert(kDefaultCompiles<const char*>);
static_assert(kDefaultCompiles<int>);
static_assert(kDefaultCompiles<std::uint8_t>);
static_assert(kDefaultCompiles<double>);
static_assert(kDefaultCompiles<bool>);

TEST(DeclarationProblemTest, AcceptsWellFormedDeclarations) {
  EXPECT_EQ(DeclarationProblem(Param::String("host").Required().Help("the server")), "");
  EXPECT_EQ(DeclarationProblem(Param::Int("port").Default("+80").OneOf({"80", "443"})), "");
  EXPECT_EQ(DeclarationProblem(Param::List("users").Default("")), "");
  EXPECT_EQ(DeclarationProblem(Param::Bool("force")), "");
}

TEST(DeclarationProblemTest, NamesWhatIsWrong) {
  EXPECT_EQ(DeclarationProblem(Param::String("")), "the name is empty");
  EXPECT_EQ(DeclarationProblem(Param::String("a=b")), "the name has '='");
  EXPECT_EQ(DeclarationProblem(Param::String("a\nb")), "the name has a control character");
  EXPECT_EQ(DeclarationProblem(Param::List("l", "")), "the separator is empty");
  EXPECT_EQ(DeclarationProblem(Param::String("s").Required().Default("x")),
            "it is Required() and has a default");
  EXPECT_EQ(DeclarationProblem(Param::Int("n").Default("many")),
            "its default \"many\" is not an integer");
  EXPECT_EQ(DeclarationProblem(Param::Int("n").OneOf({"1", "two"})),
            "its allowed value \"two\" is not an integer");
  EXPECT_EQ(DeclarationProblem(Param::String("m").Default("slow").OneOf({"fast", "safe"})),
            "its default \"slow\" is not one of \"fast\", \"safe\"");
}

TEST(ValueProblemTest, ConvertsAsTheGettersDo) {
  EXPECT_EQ(ValueProblem(Param::Int("n"), "42"), "");
  EXPECT_EQ(ValueProblem(Param::Int("n"), "+42"), "");
  EXPECT_EQ(ValueProblem(Param::Int("n"), "4.2"), "\"4.2\" is not an integer");
  EXPECT_EQ(ValueProblem(Param::Int("n"), "99999999999999999999"),
            "\"99999999999999999999\" is not an integer in range");
  EXPECT_EQ(ValueProblem(Param::Double("x"), "1e-3"), "");
  EXPECT_EQ(ValueProblem(Param::Double("x"), "inf"), "\"inf\" is not a finite number");
  EXPECT_EQ(ValueProblem(Param::Double("x"), "1e999"), "\"1e999\" is not a finite number");
  EXPECT_EQ(ValueProblem(Param::Double("x"), "1e-999"),
            "\"1e-999\" is not a number in range (too close to 0)");
  EXPECT_EQ(ValueProblem(Param::Double("x"), "-1e-999"),
            "\"-1e-999\" is not a number in range (too close to 0)");
  EXPECT_EQ(ValueProblem(Param::Double("x"), "0e-999"), "");  // Exactly 0.
  // A sign after `+` is refused, not read as `-3`.
  EXPECT_EQ(ValueProblem(Param::Int("n"), "+-3"), "\"+-3\" is not an integer");
  EXPECT_EQ(ValueProblem(Param::Int("n"), "++3"), "\"++3\" is not an integer");
  EXPECT_EQ(ValueProblem(Param::Double("x"), "+-1"), "\"+-1\" is not a finite number");
  EXPECT_EQ(ValueProblem(Param::Double("x"), "+.5"), "");
  EXPECT_EQ(ValueProblem(Param::Bool("b"), "On"), "");
  EXPECT_EQ(ValueProblem(Param::Bool("b"), "maybe"),
            "\"maybe\" is not a boolean (true/false, yes/no, on/off, 1/0)");
  EXPECT_EQ(ValueProblem(Param::String("s"), ""), "");
}

TEST(ValueProblemTest, AllowedValuesCompareAsValuesOfTheType) {
  const Param mode = Param::String("mode").OneOf({"fast", "safe"});
  EXPECT_EQ(ValueProblem(mode, "safe"), "");
  EXPECT_EQ(ValueProblem(mode, "Safe"),
            "\"Safe\" is not one of \"fast\", \"safe\" (did you mean \"safe\"?)");
  EXPECT_EQ(ValueProblem(mode, "slow and steady"),
            "\"slow and steady\" is not one of \"fast\", \"safe\"");
  EXPECT_EQ(ValueProblem(Param::Int("port").OneOf({"80", "443"}), "+443"), "");
  EXPECT_EQ(ValueProblem(Param::Bool("b").OneOf({"true"}), "yes"), "");
  EXPECT_NE(ValueProblem(Param::Bool("b").OneOf({"true"}), "no"), "");
}

TEST(ValueProblemTest, ListItemsAreCheckedOneByOne) {
  const Param users = Param::List("users", ";").OneOf({"ann", "bob"});
  EXPECT_EQ(ValueProblem(users, "ann; bob"), "");
  EXPECT_EQ(ValueProblem(users, ""), "");
  EXPECT_EQ(ValueProblem(users, "ann;bbo"),
            "item \"bbo\" is not one of \"ann\", \"bob\" (did you mean \"bob\"?)");
  EXPECT_EQ(ValueProblem(Param::List("any"), "x,,y"), "");
}

TEST(ParamSetTest, KeepsDeclarationsInOrderWithTheirSource) {
  ParamSet params;
  ASSERT_TRUE(params.Add(Param::String("b"), 1, kSources));
  ASSERT_TRUE(params.Add(Param::Int("a").Default(1), 2, kSources));
  ASSERT_EQ(params.all().size(), 2u);
  EXPECT_EQ(params.all()[0].param.name(), "b");
  EXPECT_EQ(params.all()[1].source, 2u);
  EXPECT_EQ(params.Find("a")->type(), ParamType::kInt);
  EXPECT_EQ(params.Find("c"), nullptr);
  EXPECT_TRUE(params.Declares(1));
  EXPECT_FALSE(params.Declares(0));
}

TEST(ParamSetTest, RefusesMalformedAndConflictingDeclarations) {
  ParamSet params;
  Status bad = params.Add(Param::Int("n").Default("x"), 1, kSources);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.message(), "parameter 'n' declared by a.so: its default \"x\" is not an integer");
  EXPECT_TRUE(params.all().empty());

  ASSERT_TRUE(params.Add(Param::Int("n").Default(3).Help("one"), 1, kSources));
  Status twice = params.Add(Param::Int("n").Default(3), 1, kSources);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.message(), "parameter 'n' declared twice by a.so");
  Status type = params.Add(Param::String("n").Default("3"), 2, kSources);
  ASSERT_FALSE(type);
  EXPECT_EQ(type.message(),
            "parameter 'n' declared by a.so and by b.so with different types (integer, string)");
  EXPECT_FALSE(params.Add(Param::Int("n").Default(4), 2, kSources));
  EXPECT_FALSE(params.Add(Param::Int("n").Required(), 2, kSources));
  EXPECT_FALSE(params.Add(Param::Int("n").Default(3).OneOf({"3"}), 2, kSources));
  // The same declaration (help aside, `+3` being 3) from another plugin is shared.
  EXPECT_TRUE(params.Add(Param::Int("n").Default("+3").Help("two"), 2, kSources));
  EXPECT_EQ(params.all().size(), 2u);
}

TEST(ParamSetTest, ChecksUnknownKeysOnlyWhenAsked) {
  ParamSet params;
  ASSERT_TRUE(params.Add(Param::String("account"), 1, kSources));
  const Arguments::Keywords typo = {{"acount", "svc"}};
  EXPECT_TRUE(params.Check(typo, /*check_keys=*/false, /*require=*/true));
  Status checked = params.Check(typo, /*check_keys=*/true, /*require=*/true);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.message(),
            "argument 'acount' is not declared by any loaded plugin (did you mean 'account'?)");
  Status far = params.Check({{"zzz", "1"}}, true, true);
  ASSERT_FALSE(far);
  EXPECT_EQ(far.message(),
            "argument 'zzz' is not declared by any loaded plugin (dojobber params lists the "
            "parameters)");
}

TEST(ParamSetTest, ChecksValuesAndRequiredKeys) {
  ParamSet params;
  ASSERT_TRUE(params.Add(Param::String("host").Required().Help("the server"), 1, kSources));
  ASSERT_TRUE(params.Add(Param::Int("port").Default(80), 1, kSources));
  Status missing = params.Check({{"port", "81"}}, true, /*require=*/true);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.message(), "argument 'host' is required (--arg host=VALUE): the server");
  EXPECT_TRUE(params.Check({{"port", "81"}}, true, /*require=*/false));
  Status bad = params.Check({{"host", "h"}, {"port", "http"}}, true, false);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.message(), "argument 'port': \"http\" is not an integer");
  EXPECT_TRUE(params.Check({{"host", "h"}, {"port", "8080"}}, true, true));
}

}  // namespace
}  // namespace dojobber::core
