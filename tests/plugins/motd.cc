// The README's opening example, built and run by the e2e tests so that the
// README shows what really happens.
#include <dojobber/dojobber.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

// The folder `dir` exists.
class MotdDir : public dojobber::Job {
 public:
  void Check(dojobber::Context& ctx) override {
    if (!std::filesystem::is_directory(ctx.args().GetString("dir"))) {
      throw dojobber::Error("no folder " + ctx.args().GetString("dir"));
    }
  }
  void Run(dojobber::Context& ctx) override {
    std::filesystem::create_directories(ctx.args().GetString("dir"));
  }
};

// The file `dir`/motd holds `message`.
class Motd : public dojobber::Job {
 public:
  void Check(dojobber::Context& ctx) override {
    std::ifstream file(Path(ctx));
    const std::string text(std::istreambuf_iterator<char>(file), {});
    if (text != ctx.args().GetString("message") + "\n") {
      throw dojobber::Error("motd is out of date");
    }
  }
  void Run(dojobber::Context& ctx) override {
    std::ofstream(Path(ctx)) << ctx.args().GetString("message") << "\n";
  }

 private:
  static std::string Path(dojobber::Context& ctx) { return ctx.args().GetString("dir") + "/motd"; }
};

DOJOBBER_PLUGIN(registry) {
  registry.Add<MotdDir>("MotdDir");
  registry.Add<Motd>("Motd").Deps({"MotdDir"});
}
