#include "core/param_list.h"

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace dojobber::core {
namespace {

const std::vector<std::string> kSources = {"the program", "a.so", "b.so"};

std::string List(const ParamSet& params, std::uint32_t source) {
  std::ostringstream out;
  WriteParamList(out, params, source, kSources[source]);
  return out.str();
}

TEST(ParamListTest, OneAlignedRowPerParameterOfTheSource) {
  ParamSet params;
  ASSERT_TRUE(params.Add(Param::String("host").Required().Help("the server"), 1, kSources));
  ASSERT_TRUE(params.Add(Param::Int("port").Default(8080), 1, kSources));
  ASSERT_TRUE(params.Add(Param::String("mode").Default("fast").OneOf({"fast", "safe"}).Help("how"),
                         1, kSources));
  ASSERT_TRUE(params.Add(Param::List("users", ";").Default("").Help("accounts"), 1, kSources));
  ASSERT_TRUE(params.Add(Param::Bool("other"), 2, kSources));
  EXPECT_EQ(List(params, 1),
            "NAME   TYPE      DEFAULT   ALLOWED         HELP\n"
            "host   string    required  -               the server\n"
            "port   integer   \"8080\"    -\n"
            "mode   string    \"fast\"    \"fast\", \"safe\"  how\n"
            "users  list \";\"  \"\"        -               accounts\n");
  EXPECT_EQ(List(params, 2),
            "NAME   TYPE     DEFAULT  ALLOWED  HELP\n"
            "other  boolean  -        -\n");
}

TEST(ParamListTest, ASourceWithoutParametersSaysSoInOneLine) {
  ParamSet params;
  EXPECT_EQ(List(params, 1), "a.so declares no parameters (any --arg key is accepted)\n");
}

TEST(ParamListTest, PluginTextIsEscaped) {
  ParamSet params;
  ASSERT_TRUE(params.Add(Param::String("s").Default("a\tb").Help("line\x1b[2K"), 1, kSources));
  const std::string list = List(params, 1);
  EXPECT_NE(list.find("a\\tb"), std::string::npos) << list;
  EXPECT_NE(list.find("line\\x1b[2K\n"), std::string::npos) << list;
}

}  // namespace
}  // namespace dojobber::core
