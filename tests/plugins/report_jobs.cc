// Jobs whose outcomes the JSON report and the argument tests check.
//
// ReportRoot                 dummy; blocked
// |-- Echo                   logs and records the run's arguments as its result
// |-- Answer                 ok; result 42
// |-- Flaky                  changed on its 2nd try; result {"try": 2}
// |-- Broken                 1 try; fails with a two-line message with quotes
// |-- ThrowsInt              1 try; throws an int, not a std::exception
// |-- BadConstructor         1 try; its constructor throws
// |-- Twice                  ok; declares Answer twice
// `-- Downstream             blocked
//     `-- Broken

#include <cstddef>

#include <dojobber/dojobber.h>

namespace {

class Echo : public dojobber::Job {
 public:
  void Check(dojobber::Context& ctx) override {
    if (!ctx.local().value("echoed", false)) throw dojobber::Error("not echoed yet");
  }
  void Run(dojobber::Context& ctx) override {
    const dojobber::Arguments& args = ctx.args();
    nlohmann::json keywords = nlohmann::json::object();
    for (std::size_t i = 0; i < args.positional().size(); ++i) {
      ctx.log() << "positional " << i << ": [" << args.positional()[i] << "]\n";
    }
    for (const auto& [key, value] : args.keywords()) {
      ctx.log() << "keyword [" << key << "]: [" << value << "]\n";
      keywords[key] = value;
    }
    ctx.SetResult({{"positional", args.positional()}, {"keywords", keywords}});
    ctx.local()["echoed"] = true;
  }
};

class Answer : public dojobber::Job {
 public:
  void Check(dojobber::Context& ctx) override { ctx.SetResult(42); }
  void Run(dojobber::Context&) override {}
};

class Flaky : public dojobber::Job {
 public:
  void Check(dojobber::Context& ctx) override {
    if (ctx.global().Value<int>("flaky_runs", 0) < 2) throw dojobber::Error("still flaky");
  }
  void Run(dojobber::Context& ctx) override {
    ctx.global().Add("flaky_runs", 1);
    ctx.SetResult({{"try", ctx.try_number()}});
  }
};

class Broken : public dojobber::Job {
 public:
  void Check(dojobber::Context&) override { throw dojobber::Error("line one\nsaid \"two\""); }
  void Run(dojobber::Context&) override {}
};

class ThrowsInt : public dojobber::Job {
 public:
  void Check(dojobber::Context&) override { throw 42; }
  void Run(dojobber::Context&) override {}
};

class BadConstructor : public dojobber::Job {
 public:
  BadConstructor() { throw dojobber::Error("no licence"); }
  void Check(dojobber::Context&) override {}
  void Run(dojobber::Context&) override {}
};

class Downstream : public dojobber::Job {
 public:
  void Check(dojobber::Context&) override {}
  void Run(dojobber::Context&) override {}
};

class ReportRoot : public dojobber::DummyJob {};

}  // namespace

DOJOBBER_PLUGIN(registry) {
  registry.Add<Echo>("Echo");
  registry.Add<Answer>("Answer");
  registry.Add<Flaky>("Flaky");
  registry.Add<Broken>("Broken").Tries(1);
  registry.Add<ThrowsInt>("ThrowsInt").Tries(1);
  registry.Add<BadConstructor>("BadConstructor").Tries(1);
  registry.Add<Downstream>("Twice").Deps({"Answer", "Flaky"}).Deps({"Answer"});
  registry.Add<Downstream>("Downstream").Deps({"Broken"});
  registry.Add<ReportRoot>("ReportRoot")
      .Deps({"Echo", "Answer", "Flaky", "Broken", "ThrowsInt", "BadConstructor", "Twice",
             "Downstream"});
}
