// Jobs that misbehave in every way a C++ job can, for the reliability tests.
// Run one with `--root <Name>`; each is its own little graph.
//
//   ThrowsStd, ThrowsInt          fail their Check with an exception
//   ThrowsInConstructor           the object cannot even be made
//   ThrowsInCleanup               succeeds; its Cleanup throws
//   ThrowsNullWhat                fails its Check with a std::exception
//                                 whose what() returns null
//   ThrowsThrowingWhat            fails its Check with a std::exception
//                                 whose what() throws
//   Segfault, Abort, Terminate    crash the process they run in
//   Exit3                         calls exit(3)
//   Hang                          never returns (timeout 1 s)
//   SleepsPastTimeout             sleeps 3 s with a timeout of 1 s
//   Chatty                        writes 4 MiB to ctx.log() and to stdout
//   Slow                          sleeps `slow_ms` (default 2000) in Run
//   Survivor                      plain job, with a Cleanup that records itself
//   All                           depends on every job above but Slow
//
// Graphs for the cleanup order, the in-process tests and the stop tests:
//
//   Survivable                    Survivor and the jobs that do not end the
//                                 process they run in: ThrowsStd, ThrowsInt,
//                                 ThrowsInConstructor, Hang, SleepsPastTimeout
//   ThrowsInCleanupAfterSurvivor  a ThrowsInCleanup tried after Survivor
//   SurvivorAfterThrowsInCleanup  a Survivor tried after ThrowsInCleanup
//   Retried                       fails every try ("not yet"); the run's
//                                 default tries and retry delay
//   AfterSlow                     depends on Survivor and Slow; its Check
//                                 leaves "AfterSlow tried" in the marker
//   SlowChain                     depends on Retried and AfterSlow
//   CrashInRunWithCleanup         fails its Check, sets local storage
//                                 {"ran": true} and crashes in Run; its
//                                 Cleanup leaves its local storage in the
//                                 marker (run it with --isolate only)
//   HangWithCleanup               hangs in Check (timeout 0.5 s); its Cleanup
//                                 leaves its local storage in the marker
//   BrokenWhat                    Survivor, ThrowsNullWhat, ThrowsThrowingWhat
//   RenamesStartDir               its Run renames the directory dojobber
//                                 started in to `rename_to=PATH`; its Check
//                                 passes once PATH is a directory
//   Wanders                       moves to / in every phase, by chdir in its
//                                 Check, fchdir in Run and
//                                 std::filesystem::current_path in the
//                                 recheck; each phase fails unless it
//                                 starts in `start_dir=PATH`
//   AfterWanders                  depends on Wanders; its Check fails
//                                 unless it starts in `start_dir=PATH`
//   CheckChain                    for stopping a dry run: depends on
//                                 MissingA (its Check fails at once, "missing
//                                 a", 3 tries) and AfterSlowCheck, which
//                                 depends on SlowCheck: its Check logs
//                                 "checking", then passes once the run is
//                                 asked to stop (with `deaf=true` it never
//                                 ends: run it with --isolate only)
//
// `marker=FILE`: Survivor's Cleanup, the Slow job, AfterSlow and the
// Cleanups of the *WithCleanup and *What jobs append a line there.

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include <dojobber/dojobber.h>

#include "support/throwing_what.h"

namespace faults {

// Named outside the anonymous namespace, so that its demangled name, which
// the error message shows, reads "faults::NullWhat".
class NullWhat : public std::exception {
 public:
  const char* what() const noexcept override { return nullptr; }
};

}  // namespace faults

// What ThrowingWhat::what() throws (see tests/support/throwing_what.h).
void dojobber::testing::ThrowFromWhat() { throw std::runtime_error("no message"); }

