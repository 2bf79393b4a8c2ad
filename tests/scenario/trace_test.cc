// SEMANTICS.md, "Output": the verbose and debug traces of whole runs, through
// the real TraceWriter, and the jobs' own log lines.

#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/trace_writer.h"
#include "support/test_support.h"

namespace dojobber {
namespace {

using testing::CheckThat;
using testing::Fails;
using testing::Harness;
using Lines = std::vector<std::string>;

// The movie night of the original examples, small:
//
//   WatchMovie
//     +-- TurnOnTV -- FindTVRemote
//     +-- Popcorn (fixed by its Run)
//     +-- Pizza (never arrives)
void AddMovieNight(Harness& h) {
  h.Add("WatchMovie").Deps({"TurnOnTV", "Popcorn", "Pizza"});
  h.Add("TurnOnTV").Deps({"FindTVRemote"});
  h.Add("FindTVRemote", {{}, {}, [](Context&) {}});
  h.Add("Popcorn",
        {CheckThat([](Context& c) { return c.global().Contains("popped"); }, "no popcorn"),
         [](Context& c) { c.global().Set("popped", true); },
         {}});
  h.Add("Pizza", {Fails("Pizza \"Margherita\" not delivered\nstill waiting"),
                  [](Context&) { throw std::runtime_error("phone busy"); },
                  {}})
      .Tries(2);
}

TEST(TraceTest, VerboseTraceOfASmallGraph) {
  Harness h;
  AddMovieNight(h);
  std::ostringstream out;
  core::TraceWriter trace(out, {.verbose = true});
  core::RunResult result = h.Run("WatchMovie", {}, &trace);
  EXPECT_FALSE(result.success);
  EXPECT_EQ(out.str(),
            "FindTVRemote.check: pass\n"
            "TurnOnTV.check: pass\n"
            "Popcorn.check: fail\n"
            "Popcorn.run: pass\n"
            "Popcorn.recheck: pass\n"
            "Pizza.check: fail\n"
            "Pizza.run: fail\n"
            "Pizza.recheck: fail \"Pizza \"Margherita\" not delivered\\nstill waiting\"\n"
            "Pizza.check: fail\n"
            "Pizza.run: fail\n"
            "Pizza.recheck: fail \"Pizza \"Margherita\" not delivered\\nstill waiting\"\n"
            "FindTVRemote.cleanup: pass\n");
}

TEST(TraceTest, DebugAddsIndentedTypeAndMessageUnderFailures) {
  Harness h;
  h.Add("Root").Deps({"Broken"});
  h.Add("Broken", {Fails("absent"), [](Context&) { throw 7; }, {}}).Tries(1);
  std::ostringstream out;
  core::TraceWriter trace(out, {.debug = true});
  (void)h.Run("Root", {}, &trace);
  EXPECT_EQ(out.str(),
            "Broken.check: fail\n"
            "    dojobber::Error: absent\n"
            "Broken.run: fail\n"
            "    int: exception of type 'int'\n"
            "Broken.recheck: fail \"absent\"\n"
            "    dojobber::Error: absent\n");
}

TEST(TraceTest, DebugDetailOfAFailCallHasNoType) {
  Harness h;
  h.Add("Quiet", {[](Context& c) { c.Fail("not yet"); }, {}, {}}).Tries(1);
  std::ostringstream out;
  core::TraceWriter trace(out, {.debug = true});
  (void)h.Run("Quiet", {}, &trace);
  EXPECT_EQ(out.str(),
            "Quiet.check: fail\n"
            "    not yet\n"
            "Quiet.run: pass\n"
            "Quiet.recheck: fail \"not yet\"\n"
            "    not yet\n");
}

TEST(TraceTest, DebugShowsWhyAConstructorFailed) {
  Harness h;
  h.registry.Add("Fragile", []() -> std::unique_ptr<Job> { throw std::logic_error("bad wiring"); })
      .Tries(1);
  std::ostringstream out;
  core::TraceWriter trace(out, {.debug = true});
  (void)h.Run("Fragile", {}, &trace);
  EXPECT_EQ(out.str(),
            "Fragile.check: fail\n"
            "    std::logic_error: cannot create the job: bad wiring\n");
}

TEST(TraceTest, FailingCleanupIsTraced) {
  Harness h;
  h.Add("Mount", {{}, {}, [](Context&) { throw Error("device busy"); }});
  std::ostringstream out;
  core::TraceWriter trace(out, {.debug = true});
  (void)h.Run("Mount", {}, &trace);
  EXPECT_EQ(out.str(),
            "Mount.check: pass\n"
            "Mount.cleanup: fail \"device busy\"\n"
            "    dojobber::Error: device busy\n");
}

TEST(TraceTest, QuietTraceHasOnlyJobLogs) {
  Harness h;
  h.Add("Chatty", {[](Context& c) { c.log() << "checking\n"; }, {}, {}});
  std::ostringstream out;
  core::TraceWriter trace(out, {});
  (void)h.Run("Chatty", {}, &trace);
  EXPECT_EQ(out.str(), "[Chatty] checking\n");
}

TEST(TraceTest, JobLogLinesReachTheObserverWhole) {
  Harness h;
  h.Add("Chatty", {[](Context& c) {
                     c.log() << "check " << c.try_number() << ": ";
                     c.log() << (c.is_recheck() ? "fine" : "broken") << "\nnext ";
                     if (!c.is_recheck()) throw Error("broken");
                   },
                   [](Context& c) { c.log() << "line from run\n"; },
                   {}});
  (void)h.Run("Chatty");
  EXPECT_EQ(h.observer.logs(), (Lines{"Chatty: check 1: broken", "Chatty: next line from run",
                                      "Chatty: check 1: fine", "Chatty: next "}));
}

TEST(TraceTest, JobLogLinesAppearWhereTheyWereWritten) {
  Harness h;
  h.Add("Root", {[](Context& c) { c.log() << "root says hi\n"; }, {}, {}}).Deps({"Leaf"});
  h.Add("Leaf", {[](Context& c) { c.log() << "leaf says hi\n"; }, {}, {}});
  std::ostringstream out;
  core::TraceWriter trace(out, {.verbose = true});
  (void)h.Run("Root", {}, &trace);
  EXPECT_EQ(out.str(),
            "[Leaf] leaf says hi\n"
            "Leaf.check: pass\n"
            "[Root] root says hi\n"
            "Root.check: pass\n");
}

TEST(TraceTest, EachTryHasItsOwnLogLine) {
  Harness h;
  h.Add("Chatty", {[](Context& c) {
                     c.log() << "try " << c.try_number();
                     throw Error("no");
                   },
                   {},
                   {}})
      .Tries(2);
  (void)h.Run("Chatty");
  EXPECT_EQ(h.observer.logs(), (Lines{"Chatty: try 1try 1", "Chatty: try 2try 2"}));
}

}  // namespace
}  // namespace dojobber
