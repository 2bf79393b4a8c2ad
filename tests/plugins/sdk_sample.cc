// The SDK sample of the product issue, compiled as written: a plugin author's
// first plugin. The e2e tests run it to prove that the sample works as shown.
//
// Party
// |-- TurnOnTV          has a Cleanup
// |   `-- FindTVRemote
// |-- Food              dummy
// |   |-- PopcornBowl   8 tries, 0.001 s apart; succeeds on its 2nd try
// |   `-- Pizza         runonly
// |-- Invite Ada        one per friend, created from data
// |   `-- DetermineDetails
// `-- Invite Grace
//     `-- DetermineDetails

#include <memory>
#include <string>
#include <utility>
#include <vector>

// clang-format off
// The sample, exactly as the issue shows it.
#include <dojobber/dojobber.h>

class TurnOnTV : public dojobber::Job {
 public:
  void Check(dojobber::Context& ctx) override;   // throw to fail
  void Run(dojobber::Context& ctx) override;
  void Cleanup(dojobber::Context& ctx) override; // optional; default does nothing
};
class Food : public dojobber::DummyJob {};
class Pizza : public dojobber::RunonlyJob {     // writes Run only
 public:
  void Run(dojobber::Context& ctx) override;
};
// clang-format on

// What the sample leaves out: the other jobs and the method bodies.

class FindTVRemote : public dojobber::Job {
 public:
  void Check(dojobber::Context&) override {}
  void Run(dojobber::Context&) override {}
};

class PopcornBowl : public dojobber::Job {
 public:
  void Check(dojobber::Context& ctx) override {
    if (ctx.global().Value<int>("bowl_runs", 0) < 2) throw dojobber::Error("Bowl still dirty.");
  }
  void Run(dojobber::Context& ctx) override { ctx.global().Add("bowl_runs", 1); }
};

class DetermineDetails : public dojobber::DummyJob {};

class Invite : public dojobber::Job {
 public:
  Invite(std::string name, std::string email) : name_(std::move(name)), email_(std::move(email)) {}

  void Check(dojobber::Context& ctx) override {
    if (!ctx.local().value("sent", false)) throw dojobber::Error("Invite not sent yet.");
  }
  void Run(dojobber::Context& ctx) override {
    ctx.SetResult({{"to", name_ + " <" + email_ + ">"}});
    ctx.local()["sent"] = true;
  }

 private:
  std::string name_;
  std::string email_;
};

class Party : public dojobber::DummyJob {};

void TurnOnTV::Check(dojobber::Context& ctx) {
  if (!ctx.local().value("on", false)) throw dojobber::Error("The TV is off.");
}

void TurnOnTV::Run(dojobber::Context& ctx) {
  ctx.local()["on"] = true;
  ctx.log() << "TV on.\n";
}

void TurnOnTV::Cleanup(dojobber::Context& ctx) { ctx.log() << "TV off.\n"; }

void Pizza::Run(dojobber::Context& ctx) { ctx.log() << "Pizza ordered.\n"; }

namespace {

struct Friend {
  std::string name;
  std::string email;
};

std::vector<Friend> Friends() {
  return {{"Ada", "ada@example.com"}, {"Grace", "grace@example.com"}};
}

}  // namespace

DOJOBBER_PLUGIN(registry) {
  std::vector<std::string> party = {"TurnOnTV", "Food"};
  registry.Add<FindTVRemote>("FindTVRemote");
  registry.Add<Pizza>("Pizza");
  registry.Add<Food>("Food").Deps({"PopcornBowl", "Pizza"});
  registry.Add<DetermineDetails>("DetermineDetails");
  // clang-format off
  registry.Add<TurnOnTV>("TurnOnTV").Deps({"FindTVRemote"});
  registry.Add<PopcornBowl>("PopcornBowl").Tries(8).RetryDelay(0.001);
  // clang-format on
  for (const Friend& invitee : Friends()) {
    const std::string& name = invitee.name;
    const std::string& email = invitee.email;
    // clang-format off
    std::vector<std::string> deps = {"DetermineDetails"};
    registry.Add("Invite " + name, [=] { return std::make_unique<Invite>(name, email); })
        .Deps(deps);                               // dynamically created job
    // clang-format on
    party.push_back("Invite " + name);
  }
  registry.Add<Party>("Party").Deps(party);
}
