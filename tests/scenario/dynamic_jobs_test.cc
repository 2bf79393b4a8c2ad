// Jobs created at registration from the run's arguments (the "Invite <name>"
// pattern of the original examples), grouped under one job.
//
//   SendInvites (DummyJob)
//     +-- Invite alice --+
//     +-- Invite bob   --+-- DetermineDetails
//     +-- Invite carol --+

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber {
namespace {

using core::JobStatus;
using testing::Harness;
using Lines = std::vector<std::string>;

class DetermineDetails : public Job {
 public:
  void Check(Context& ctx) override {
    if (!ctx.global().Contains("place")) throw Error("no place yet");
  }
  void Run(Context& ctx) override { ctx.global().Set("place", ctx.args().GetString("place")); }
};

// `final`: it has no Cleanup, so the engine can free each object after its try.
class Invite final : public Job {
 public:
  explicit Invite(std::string guest) : guest_(std::move(guest)) {}
  void Check(Context& ctx) override {
    nlohmann::json sent = ctx.global().Get("sent");
    for (const auto& entry : sent) {
      if (entry == guest_) return;
    }
    throw Error(guest_ + " not invited");
  }
  void Run(Context& ctx) override {
    if (ctx.args().GetString("unreachable", "") == guest_) throw Error("mail bounced");
    const std::string place = ctx.global().Get("place").get<std::string>();
    ctx.global().Update([&](nlohmann::json& all) { all["sent"].push_back(guest_); });
    ctx.log() << "invited " << guest_ << " to " << place << '\n';
  }

 private:
  std::string guest_;
};

class SendInvites : public DummyJob {};

// What a plugin's registration function would do.
void RegisterInvites(Registry& registry) {
  registry.Add<DetermineDetails>("DetermineDetails");
  std::vector<std::string> invites;
  for (const std::string& guest : registry.args().positional()) {
    const std::string name = "Invite " + guest;
    registry.Add(name, [guest] { return std::make_unique<Invite>(guest); })
        .Deps({"DetermineDetails"});
    invites.push_back(name);
  }
  registry.Add<SendInvites>("SendInvites").Deps(invites);
}

TEST(DynamicJobsTest, OneJobPerArgumentUnderAGroup) {
  Harness h(Arguments({"alice", "bob", "carol"}, {{"place", "the couch"}}));
  RegisterInvites(h.registry);
  core::RunResult result = h.Run("SendInvites");
  ASSERT_FALSE(h.failure) << *h.failure;
  EXPECT_TRUE(result.success);
  EXPECT_EQ(result.jobs.size(), 5u);
  for (const char* guest : {"alice", "bob", "carol"}) {
    EXPECT_EQ(h.Job(result, std::string("Invite ") + guest).status, JobStatus::kChanged) << guest;
  }
  EXPECT_EQ(h.engine->global().Get("sent"), (nlohmann::json{"alice", "bob", "carol"}));
  EXPECT_EQ(h.observer.logs(), (Lines{"Invite alice: invited alice to the couch",
                                      "Invite bob: invited bob to the couch",
                                      "Invite carol: invited carol to the couch"}));
}

TEST(DynamicJobsTest, EachCreatedJobKeepsItsOwnData) {
  Harness h(Arguments({"alice", "bob"}, {{"place", "here"}, {"unreachable", "bob"}}));
  RegisterInvites(h.registry);
  core::RunResult result = h.Run("SendInvites");
  EXPECT_EQ(h.Job(result, "Invite alice").status, JobStatus::kChanged);
  EXPECT_EQ(h.Job(result, "Invite bob").status, JobStatus::kFailed);
  EXPECT_EQ(h.Job(result, "Invite bob").error, "bob not invited");
  EXPECT_EQ(h.Job(result, "SendInvites").status, JobStatus::kBlocked);
}

TEST(DynamicJobsTest, VerboseTraceNamesTheCreatedJobs) {
  Harness h(Arguments({"alice", "bob"}, {{"place", "here"}}));
  RegisterInvites(h.registry);
  (void)h.Run("SendInvites");
  EXPECT_EQ(h.observer.lines(),
            (Lines{"DetermineDetails.check: fail", "DetermineDetails.run: pass",
                   "DetermineDetails.recheck: pass", "Invite alice.check: fail",
                   "Invite alice.run: pass", "Invite alice.recheck: pass", "Invite bob.check: fail",
                   "Invite bob.run: pass", "Invite bob.recheck: pass", "SendInvites.check: pass"}));
}

TEST(DynamicJobsTest, NoArgumentsMakesAnEmptyGroup) {
  Harness h;
  RegisterInvites(h.registry);
  core::RunResult result = h.Run("SendInvites");
  EXPECT_TRUE(result.success);
  EXPECT_EQ(result.jobs.size(), 1u);  // DetermineDetails is not reached.
}

TEST(DynamicJobsTest, RegistrationCanAskWhatIsAlreadyRegistered) {
  Harness h(Arguments({"alice"}, {{"place", "here"}}));
  RegisterInvites(h.registry);
  const Registry& registry = h.registry;
  EXPECT_TRUE(registry.Has("Invite alice"));
  EXPECT_FALSE(registry.Has("Invite bob"));
}

TEST(DynamicJobsTest, RepeatedArgumentIsADuplicateJob) {
  Harness h(Arguments({"alice", "alice"}, {{"place", "here"}}));
  RegisterInvites(h.registry);
  (void)h.Run("SendInvites");
  EXPECT_EQ(h.failure, "duplicate job name 'Invite alice': registered twice by the program");
}

}  // namespace
}  // namespace dojobber