namespace {

using dojobber::Context;

void Mark(Context& ctx, const std::string& what) {
  const std::string path = ctx.args().GetString("marker", "");
  if (!path.empty()) std::ofstream(path, std::ios::app) << what << '\n';
}

class ThrowsStd : public dojobber::Job {
 public:
  void Check(Context&) override { throw std::runtime_error("std failure"); }
  void Run(Context&) override {}
};

class ThrowsInt : public dojobber::Job {
 public:
  void Check(Context&) override { throw 42; }
  void Run(Context&) override {}
};

class ThrowsInConstructor final : public dojobber::Job {
 public:
  ThrowsInConstructor() { throw std::runtime_error("no resources"); }
  void Check(Context&) override {}
  void Run(Context&) override {}
};

class ThrowsInCleanup : public dojobber::Job {
 public:
  void Check(Context&) override {}
  void Run(Context&) override {}
  void Cleanup(Context&) override { throw std::runtime_error("cannot unmount"); }
};

// Crashes for real: the default action of the signal, even where a sanitizer
// installed a handler of its own.
[[noreturn]] void Crash(int signal) {
  ::signal(signal, SIG_DFL);
  ::raise(signal);
  std::abort();
}

class Segfault : public dojobber::Job {
 public:
  void Check(Context&) override { Crash(SIGSEGV); }
  void Run(Context&) override {}
};

class Abort : public dojobber::Job {
 public:
  void Check(Context&) override { Crash(SIGABRT); }
  void Run(Context&) override {}
};

class Terminate : public dojobber::Job {
 public:
  void Check(Context&) override {
    ::signal(SIGABRT, SIG_DFL);
    std::terminate();
  }
  void Run(Context&) override {}
};

class Exit3 : public dojobber::Job {
 public:
  void Check(Context&) override { std::exit(3); }
  void Run(Context&) override {}
};

class Hang : public dojobber::Job {
 public:
  void Check(Context&) override {
    while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  void Run(Context&) override {}
};

class SleepsPastTimeout : public dojobber::Job {
 public:
  void Check(Context&) override { std::this_thread::sleep_for(std::chrono::seconds(3)); }
  void Run(Context&) override {}
};

class Chatty : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    const std::string line(1023, 'x');
    for (int i = 0; i < 4096; ++i) ctx.log() << i << ' ' << line << '\n';
    for (int i = 0; i < 4096; ++i) std::printf("out %d %s\n", i, line.c_str());
    std::fflush(stdout);
  }
  void Run(Context&) override {}
};

class ThrowsNullWhat : public dojobber::Job {
 public:
  void Check(Context&) override { throw faults::NullWhat(); }
  void Run(Context&) override {}
  void Cleanup(Context& ctx) override { Mark(ctx, "ThrowsNullWhat cleaned up"); }
};

class ThrowsThrowingWhat : public dojobber::Job {
 public:
  void Check(Context&) override { throw dojobber::testing::ThrowingWhat(); }
  void Run(Context&) override {}
  void Cleanup(Context& ctx) override { Mark(ctx, "ThrowsThrowingWhat cleaned up"); }
};

class BrokenWhat : public dojobber::DummyJob {};

class RenamesStartDir : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    if (!std::filesystem::is_directory(ctx.args().GetString("rename_to"))) {
      ctx.Fail("not renamed yet");
    }
  }
  // The engine makes the starting directory current before each phase.
  void Run(Context& ctx) override {
    std::filesystem::rename(std::filesystem::current_path(), ctx.args().GetString("rename_to"));
  }
};

// The phase's start is where the run started: the engine made it current.
bool StartsAtStartDir(Context& ctx) {
  const std::filesystem::path here = std::filesystem::current_path();
  if (std::filesystem::equivalent(here, ctx.args().GetString("start_dir"))) return true;
  ctx.Fail(std::string(dojobber::PhaseName(ctx.phase())) + " started in " + here.string());
  return false;
}

class Wanders : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    const bool at_start = StartsAtStartDir(ctx);
    if (ctx.is_recheck()) {
      std::filesystem::current_path("/");
    } else if (::chdir("/") != 0) {
      throw std::runtime_error("chdir /");
    }
    if (at_start && !ctx.is_recheck()) ctx.Fail("not wandered yet");
  }
  void Run(Context& ctx) override {
    StartsAtStartDir(ctx);
    const int root = ::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);  // NOLINT: vararg API.
    const bool moved = root >= 0 && ::fchdir(root) == 0;
    if (root >= 0) ::close(root);
    if (!moved) throw std::runtime_error("fchdir /");
  }
};

class AfterWanders : public dojobber::Job {
 public:
  void Check(Context& ctx) override { StartsAtStartDir(ctx); }
  void Run(Context&) override {}
};

class Slow : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    if (!ctx.is_recheck()) ctx.Fail("not slept yet");
  }
  void Run(Context& ctx) override {
    ctx.log() << "sleeping" << std::endl;
    std::this_thread::sleep_for(std::chrono::milliseconds(ctx.args().GetInt("slow_ms", 2000)));
    Mark(ctx, "Slow finished");
  }
};

class Survivor : public dojobber::Job {
 public:
  void Check(Context&) override {}
  void Run(Context&) override {}
  void Cleanup(Context& ctx) override { Mark(ctx, "Survivor cleaned up"); }
};

class All : public dojobber::DummyJob {};

class Retried : public dojobber::Job {
 public:
  void Check(Context& ctx) override { ctx.Fail("not yet"); }
  void Run(Context&) override {}
};

