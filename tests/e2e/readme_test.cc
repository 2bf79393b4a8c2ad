// The README's examples: the opening one's plugin is tests/plugins/motd.cc,
// the declared parameters' one is tests/plugins/greeter.cc, then the plan of
// a dry run; the output they show is what the binary prints (times aside).

#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

std::string Readme() { return ReadFile(SourceDir() / "README.md"); }

// Times vary from run to run, and so does the column width they take: each
// time ("0.000s", "1.25s") becomes "T" and runs of spaces become one.
std::string Normalized(const std::string& text) {
  auto digit = [&](std::size_t i) {
    return i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t end = i;
    while (digit(end)) ++end;
    if (end > i && end < text.size() && text[end] == '.' && digit(end + 1)) {
      for (++end; digit(end);) ++end;
    }
    if (end > i && end < text.size() && text[end] == 's') {
      out += 'T';
      i = end + 1;
    } else if (text[i] == ' ' && !out.empty() && out.back() == ' ') {
      ++i;
    } else {
      out += text[i++];
    }
  }
  return out;
}

// The README shows `plugin` from its `#include <dojobber/dojobber.h>` on.
testing::AssertionResult ReadmeShowsPlugin(std::string_view plugin) {
  const std::string source =
      ReadFile(SourceDir() / "tests/plugins" / (std::string(plugin) + ".cc"));
  const std::string code = source.substr(source.find("#include <dojobber/dojobber.h>"));
  if (Readme().find("```cpp\n" + code + "```\n") != std::string::npos) {
    return testing::AssertionSuccess();
  }
  return testing::AssertionFailure() << "README.md does not show tests/plugins/" << plugin << ".cc";
}

TEST(ReadmeExample, ShowsThePluginTheTestsBuild) { EXPECT_TRUE(ReadmeShowsPlugin("motd")); }

TEST(ReadmeExample, PrintsWhatTheReadmeShows) {
  TempDir dir;
  const std::string readme = Normalized(Readme());
  auto run = [&](const std::string& message, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"run",
                                     "--plugin",
                                     TestPlugin("motd").string(),
                                     "--root",
                                     "Motd",
                                     "--arg",
                                     "dir=" + (dir / "demo").string(),
                                     "--arg",
                                     "message=" + message};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunDojobber(args);
  };

  ProcessResult first = run("Hello, world");
  EXPECT_EQ(first.exit_code, 0);
  EXPECT_NE(readme.find(Normalized("'Hello, world'\n" + first.out)), std::string::npos)
      << first.out;

  ProcessResult again = run("Hello, world");
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(readme.find(Normalized("'Hello, world'\n" + again.out)), std::string::npos)
      << again.out;

  ProcessResult changed = run("Hello again", {"-v"});
  EXPECT_EQ(changed.exit_code, 0);
  EXPECT_NE(readme.find(Normalized("-v\n" + changed.err + changed.out)), std::string::npos)
      << changed.err << changed.out;
  EXPECT_EQ(ReadFile(dir / "demo" / "motd"), "Hello again\n");
}

TEST(ReadmeParamsExample, ShowsThePluginTheTestsBuild) {
  EXPECT_TRUE(ReadmeShowsPlugin("greeter"));
}

TEST(ReadmeParamsExample, PrintsWhatTheReadmeShows) {
  TempDir dir;
  const std::string readme = Readme();
  const std::string plugin = TestPlugin("greeter").string();
  const ProcessResult params = RunDojobber({"params", "--plugin", plugin});
  EXPECT_EQ(params.exit_code, 0);
  EXPECT_NE(readme.find("$ dojobber params --plugin ./greeter.so\n" + params.out + "$ "),
            std::string::npos)
      << params.out;

  const std::string hi = "dir=" + (dir / "hi").string();
  for (const auto& [shown, args] : std::vector<std::pair<std::string, std::vector<std::string>>>{
           {"--arg dir=/tmp/hi --arg greting=Hi", {"--arg", hi, "--arg", "greting=Hi"}},
           {"--arg greeting=Hi", {"--arg", "greeting=Hi"}},
           {"--arg dir=/tmp/hi --arg excitement=5", {"--arg", hi, "--arg", "excitement=5"}}}) {
    std::vector<std::string> command = {"run", "--plugin", plugin, "--root", "Greetings"};
    command.insert(command.end(), args.begin(), args.end());
    const ProcessResult refused = RunDojobber(command);
    EXPECT_EQ(refused.exit_code, 2) << shown;
    EXPECT_NE(readme.find("$ dojobber run --plugin ./greeter.so --root Greetings " + shown + "\n" +
                          refused.err),
              std::string::npos)
        << refused.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "hi"));
}

// The dry run that the README shows as a plan.
TEST(ReadmeExample, ShowsARealPlan) {
  const ProcessResult plan = RunDojobber({"run", "--plugin", "movie", "--root", "FriendsArrive",
                                          "--no-act", "--default-retry-delay", "0"});
  EXPECT_EQ(plan.exit_code, 1);
  EXPECT_NE(Normalized(Readme()).find(Normalized(
                "$ dojobber run --plugin movie --root FriendsArrive --no-act\n" + plan.out)),
            std::string::npos)
      << plan.out;
}

}  // namespace
}  // namespace dojobber::e2e
