// Jobs whose names and texts test how dojobber shows text on a terminal.
// Run one with `--root <Name>`.
//
//   Spoof        1 try; fails with "\x1b[2K\x1b[1A ok" (erase the line, go
//                up, print a fake "ok"); its Run logs a line with colour
//                escapes and a CR, and a line with a byte that is not UTF-8;
//                its Cleanup throws a message with a BEL and a newline
//   Names        ok; depends on "東京 backup" (wide characters), "Repo café"
//                (é as one character) and "Repo cafe\u0301" (e and a
//                combining accent), all ok
//
// With `--arg registration_error=<text>`, registration throws <text>.

#include <stdexcept>
#include <string>

#include <dojobber/dojobber.h>

namespace {

class Spoof : public dojobber::Job {
 public:
  void Check(dojobber::Context&) override { throw dojobber::Error("\x1b[2K\x1b[1A ok"); }
  void Run(dojobber::Context& ctx) override {
    ctx.log() << "\x1b[31mred\x1b[0m\rok\n";
    ctx.log() << "bad \xff byte\n";
  }
  void Cleanup(dojobber::Context&) override { throw dojobber::Error("bell\a\nsecond line"); }
};

class Ok : public dojobber::Job {
 public:
  void Check(dojobber::Context&) override {}
  void Run(dojobber::Context&) override {}
};

}  // namespace

DOJOBBER_PLUGIN(registry) {
  const auto& keywords = registry.args().keywords();
  if (auto error = keywords.find("registration_error"); error != keywords.end()) {
    throw std::runtime_error(error->second);
  }
  registry.Add<Spoof>("Spoof").Tries(1);
  registry.Add<Ok>("東京 backup");
  registry.Add<Ok>("Repo café");
  registry.Add<Ok>("Repo cafe\u0301");
  registry.Add<Ok>("Names").Deps({"東京 backup", "Repo café", "Repo cafe\u0301"});
}
