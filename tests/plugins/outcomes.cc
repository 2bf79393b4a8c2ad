// Jobs whose outcomes test what comes back from a try, wherever it runs:
// sizes, bytes, counts and depths that an out-of-process channel could lose.
// Run one with `--root <Name>`.
//
//   Big           result, local storage, a global storage value and a log
//                 line of `size` bytes (default 200000); its recheck and
//                 Cleanup check that each came back whole
//   BigError      fails with an error message of `size` bytes
//   Bytes         stores bytes that are not UTF-8 (\xff\xfe\x80, \xc3\x28,
//                 a NUL) in local and global storage; its Cleanup writes the
//                 local value to the file `marker`; BytesReader, after it,
//                 fails unless the global value is byte for byte the same
//   Count         `count` jobs (default 1000) each Add 1 to "count" and
//                 Update "repos"[name]; CountTotal, after them all, fails
//                 unless the count and the entries are exactly `count`
//   Deep          records a result nested `depth` levels (default 50000)
//   Cleanups      CleanupB after CleanupA, each with a Cleanup that writes
//                 its name to `marker` (so the marker shows their order)
//   Hinted        asks for 2 CPUs and 100 MiB; records what Slurm gave its
//                 job (scontrol show job: CPUs/Task, MinMemoryNode)
//   TooBig        asks for 4096 CPUs
//   WaitsForStop  its Check logs "waiting for the stop", waits up to 60 s
//                 for ctx.stop_requested(),
//                 writes "stop seen" to `marker`, then fails; its Run writes
//                 "ran" to `marker`

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <dojobber/dojobber.h>

namespace {

using dojobber::Context;
using dojobber::Error;
using nlohmann::json;

std::string Big(Context& ctx) {
  return std::string(static_cast<std::size_t>(ctx.args().GetInt("size", 200000)), 'b');
}

const std::string& Bytes() {
  static constexpr char kBytes[] = "/tmp/\xff\xfe\x80 \xc3\x28 \0 end";
  static const std::string bytes(kBytes, sizeof kBytes - 1);
  return bytes;
}

void Mark(Context& ctx, const std::string& what) {
  std::ofstream(ctx.args().GetString("marker"), std::ios::app | std::ios::binary) << what << '\n';
}

class BigJob final : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    if (!ctx.is_recheck()) throw Error("not yet");
    const std::string big = Big(ctx);
    if (ctx.local().value("big", std::string()) != big) throw Error("local storage was cut");
    if (ctx.global().Get("big") != big) throw Error("global storage was cut");
    ctx.SetResult(big);
  }
  void Run(Context& ctx) override {
    const std::string big = Big(ctx);
    ctx.local()["big"] = big;
    ctx.global().Set("big", big);
    ctx.log() << big << '\n';
  }
  void Cleanup(Context& ctx) override {
    if (ctx.local().value("big", std::string()) != Big(ctx)) {
      throw Error("local storage came to the Cleanup cut");
    }
  }
};

class BigError final : public dojobber::Job {
 public:
  void Check(Context& ctx) override { throw Error(Big(ctx)); }
  void Run(Context&) override {}
};

class BytesJob final : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    if (!ctx.is_recheck()) throw Error("not yet");
  }
  void Run(Context& ctx) override {
    ctx.local()["path"] = Bytes();
    ctx.global().Set(Bytes(), Bytes());
  }
  void Cleanup(Context& ctx) override { Mark(ctx, ctx.local().value("path", std::string())); }
};

class BytesReader final : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    if (ctx.global().Get(Bytes()) != Bytes()) throw Error("global storage changed the bytes");
  }
  void Run(Context&) override {}
};

class Counter final : public dojobber::Job {
 public:
  explicit Counter(std::string name) : name_(std::move(name)) {}
  void Check(Context& ctx) override {
    ctx.global().Add("count", 1);
    ctx.global().Update([&](json& all) { all["repos"][name_] = ctx.try_number(); });
  }
  void Run(Context&) override {}

