#ifndef DOJOBBER_TESTING_H_
#define DOJOBBER_TESTING_H_

// The test kit for plugin authors: runs a plugin's graph in-process, inside a
// unit test (GoogleTest or any other), on a fake clock, and hands back what
// `dojobber run` would show. Link the CMake target `dojobber::testing`:
//
//     dojobber::testing::RunResult run = dojobber::testing::RunGraph(
//         dojobber::testing::JobSource::Linked(),
//         {.roots = {"WatchMovie"}, .args = {{"battery_state", "charged"}}});
//     EXPECT_EQ(run.job("TurnOnTV").status, dojobber::testing::Status::kChanged);
//
// The run is the engine's own (the one behind `dojobber run`): the same
// graph checks, order of passes, tries, dry run, storage and cleanups. Only
// the clock differs, see RunGraph().

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <dojobber/arguments.h>
#include <dojobber/registry.h>

namespace dojobber::testing {

/// Where a test run's jobs come from: a plugin file, the plugin compiled into
/// the test program, or a registration function. Cheap to copy.
class JobSource {
 public:
  /// The plugin file at `path` (a `.so` built with dojobber_add_plugin),
  /// loaded as `dojobber run --plugin PATH` loads it: the same checks, the
  /// same ABI check and the same one-line errors. Loaded at the start of
  /// each RunGraph() and unloaded at its end.
  static JobSource Plugin(std::filesystem::path path);

  /// The DOJOBBER_PLUGIN(...) compiled into this test program: the plugin's
  /// sources are sources of the test executable too. At most one plugin's
  /// registration can be linked into one program (they share the entry
  /// point's name); a RunGraph() with none fails with an error saying so.
  static JobSource Linked();

  /// `register_jobs` called with the run's registry, as a plugin's
  /// DOJOBBER_PLUGIN body would be: for jobs written in the test itself.
  static JobSource Function(std::function<void(Registry&)> register_jobs);

  struct Spec;  ///< What the source is; defined in the library.
  const Spec& spec() const { return *spec_; }

