// Jobs that fail in the ways a job's error, a fatal failure and the retry
// delays are reported: the report and the status table must say why each
// failed and when each try started. Run one with `--root <Name>`.
//
//   RunThenRecheck  Check fails ("no config"); Run throws "cannot create
//                   directories"; the recheck fails ("no config"). Tries 2.
//   FatalCheck      Check throws dojobber::Fatal. Tries 5.
//   FatalRun        Check fails; Run throws dojobber::Fatal. Tries 5.
//   FatalRecheck    Check fails; Run returns; the recheck throws Fatal.
//   FatalCtor       The constructor throws dojobber::Fatal. Tries 5.
//   FatalCtx        Check calls ctx.FailFatal(). Tries 5.
//   Backoff         always fails; Tries 5, RetryDelay 0.05, backoff
//                   factor 2 with a cap of 0.3 s: delays 0.05, 0.1, 0.2, 0.3.
//   Jittered        always fails; Tries 4, RetryDelay 0.05, backoff 2,
//                   jitter 0.5.
//   Plain           always fails; sets nothing of its own, so the run's
//                   defaults apply.
//   BadBackoff, BadJitter, BadMaxDelay
//                   set a backoff factor of 0.5, a jitter of 1.5, a maximum
//                   delay of -1: a graph with one of them is refused (so
//                   `list` needs `--root` here).
//
// Every Fatal job has 5 tries 0.01 s apart: a fatal failure that were
// retried would show 5 tries.

#include <dojobber/dojobber.h>

namespace {

using dojobber::Context;
using dojobber::Error;
using dojobber::Fatal;

class RunThenRecheck final : public dojobber::Job {
 public:
  void Check(Context&) override { throw Error("no config"); }
  void Run(Context&) override {
    throw Error("cannot create directories: No such file or directory");
  }
};

class FatalCheck final : public dojobber::Job {
 public:
  void Check(Context&) override { throw Fatal("malformed argument 'x'"); }
  void Run(Context&) override {}
};

class FatalRun final : public dojobber::Job {
 public:
  void Check(Context&) override { throw Error("not there"); }
  void Run(Context&) override { throw Fatal("licence refused"); }
};

class FatalRecheck final : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    if (ctx.is_recheck()) throw Fatal("wrong version installed");
    throw Error("not there");
  }
  void Run(Context&) override {}
};

class FatalCtor final : public dojobber::Job {
 public:
  FatalCtor() { throw Fatal("no such account"); }
  void Check(Context&) override {}
  void Run(Context&) override {}
};

class FatalCtx final : public dojobber::Job {
 public:
  void Check(Context& ctx) override { return ctx.FailFatal("bad name"); }
  void Run(Context&) override {}
};

class AlwaysFails final : public dojobber::Job {
 public:
  void Check(Context&) override { throw Error("still failing"); }
  void Run(Context&) override {}
};

}  // namespace

DOJOBBER_PLUGIN(registry) {
  registry.Add<RunThenRecheck>("RunThenRecheck").Tries(2).RetryDelay(0);
  registry.Add<FatalCheck>("FatalCheck").Tries(5).RetryDelay(0.01);
  registry.Add<FatalRun>("FatalRun").Tries(5).RetryDelay(0.01);
  registry.Add<FatalRecheck>("FatalRecheck").Tries(5).RetryDelay(0.01);
  registry.Add<FatalCtor>("FatalCtor").Tries(5).RetryDelay(0.01);
  registry.Add<FatalCtx>("FatalCtx").Tries(5).RetryDelay(0.01);
  registry.Add<AlwaysFails>("Backoff").Tries(5).RetryDelay(0.05).RetryBackoff(2, 0.3);
  registry.Add<AlwaysFails>("Jittered")
      .Tries(4)
      .RetryDelay(0.05)
      .RetryBackoff(2, 10)
      .RetryJitter(0.5);
  registry.Add<AlwaysFails>("Plain");
  registry.Add<AlwaysFails>("BadBackoff").RetryBackoff(0.5, 10);
  registry.Add<AlwaysFails>("BadJitter").RetryJitter(1.5);
  registry.Add<AlwaysFails>("BadMaxDelay").RetryBackoff(2, -1);
}
