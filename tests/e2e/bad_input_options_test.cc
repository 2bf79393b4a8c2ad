// The option part of the bad-input sweep: every option of run, graph and list
// that takes a value, given a malformed one (not a number, out of range,
// empty, with a newline or an escape, as long as a command line allows). Each
// is refused before anything runs: exit status 2, one "dojobber: " line
// naming what is wrong, and nothing written into the working directory,
// which is also where the output paths point.

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/hardening_support.h"

namespace dojobber::e2e {
namespace {

struct Row {
  std::vector<std::string> args;
  std::string needle;  ///< Part of the one error line.
};

// Linux caps one command-line argument at 128 KiB (MAX_ARG_STRLEN, the NUL
// included): the longest value a user can give.
const std::string kLongest(128 * 1024 - 1, '7');

// `dojobber <command>` with `defaults` (option -> value), each replaced by
// `option value` when `option` is one of them, else followed by it.
std::vector<std::string> Command(const std::string& command,
                                 const std::map<std::string, std::string>& defaults,
                                 const std::string& option, const std::string& value) {
  std::vector<std::string> args = {command};
  for (const auto& [name, default_value] : defaults) {
    if (name != option) args.insert(args.end(), {name, default_value});
  }
  args.insert(args.end(), {option, value});
  return args;
}

// The output paths are relative: into the working directory.
std::vector<std::string> Run(const std::string& option, const std::string& value) {
  return Command(
      "run",
      {{"--plugin", "movie"}, {"--root", "WatchMovie"}, {"--report", "r.json"}, {"--dot", "g.dot"}},
      option, value);
}

std::vector<std::string> Graph(const std::string& option, const std::string& value) {
  return Command("graph", {{"--plugin", "movie"}, {"--output", "g.dot"}}, option, value);
}

std::vector<std::string> List(const std::string& option, const std::string& value) {
  return Command("list", {{"--plugin", "movie"}}, option, value);
}

const std::vector<Row>& Rows() {
  static const std::vector<Row> kRows = {
      // Counts.
      {Run("-j", "NaN"), "--jobs: 'NaN' is not a whole number >= 1"},
      {Run("-j", "nan"), "--jobs: 'nan' is not"},
      {Run("-j", "inf"), "--jobs: 'inf' is not"},
      {Run("-j", "-inf"), "--jobs: '-inf' is not"},
      {Run("-j", "1e99"), "--jobs: '1e99' is not"},
      {Run("-j", "-1"), "--jobs: '-1' is not"},
      {Run("-j", "0"), "--jobs: '0' is not a whole number >= 1"},
      {Run("-j", "2147483648"), "'2147483648' is too large (at most 2147483647)"},
      {Run("-j", "99999999999999999999"), "'99999999999999999999' is too large"},
      {Run("-j", kLongest), "--jobs: '777"},
      {Run("-j", ""), "--jobs: '' is not"},
      {Run("-j", "4\n"), "--jobs: '4\\n' is not"},
      {Run("-j", "\x1b[2K4"), "--jobs: '\\x1b[2K4' is not"},
      {Run("--default-tries", "nan"), "--default-tries: 'nan' is not"},
      {Run("--default-tries", "inf"), "--default-tries: 'inf' is not"},
      {Run("--default-tries", "1e99"), "--default-tries: '1e99' is not"},
      {Run("--default-tries", "1.5"), "--default-tries: '1.5' is not"},
      {Run("--default-tries", "-3"), "--default-tries: '-3' is not"},
      {Run("--default-tries", "0"), "--default-tries: '0' is not a whole number >= 1"},
      {Run("--default-tries", "2147483648"), "'2147483648' is too large (at most 2147483647)"},
      {Run("--default-tries", "99999999999999999999"), "is too large"},
      {Run("--default-tries", ""), "--default-tries: '' is not"},
      {Run("--default-tries", "3\n"), "--default-tries: '3\\n' is not"},
      {Run("--default-tries", "\x1b"), "--default-tries: '\\x1b' is not"},
      // Seconds.
      {Run("--default-timeout", "NaN"), "--default-timeout: 'NaN' is not a number of seconds > 0"},
      {Run("--default-timeout", "nan"), "--default-timeout: 'nan' is not"},
      {Run("--default-timeout", "inf"), "--default-timeout: 'inf' is not"},
      {Run("--default-timeout", "-inf"), "--default-timeout: '-inf' is not"},
      {Run("--default-timeout", "1e99"), "--default-timeout: '1e99' is too long"},
      {Run("--default-timeout", "1e999"), "--default-timeout: '1e999' is too long"},
      {Run("--default-timeout", "1e-400"),
       "--default-timeout: '1e-400' is not a number of seconds > 0 (too close to 0)"},
      {Run("--default-timeout", kLongest), "--default-timeout: '777"},
      {Run("--default-timeout", "-1"), "--default-timeout: '-1' is not"},
      {Run("--default-timeout", "0"), "--default-timeout: '0' is not a number of seconds > 0"},
      {Run("--default-timeout", "-0"), "--default-timeout: '-0' is not"},
      {Run("--default-timeout", ""), "--default-timeout: '' is not"},
      {Run("--default-timeout", "1\n"), "--default-timeout: '1\\n' is not"},
      {Run("--default-timeout", "\x1b[1A"), "--default-timeout: '\\x1b[1A' is not"},
      {Run("--default-retry-delay", "nan"), "--default-retry-delay: 'nan' is not"},
      {Run("--default-retry-delay", "NaN"), "--default-retry-delay: 'NaN' is not"},
      {Run("--default-retry-delay", "inf"), "--default-retry-delay: 'inf' is not"},
      {Run("--default-retry-delay", "-inf"), "--default-retry-delay: '-inf' is not"},
      {Run("--default-retry-delay", "1e99"), "--default-retry-delay: '1e99' is too long"},
      {Run("--default-retry-delay", "-1"), "--default-retry-delay: '-1' is not"},
      {Run("--default-retry-delay", "abc"), "--default-retry-delay: 'abc' is not"},
      {Run("--default-retry-delay", ""), "--default-retry-delay: '' is not"},
      {Run("--default-retry-delay", "0\n"), "--default-retry-delay: '0\\n' is not"},
      {Run("--default-retry-delay", "\x1b"), "--default-retry-delay: '\\x1b' is not"},
      // Backoff, jitter and the seed.
      {Run("--default-retry-backoff", "0.5"),
       "--default-retry-backoff: '0.5' is not a finite factor >= 1"},
      {Run("--default-retry-backoff", "0"), "--default-retry-backoff: '0' is not"},
      {Run("--default-retry-backoff", "-2"), "--default-retry-backoff: '-2' is not"},
      {Run("--default-retry-backoff", "nan"), "--default-retry-backoff: 'nan' is not"},
      {Run("--default-retry-backoff", "NaN"), "--default-retry-backoff: 'NaN' is not"},
      {Run("--default-retry-backoff", "inf"), "--default-retry-backoff: 'inf' is not"},
      {Run("--default-retry-backoff", "1e999"), "--default-retry-backoff: '1e999' is not"},
      {Run("--default-retry-backoff", ""), "--default-retry-backoff: '' is not"},
      {Run("--default-retry-backoff", "2\n"), "--default-retry-backoff: '2\\n' is not"},
      {Run("--default-retry-backoff", "\x1b[2K2"), "--default-retry-backoff: '\\x1b[2K2' is not"},
      {Run("--default-retry-backoff", kLongest), "--default-retry-backoff: '777"},
      {Run("--default-retry-max-delay", "-1"), "--default-retry-max-delay: '-1' is not"},
      {Run("--default-retry-max-delay", "nan"),
       "--default-retry-max-delay: 'nan' is not a number of seconds >= 0"},
      {Run("--default-retry-max-delay", "inf"), "--default-retry-max-delay: 'inf' is not"},
      {Run("--default-retry-max-delay", "1e99"), "--default-retry-max-delay: '1e99' is too long"},
      {Run("--default-retry-max-delay", ""), "--default-retry-max-delay: '' is not"},
      {Run("--default-retry-max-delay", "1\n"), "--default-retry-max-delay: '1\\n' is not"},
      {Run("--default-retry-jitter", "1.5"),
       "--default-retry-jitter: '1.5' is not a fraction from 0 to 1"},
      {Run("--default-retry-jitter", "-0.1"), "--default-retry-jitter: '-0.1' is not"},
      {Run("--default-retry-jitter", "nan"), "--default-retry-jitter: 'nan' is not"},
      {Run("--default-retry-jitter", "-nan"), "--default-retry-jitter: '-nan' is not"},
      {Run("--default-retry-jitter", "inf"), "--default-retry-jitter: 'inf' is not"},
      {Run("--default-retry-jitter", "10%"), "--default-retry-jitter: '10%' is not"},
      {Run("--default-retry-jitter", ""), "--default-retry-jitter: '' is not"},
      {Run("--default-retry-jitter", "\x1b"), "--default-retry-jitter: '\\x1b' is not"},
      {Run("--seed", "-1"), "--seed: '-1' is not a whole number >= 0"},
      {Run("--seed", "1.5"), "--seed: '1.5' is not"},
      {Run("--seed", "nan"), "--seed: 'nan' is not"},
      {Run("--seed", "2147483648"), "--seed: '2147483648' is too large (at most 2147483647)"},
      {Run("--seed", ""), "--seed: '' is not"},
      {Run("--seed", "7\n"), "--seed: '7\\n' is not"},
      // Choices and names.
      {Run("--executor", ""), "--executor"},
      {Run("--executor", "local\n"), "--executor: local\\n not in"},
      {Run("--executor", "\x1b[2Klocal"), "--executor: \\x1b[2Klocal not in"},
      {Run("--executor", kLongest), "--executor: 777"},
      {Run("--progress", ""), "--progress"},
      {Run("--progress", "sometimes"), "--progress: sometimes not in"},
      {Run("--progress", "auto\n"), "--progress: auto\\n not in"},
      {Run("--progress", "\x1b[2Kalways"), "--progress: \\x1b[2Kalways not in"},
      {Run("--slurm-partition", ""), "--slurm-partition: an empty value"},
      {Run("--slurm-partition", "debug\n"), "--slurm-partition: 'debug\\n' has a control"},
      {Run("--slurm-partition", "\x1b"), "--slurm-partition: '\\x1b' has a control"},
      {Run("--slurm-account", ""), "--slurm-account: an empty value"},
      {Run("--slurm-account", "lab\n"), "--slurm-account: 'lab\\n' has a control"},
      {Run("--srun-arg", ""), "--srun-arg: an empty value"},
      {Run("--srun-arg", "--exclusive\n"), "--srun-arg: '--exclusive\\n' has a control"},
      {Run("--srun-arg", "\x1b"), "--srun-arg: '\\x1b' has a control"},
      {Run("--root", ""), "--root: an empty value"},
      {Run("--root", "WatchMovie\n"), "--root: 'WatchMovie\\n' has a control"},
      {Run("--root", "\x1b[2K"), "--root: '\\x1b[2K' has a control"},
      {Run("--root", kLongest), "unknown root job '777"},
      {Graph("--root", ""), "--root: an empty value"},
      {Graph("--root", "a\nb"), "--root: 'a\\nb' has a control"},
      {List("--root", ""), "--root: an empty value"},
      {List("--root", "\x1b[1A"), "--root: '\\x1b[1A' has a control"},
      {List("--root", kLongest), "unknown root job '777"},
      // Plugins.
      {Run("--plugin", ""), "--plugin"},
      {Run("--plugin", "movie\n"), "plugin 'movie\\n' not found"},
      {Run("--plugin", "\x1b[2Kmovie"), "plugin '\\x1b[2Kmovie' not found"},
      {List("--plugin", kLongest), "plugin '777"},
      // Output files.
      {Run("--report", ""), "--report: an empty file name"},
      {Run("--report", "r\n.json"), "--report: 'r\\n.json' is a file name with a control"},
      {Run("--report", "\x1b[2K.json"), "--report: '\\x1b[2K.json' is a file name"},
      {Run("--report", kLongest), "777"},
      {Run("--dot", ""), "--dot: an empty file name"},
      {Run("--dot", "g\n.dot"), "--dot: 'g\\n.dot' is a file name with a control"},
      {Run("--dot", "\x7f.dot"), "--dot: '\\x7f.dot' is a file name"},
      {Graph("--output", ""), "--output: an empty file name"},
      {Graph("--output", "g\n.dot"), "--output: 'g\\n.dot' is a file name with a control"},
      {Graph("--output", "\x1b.dot"), "--output: '\\x1b.dot' is a file name"},
      {Graph("--output", kLongest), "777"},
      // Keyword arguments: the key must be there and printable; the value is
      // the jobs' own business.
      {Run("--arg", "couch_space"), "--arg 'couch_space': expected KEY=VALUE"},
      {Run("--arg", ""), "--arg '': expected KEY=VALUE"},
      {Run("--arg", "a\nb"), "--arg 'a\\nb': expected KEY=VALUE"},
      {Run("--arg", kLongest), "--arg '777"},
      {Run("--arg", "=true"), "--arg '=true': the key is empty"},
      {Run("--arg", "="), "--arg '=': the key is empty"},
      {Graph("--arg", "=\n"), "--arg '=\\n': the key is empty"},
      {List("--arg", "battery\n_state=charged"), "the key has a control character"},
      {List("--arg", "\x1b[2K=1"), "--arg '\\x1b[2K=1': the key has a control character"},
      // `params` takes --plugin and --arg, checked as for run.
      {{"params", "--plugin", ""}, "empty --plugin value"},
      {{"params", "--plugin", "movie", "--arg", "couch_space"}, "expected KEY=VALUE"},
      // Unknown options and subcommands, as CLI11 and dojobber name them.
      {Run("--fr\nob", "1"), "--fr\\nob"},
      {{"fr\x1b[2Kob", "--plugin", "movie"}, "unknown subcommand 'fr\\x1b[2Kob'"},
  };
  return kRows;
}

class BadOptionValue : public testing::TestWithParam<Row> {};

TEST_P(BadOptionValue, IsRefusedLeavingNothing) {
  TempDir dir;
  const std::vector<std::string> before = dir.Entries();
  ProcessOptions options;
  options.cwd = dir.path();
  const ProcessResult result = RunDojobber(GetParam().args, options);
  EXPECT_TRUE(IsRefusedLeavingNothing(result, dir, before, {GetParam().needle}));
}

// Rows print with their control characters escaped and long values cut, so
// that a failure reads on one screen.
void PrintTo(const Row& row, std::ostream* out) {
  for (const std::string& arg : row.args) {
    std::string shown;
    for (char c : arg.substr(0, 40)) {
      if (static_cast<unsigned char>(c) < 0x20) {
        shown += '^';  // ^J for a newline, ^[ for ESC.
        c = static_cast<char>(c + '@');
      }
      shown += c;
    }
    *out << (arg.size() > 40 ? shown + "...(" + std::to_string(arg.size()) + " bytes)" : shown)
         << ' ';
  }
}

INSTANTIATE_TEST_SUITE_P(Sweep, BadOptionValue, testing::ValuesIn(Rows()));

TEST(BadOptionValueTable, CoversEveryOptionThatTakesAValue) {
  std::map<std::string, int> rows_per_option;
  for (const Row& row : Rows()) ++rows_per_option[row.args[row.args.size() - 2]];  // The option.
  for (const char* option :
       {"-j", "--default-tries", "--default-timeout", "--default-retry-delay",
        "--default-retry-backoff", "--default-retry-max-delay", "--default-retry-jitter", "--seed",
        "--executor", "--progress", "--slurm-partition", "--slurm-account", "--srun-arg", "--root",
        "--plugin", "--report", "--dot", "--output", "--arg"}) {
    EXPECT_GT(rows_per_option[option], 0) << option;
  }
  EXPECT_GE(Rows().size(), 40u);
}

}  // namespace
}  // namespace dojobber::e2e
