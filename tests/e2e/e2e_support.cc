#include "tests/e2e/e2e_support.h"

#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

namespace dojobber::e2e {
namespace fs = std::filesystem;
namespace {

std::string Trim(std::string_view text) {
  const std::size_t first = text.find_first_not_of(' ');
  if (first == std::string_view::npos) return "";
  return std::string(text.substr(first, text.find_last_not_of(' ') - first + 1));
}

std::string Slice(const std::string& line, std::size_t from, std::size_t to) {
  if (from >= line.size()) return "";
  return Trim(std::string_view(line).substr(from, to - from));
}

bool IsPhaseLine(std::string_view line) {
  if (line.empty() || line.front() == ' ' || line.front() == '[') return false;
  for (std::string_view phase : {".check: ", ".run: ", ".recheck: "}) {
    const std::size_t at = line.rfind(phase);
    if (at == std::string_view::npos) continue;
    const std::string_view rest = line.substr(at + phase.size());
    if (rest == "pass" || rest == "fail" || rest.starts_with("fail \"")) return true;
  }
  return false;
}

}  // namespace

fs::path DojobberBin() { return DOJOBBER_BIN; }
fs::path MoviePlugin() { return DOJOBBER_MOVIE_PLUGIN; }
fs::path SourceDir() { return DOJOBBER_SOURCE_DIR; }
fs::path TestOutputDir(std::string_view test) {
  fs::path dir = fs::path(DOJOBBER_TEST_OUTPUT_DIR) / test;
  fs::create_directories(dir);
  return dir;
}
fs::path TestPlugin(std::string_view name) {
  static const std::map<std::string_view, const char*> kPlugins = {
      {"sdk_sample", DOJOBBER_SDK_SAMPLE_PLUGIN},
      {"bad_abi", DOJOBBER_BAD_ABI_PLUGIN},
      {"no_entry", DOJOBBER_NO_ENTRY_PLUGIN},
      {"throwing_registration", DOJOBBER_THROWING_REGISTRATION_PLUGIN},
      {"dup_movie_job", DOJOBBER_DUP_MOVIE_JOB_PLUGIN},
      {"cleanup_fails", DOJOBBER_CLEANUP_FAILS_PLUGIN},
      {"report_jobs", DOJOBBER_REPORT_JOBS_PLUGIN},
      {"bad_graph", DOJOBBER_BAD_GRAPH_PLUGIN},
      {"motd", DOJOBBER_MOTD_PLUGIN},
      {"faults", DOJOBBER_FAULTS_PLUGIN},
      {"outcomes", DOJOBBER_OUTCOMES_PLUGIN},
      {"failures", DOJOBBER_FAILURES_PLUGIN},
      {"text_jobs", DOJOBBER_TEXT_JOBS_PLUGIN},
      {"thread_exits", DOJOBBER_THREAD_EXITS_PLUGIN},
      {"throwing_static_init", DOJOBBER_THROWING_STATIC_INIT_PLUGIN},
      {"lock_probe", DOJOBBER_LOCK_PROBE_PLUGIN},
      {"greeter", DOJOBBER_GREETER_PLUGIN},
      {"param_clash", DOJOBBER_PARAM_CLASH_PLUGIN},
      {"folder_jobs", DOJOBBER_FOLDER_JOBS_PLUGIN},
      {"commands", DOJOBBER_COMMANDS_PLUGIN},
      {"unpack", DOJOBBER_UNPACK_PLUGIN},
  };
  auto it = kPlugins.find(name);
  if (it == kPlugins.end()) {
    ADD_FAILURE() << "no test plugin named " << name;
    return {};
  }
  return it->second;
}

const std::vector<std::string>& MovieRunOrder() {
  static const std::vector<std::string> kOrder = {"ValidateMovie",
                                                  "PickTimeAndDate",
                                                  "DetermineDetails",
                                                  "Invite Wendell Bagg",
                                                  "Invite Lawyer Cat",
                                                  "InviteFriends",
                                                  "FriendsArrive",
                                                  "CleanCouch",
                                                  "FluffPillows",
                                                  "PrepareRoom",
                                                  "FindTVRemote",
                                                  "TurnOnTV",
                                                  "InsertDVD",
                                                  "SitOnCouch",
                                                  "PopcornBowl",
                                                  "Popcorn",
                                                  "Pizza",
                                                  "Food",
                                                  "StartMovie",
                                                  "WatchMovie"};
  return kOrder;
}

namespace {

// The test-independent environment and the binary's path first.
void PrepareDojobber(std::vector<std::string>& args, ProcessOptions& options) {
  options.env.try_emplace("DOJOBBER_PLUGIN_PATH", std::nullopt);
  options.env.try_emplace("NO_COLOR", std::nullopt);
  options.env.try_emplace("TERM", "xterm-256color");
  args.insert(args.begin(), DojobberBin().string());
}

}  // namespace

ProcessResult RunDojobber(std::vector<std::string> args, ProcessOptions options) {
  PrepareDojobber(args, options);
  return RunProcess(args, options);
}

ProcessResult RunDojobberUnder(std::vector<std::string> wrapper, std::vector<std::string> args,
                               ProcessOptions options) {
  PrepareDojobber(args, options);
  args.insert(args.begin(), wrapper.begin(), wrapper.end());
  return RunProcess(args, options);
}

RunningProcess StartDojobber(std::vector<std::string> args, ProcessOptions options) {
  PrepareDojobber(args, options);
  return RunningProcess(args, options);
}

ProcessResult RunMovie(std::string root, std::vector<std::string> extra, ProcessOptions options) {
  std::vector<std::string> args = {
      "run", "--plugin", "movie", "--root", std::move(root), "--default-retry-delay", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunDojobber(std::move(args), std::move(options));
}

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "dojobber-e2e-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << pattern;
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::vector<std::string> TempDir::Entries() const {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(path_)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return "";
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) ADD_FAILURE() << "cannot write " << path;
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    lines.emplace_back(text.substr(0, newline));
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return lines;
}

int CountLines(std::string_view text, std::string_view line) {
  const std::vector<std::string> lines = Lines(text);
  return static_cast<int>(std::count(lines.begin(), lines.end(), line));
}

std::vector<std::string> PhaseLines(std::string_view text) {
  std::vector<std::string> phases;
  for (std::string& line : Lines(text)) {
    if (IsPhaseLine(line)) phases.push_back(std::move(line));
  }
  return phases;
}

std::vector<StatusRow> ParseStatusTable(std::string_view out) {
  std::vector<StatusRow> rows;
  const std::vector<std::string> lines = Lines(out);
  auto header = std::find_if(lines.begin(), lines.end(),
                             [](const std::string& line) { return line.starts_with("JOB "); });
  if (header == lines.end()) {
    ADD_FAILURE() << "no status table in:\n" << out;
    return rows;
  }
  // Columns from the header: names left-aligned, tries and time right-aligned
  // to the end of their heading.
  const std::size_t status = header->find("STATUS");
  const std::size_t tries_end = header->find("TRIES") + 5;
  const std::size_t time_end = header->find("TIME") + 4;
  // "STATUS" padded to the column's width, two spaces, "TRIES".
  const std::size_t status_end = tries_end - 7;
  for (auto line = header + 1; line != lines.end() && !line->empty(); ++line) {
    StatusRow row;
    row.name = Slice(*line, 0, status);
    row.status = Slice(*line, status, status_end);
    const std::string tries = Slice(*line, status_end, tries_end);
    row.tries = tries.empty() ? -1 : std::stoi(tries);
    row.time = Slice(*line, tries_end, time_end);
    row.detail = time_end + 2 < line->size() ? line->substr(time_end + 2) : "";
    rows.push_back(std::move(row));
  }
  return rows;
}

StatusRow FindRow(const std::vector<StatusRow>& rows, std::string_view name) {
  for (const StatusRow& row : rows) {
    if (row.name == name) return row;
  }
  ADD_FAILURE() << "no status row for " << name;
  return {};
}

testing::AssertionResult IsUsageError(const ProcessResult& result,
                                      std::initializer_list<std::string_view> needles) {
  const std::vector<std::string> lines = Lines(result.err);
  auto failure = [&]() {
    return testing::AssertionFailure() << "\nexit status: " << result.exit_code << "\nstdout:\n"
                                       << result.out << "\nstderr:\n"
                                       << result.err << "\n";
  };
  if (result.exit_code != 2) return failure() << "expected exit status 2";
  if (!result.out.empty()) return failure() << "expected nothing on stdout";
  if (lines.size() != 1 || !result.err.ends_with('\n')) {
    return failure() << "expected exactly one line on stderr";
  }
  if (!lines[0].starts_with("dojobber: ")) return failure() << "expected \"dojobber: \" first";
  for (std::string_view needle : needles) {
    if (lines[0].find(needle) == std::string::npos) {
      return failure() << "expected the message to contain \"" << needle << "\"";
    }
  }
  return testing::AssertionSuccess();
}

std::map<std::string, std::string> StatusesOf(const std::vector<StatusRow>& rows) {
  std::map<std::string, std::string> statuses;
  for (const StatusRow& row : rows) statuses[row.name] = row.status;
  return statuses;
}

std::string LastLine(const std::string& text) {
  const std::vector<std::string> lines = Lines(text);
  return lines.empty() ? "" : lines.back();
}

std::vector<std::string> SummaryLines(std::string_view out) {
  const std::vector<std::string> lines = Lines(out);
  auto blank = std::find(lines.begin(), lines.end(), "");
  if (blank == lines.end()) return {};
  return {blank + 1, lines.end()};
}

nlohmann::json ReadJsonReport(const fs::path& path) {
  const nlohmann::json empty = {{"jobs", nlohmann::json::object()}};
  if (!fs::exists(path)) {
    ADD_FAILURE() << "no report at " << path;
    return empty;
  }
  const std::string text = ReadFile(path);
  nlohmann::json report = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (report.is_discarded()) {
    ADD_FAILURE() << path << " is not JSON:\n" << text;
    return empty;
  }
  return report;
}

nlohmann::json CleanupEntry(int ran, int pending, int skipped, const std::string& failed_job,
                            const std::string& error) {
  auto or_null = [](const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
  };
  return {{"ran", ran},
          {"pending", pending},
          {"skipped", skipped},
          {"failed_job", or_null(failed_job)},
          {"error", or_null(error)}};
}

}  // namespace dojobber::e2e
