#ifndef DOJOBBER_JOB_H_
#define DOJOBBER_JOB_H_

#include <dojobber/context.h>
#include <dojobber/error.h>

namespace dojobber {

/// One small, idempotent unit of work. The engine calls Check; if it throws,
/// Run, then Check again (the recheck). A fresh object is created for every
/// try, so members live for one try, like local storage.
///
///     class TurnOnTV : public dojobber::Job {
///      public:
///       void Check(dojobber::Context& ctx) override {
///         if (ctx.args().GetString("battery_state", "dead") != "charged")
///           throw dojobber::Error("Remote batteries are dead.");
///       }
///       void Run(dojobber::Context&) override {}
///     };
class Job {
 public:
  virtual ~Job() = default;

  /// Returns if the desired state holds; throws (anything) if it does not.
  virtual void Check(Context& ctx) = 0;
  /// Tries to make the state hold. Whether it throws is recorded, but only
  /// the recheck decides the job's outcome.
  virtual void Run(Context& ctx) = 0;
  /// Called once for every try, after the run, in reverse order of creation.
  /// A throwing Cleanup stops the cleanups that would follow it.
  virtual void Cleanup(Context& ctx) { (void)ctx; }
};

/// A job that always passes: a named group of dependencies.
///
///     class Food : public dojobber::DummyJob {};
class DummyJob : public Job {
 public:
  void Check(Context&) final {}
  void Run(Context&) final {}
};

/// A job with only a Run, which runs at every try. Its first Check fails;
/// its recheck passes if Run returned and fails with Run's error if Run threw.
/// It can never succeed in a no-act run. Prefer a Job with a real Check.
class RunonlyJob : public Job {
 public:
  void Check(Context& ctx) final {
    if (ctx.phase() != Phase::kRecheck) {
      throw Error("Runonly node check intentionally fails first time.");
    }
    if (ctx.run_error()) throw Error(*ctx.run_error());
  }
};

}  // namespace dojobber

#endif  // DOJOBBER_JOB_H_