class AfterSlow : public dojobber::Job {
 public:
  void Check(Context& ctx) override { Mark(ctx, "AfterSlow tried"); }
  void Run(Context&) override {}
};

class Survivable : public dojobber::DummyJob {};

class CrashInRunWithCleanup : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    if (!ctx.is_recheck()) ctx.Fail("not run yet");
  }
  void Run(Context& ctx) override {
    ctx.local()["ran"] = true;
    Crash(SIGSEGV);
  }
  void Cleanup(Context& ctx) override {
    Mark(ctx, "CrashInRunWithCleanup cleaned up, local storage " + ctx.local().dump());
  }
};

class HangWithCleanup : public dojobber::Job {
 public:
  void Check(Context&) override {
    while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  void Run(Context&) override {}
  void Cleanup(Context& ctx) override {
    Mark(ctx, "HangWithCleanup cleaned up, local storage " + ctx.local().dump());
  }
};

class SlowChain : public dojobber::DummyJob {};

class MissingA : public dojobber::Job {
 public:
  void Check(Context& ctx) override { ctx.Fail("missing a"); }
  void Run(Context&) override {}
};

// Ends when the stop reaches it, so that the stop, not a clock, decides
// when the Check ends: nothing starts after it.
class SlowCheck : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    ctx.log() << "checking" << std::endl;
    const bool deaf = ctx.args().GetBool("deaf", false);
    while (deaf || !ctx.stop_requested()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  void Run(Context&) override {}
};

class CheckChain : public dojobber::DummyJob {};

}  // namespace

DOJOBBER_PLUGIN(registry) {
  registry.Add<ThrowsStd>("ThrowsStd").Tries(1);
  registry.Add<ThrowsInt>("ThrowsInt").Tries(1);
  registry.Add("ThrowsInConstructor", [] { return std::make_unique<ThrowsInConstructor>(); })
      .Tries(1);
  registry.Add<ThrowsInCleanup>("ThrowsInCleanup");
  registry.Add<Segfault>("Segfault").Tries(1);
  registry.Add<Abort>("Abort").Tries(1);
  registry.Add<Terminate>("Terminate").Tries(1);
  registry.Add<Exit3>("Exit3").Tries(1);
  registry.Add<Hang>("Hang").Tries(1).Timeout(1);
  registry.Add<SleepsPastTimeout>("SleepsPastTimeout").Tries(1).Timeout(1);
  registry.Add<Chatty>("Chatty");
  registry.Add<Slow>("Slow").Tries(1);
  registry.Add<Survivor>("Survivor");
  registry.Add<All>("All").Deps({"Survivor", "ThrowsStd", "ThrowsInt", "ThrowsInConstructor",
                                 "ThrowsInCleanup", "Segfault", "Abort", "Terminate", "Exit3",
                                 "Hang", "SleepsPastTimeout", "Chatty"});

  registry.Add<Survivable>("Survivable")
      .Deps({"Survivor", "ThrowsStd", "ThrowsInt", "ThrowsInConstructor", "Hang",
             "SleepsPastTimeout"});
  registry.Add<ThrowsInCleanup>("ThrowsInCleanupAfterSurvivor").Deps({"Survivor"});
  registry.Add<Survivor>("SurvivorAfterThrowsInCleanup").Deps({"ThrowsInCleanup"});
  registry.Add<Retried>("Retried");
  registry.Add<AfterSlow>("AfterSlow").Deps({"Survivor", "Slow"});
  registry.Add<SlowChain>("SlowChain").Deps({"Retried", "AfterSlow"});
  registry.Add<CrashInRunWithCleanup>("CrashInRunWithCleanup").Tries(1);
  registry.Add<HangWithCleanup>("HangWithCleanup").Tries(1).Timeout(0.5);
  registry.Add<ThrowsNullWhat>("ThrowsNullWhat").Tries(1);
  registry.Add<ThrowsThrowingWhat>("ThrowsThrowingWhat").Tries(1);
  registry.Add<RenamesStartDir>("RenamesStartDir").Tries(1);
  registry.Add<Wanders>("Wanders").Tries(1);
  registry.Add<AfterWanders>("AfterWanders").Deps({"Wanders"}).Tries(1);
  registry.Add<MissingA>("MissingA").Tries(3);
  registry.Add<SlowCheck>("SlowCheck").Tries(1);
  registry.Add<AfterSlow>("AfterSlowCheck").Deps({"SlowCheck"});
  registry.Add<CheckChain>("CheckChain").Deps({"MissingA", "AfterSlowCheck"});
  registry.Add<BrokenWhat>("BrokenWhat").Deps({"Survivor", "ThrowsNullWhat", "ThrowsThrowingWhat"});
}
