// The README's examples: the opening one (its plugin is tests/plugins/motd.cc)
// and the plan of a dry run; the output they show is what the binary prints
// (times aside).

#include <cctype>
#include <string>

#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

std::string Readme() { return ReadFile(std::filesystem::path(DOJOBBER_SOURCE_DIR) / "README.md"); }

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

TEST(ReadmeExample, ShowsThePluginTheTestsBuild) {
  const std::string plugin =
      ReadFile(std::filesystem::path(DOJOBBER_SOURCE_DIR) / "tests/plugins/motd.cc");
  const std::string code = plugin.substr(plugin.find("#include <dojobber/dojobber.h>"));
  EXPECT_NE(Readme().find("```cpp\n" + code + "```\n"), std::string::npos)
      << "README.md's first example differs from tests/plugins/motd.cc";
}

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