 private:
  std::string name_;
};

class CountTotal final : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    const std::int64_t count = ctx.args().GetInt("count", 1000);
    const json total = ctx.global().Get("count");
    const std::size_t repos = ctx.global().Get("repos").size();
    ctx.SetResult({{"count", total}, {"repos", repos}});
    if (total != count || repos != static_cast<std::size_t>(count)) {
      throw Error("count " + total.dump() + ", repos " + std::to_string(repos) + ", expected " +
                  std::to_string(count));
    }
  }
  void Run(Context&) override {}
};

class Deep final : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    json value = 1;
    for (std::int64_t i = ctx.args().GetInt("depth", 50000); i > 0; --i) {
      value = json::array({std::move(value)});
    }
    ctx.SetResult(std::move(value));
  }
  void Run(Context&) override {}
};

class Cleaned final : public dojobber::Job {
 public:
  explicit Cleaned(std::string name) : name_(std::move(name)) {}
  void Check(Context&) override {}
  void Run(Context&) override {}
  void Cleanup(Context& ctx) override { Mark(ctx, name_); }

 private:
  std::string name_;
};

class Hinted final : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    const char* job = std::getenv("SLURM_JOB_ID");
    if (job == nullptr) throw Error("not in a Slurm job");
    std::string shown;
    if (FILE* pipe = ::popen(("scontrol show job " + std::string(job)).c_str(), "r")) {
      char buffer[4096];
      while (std::size_t got = std::fread(buffer, 1, sizeof buffer, pipe))
        shown.append(buffer, got);
      ::pclose(pipe);
    }
    auto field = [&](const std::string& name) {
      const std::size_t at = shown.find(name + "=");
      if (at == std::string::npos) return std::string();
      const std::size_t begin = at + name.size() + 1;
      return shown.substr(begin, shown.find_first_of(" \n", begin) - begin);
    };
    ctx.SetResult({{"cpus", field("CPUs/Task")}, {"mem", field("MinMemoryNode")}});
  }
  void Run(Context&) override {}
};

class WaitsForStop final : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    ctx.log() << "waiting for the stop" << std::endl;
    for (int i = 0; i < 6000 && !ctx.stop_requested(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (ctx.stop_requested()) Mark(ctx, "stop seen");
    throw Error("not yet");
  }
  void Run(Context& ctx) override { Mark(ctx, "ran"); }
};

}  // namespace

DOJOBBER_PLUGIN(registry) {
  registry.Add<BigJob>("Big").Tries(1);
  registry.Add<BigError>("BigError").Tries(1);
  registry.Add<BytesJob>("BytesWriter").Tries(1);
  registry.Add<BytesReader>("BytesReader").Deps({"BytesWriter"}).Tries(1);
  registry.Add<dojobber::DummyJob>("Bytes").Deps({"BytesReader"});
  std::vector<std::string> counters;
  const std::int64_t count = registry.args().GetInt("count", 1000);
  for (std::int64_t i = 0; i < count; ++i) {
    counters.push_back("Count" + std::to_string(i));
    const std::string name = counters.back();
    registry.Add(name, [name] { return std::make_unique<Counter>(name); }).Tries(1);
  }
  registry.Add<CountTotal>("CountTotal").Deps(counters).Tries(1);
  registry.Add<dojobber::DummyJob>("Count").Deps({"CountTotal"});
  registry.Add<Deep>("Deep").Tries(1);
  registry.Add<WaitsForStop>("WaitsForStop").Tries(1);
  registry.Add<Hinted>("Hinted").Tries(1).Cpus(2).MemoryMiB(100);
  registry.Add<Hinted>("TooBig").Tries(1).Cpus(4096);
  registry.Add("CleanupA", [] { return std::make_unique<Cleaned>("CleanupA"); });
  registry.Add("CleanupB", [] { return std::make_unique<Cleaned>("CleanupB"); }).Deps({"CleanupA"});
  registry.Add<dojobber::DummyJob>("Cleanups").Deps({"CleanupB"});
}