 private:
  explicit JobSource(std::shared_ptr<const Spec> spec) : spec_(std::move(spec)) {}
  std::shared_ptr<const Spec> spec_;
};

/// How to run: the options of `dojobber run`, by their command line names.
struct Options {
  /// The jobs to reach (`--root`, in order, each once); empty: every
  /// registered job.
  std::vector<std::string> roots = {};
  Arguments::Keywords args = {};             ///< Keyword arguments (`--arg key=value`).
  std::vector<std::string> positional = {};  ///< Positional arguments (words after `--`).
  bool dry_run = false;                      ///< `--no-act`: only Check, never Run.
  int jobs = 1;                              ///< `-j N`: up to N jobs at once (>= 1).
  int default_tries = 3;                     ///< `--default-tries` (>= 1).
  /// `--default-retry-delay`, in seconds (>= 0). Waited out on the fake
  /// clock: takes no real time.
  double default_retry_delay = 1.0;
  /// `--default-retry-backoff` (a finite factor >= 1; 1: a fixed delay).
  double default_retry_backoff = 1;
  /// `--default-retry-max-delay`, in seconds: the cap on a delay grown by
  /// backoff (>= 0; infinity: none).
  double default_retry_max_delay = std::numeric_limits<double>::infinity();
  /// `--default-retry-jitter`: each delay d is drawn from [d*(1-F), d*(1+F)].
  double default_retry_jitter = 0;
  /// `--seed`: where the jitter is drawn from. Unlike `dojobber run`, which
  /// draws a seed at random when none is given, the kit always uses this one
  /// (0 unless set), so a test's jittered delays are the same on every run
  /// and equal those of `dojobber run --seed` with the same value.
  std::uint64_t seed = 0;
  bool cleanup = true;  ///< false: `--no-cleanup`.
  bool debug = false;   ///< `-d`: the trace adds each failure's type and message.
};

/// A job's status at the end of a run, as in the status table.
enum class Status { kOk, kChanged, kFailed, kBlocked };

/// "ok", "changed", "failed" or "blocked".
const char* StatusName(Status status);
std::ostream& operator<<(std::ostream& out, Status status);
/// GoogleTest prints statuses by name with this.
inline void PrintTo(Status status, std::ostream* out) { *out << StatusName(status); }

/// One try of a job, as the JSON report's `history` gives it.
struct TryResult {
  int try_number = 0;                    ///< From 1.
  double start_s = 0;                    ///< When it started, fake seconds from the run's start.
  double end_s = 0;                      ///< When it ended, likewise.
  std::optional<std::string> error;      ///< Its error; none if it succeeded.
  std::optional<std::string> run_error;  ///< What its Run threw, if it did.
};

/// One job's end, as the status table and the JSON report give it.
struct JobResult {
  std::string name;
  Status status = Status::kBlocked;
  int tries = 0;  ///< Tries made; 0 for a blocked job.
  /// The last try's error, when it failed (the table's DETAIL); for a blocked
  /// job none (see `blocked_by`).
  std::optional<std::string> error;
  /// Blocked jobs: the jobs that failed and so blocked this one (root causes),
  /// in run order; empty otherwise.
  std::vector<std::string> blocked_by;
  nlohmann::json result;  ///< What the last try recorded with SetResult, or null.
  double start_s = 0;     ///< When its first try started, fake seconds from the run's start.
  double end_s = 0;       ///< When its last try ended, likewise. Both 0 if never tried.
  /// What Run threw in the last try, when it was called and threw (the
  /// table's "(Run failed: ...)", the report's `run_error`); `error` is then
  /// the recheck's.
  std::optional<std::string> run_error;
  /// The last try failed with dojobber::Fatal (or ctx.FailFatal): no further
  /// try was made.
  bool fatal = false;
  /// Every try, in order (the last one is the fields above); empty for a job
  /// never tried. Read retry delays off the starts.
  std::vector<TryResult> history;
};

/// A Cleanup that threw, which stopped the cleanups after it (exit status 3).
struct CleanupFailure {
  std::string job;
  int try_number = 0;
  std::string error;
};

/// What a RunGraph() gives back.
struct RunResult {
  /// Set when nothing could run: a plugin that did not load or whose
  /// registration threw, a duplicate job, an unknown root or dependency, a
  /// cycle, invalid options. The text is what `dojobber run` prints after
  /// `dojobber: ` (exit status 2). Then `jobs` is empty.
  std::optional<std::string> error;
  /// Every job of the graph in run order: the roots' graphs, depth-first
  /// post-order (docs/report-format.md).
  std::vector<JobResult> jobs;
  bool success = false;  ///< Every job succeeded (and nothing was refused).
  /// Fake seconds from the first try's start to the last try's end: the
  /// retry delays waited out.
  double seconds = 0;
  /// The lines `dojobber run -v` (or `-d`) writes to stderr, in order and
  /// without newlines: `Name.check: pass`, `Name.recheck: fail "message"`,
  /// `Name.cleanup: pass`, and the jobs' own log lines as `[Name] line`.
  /// Under `jobs > 1` the order of lines of different jobs varies.
  std::vector<std::string> trace;
  /// The run's global storage at its end (after the cleanups): a JSON object.
  nlohmann::json global = nlohmann::json::object();
  std::optional<CleanupFailure> cleanup_failure;

  /// The job called `name`; throws std::out_of_range naming it when it is
  /// not in the graph.
  const JobResult& job(std::string_view name) const;
};

/// Runs the graph of `sources` (loaded in order, one graph, as several
/// `--plugin` options) once, in this process, and returns its end. Never
/// throws for anything the jobs do: what `dojobber run` refuses is
/// RunResult::error, what fails is in the jobs' results. What ends
/// `dojobber run` ends the test too: a job that crashes or exits, a plugin
/// whose static initialization throws while it is loaded.
///
/// Time: the run uses a fake clock that starts at 0 and moves only when the
/// engine waits out a retry delay, so 5 tries 60 s apart take 240 fake
/// seconds and no real time. Job code takes no time on it. Hence timeouts
/// (`.Timeout(s)`) are not enforced: on the fake clock no try ever reaches
/// its limit, so every try runs to its end on the thread that runs it (the
/// caller's, or a worker's under `jobs > 1`), however long it really takes
/// (a try that hangs hangs the test: give the test a timeout in ctest).
/// Test what a timeout does with the real binary (`dojobber run
/// --default-timeout S`). A timeout the engine refuses (not a number > 0) is
/// still refused.
///
/// Tries run in this process, in its working directory (reset before every
/// call, as in `dojobber run`); the jobs see the real file system.
RunResult RunGraph(const std::vector<JobSource>& sources, const Options& options);
inline RunResult RunGraph(const JobSource& source, const Options& options) {
  return RunGraph(std::vector<JobSource>{source}, options);
}

}  // namespace dojobber::testing

#endif  // DOJOBBER_TESTING_H_
