#include "core/job_registry.h"

#include <memory>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <dojobber/dojobber.h>

namespace dojobber::core {
namespace {

class Plain : public Job {
 public:
  void Check(Context&) override {}
  void Run(Context&) override {}
};

class Sealed final : public Job {
 public:
  void Check(Context&) override {}
  void Run(Context&) override {}
};

class WithCleanup : public Plain {
 public:
  void Cleanup(Context&) override {}
};

std::vector<std::string> DepNames(const JobRegistry& registry, const JobSpec& spec) {
  std::vector<std::string> names;
  for (NameId id : spec.deps()) names.emplace_back(registry.name(id));
  return names;
}

// Inherits its parent's Cleanup without declaring one itself.
class InheritsCleanup : public WithCleanup {};

class Group : public DummyJob {};

class GroupWithCleanup : public DummyJob {
 public:
  void Cleanup(Context&) override {}
};

class Script : public RunonlyJob {
 public:
  void Run(Context&) override {}
};

class ScriptWithCleanup : public RunonlyJob {
 public:
  void Run(Context&) override {}
  void Cleanup(Context&) override {}
};

// The traits recorded for the job registered as `name`.
JobTraits TraitsIn(const JobRegistry& registry, std::string_view name) {
  return registry.spec(*registry.Find(name)).traits;
}

TEST(JobRegistryTest, AddRegistersJobsInOrder) {
  JobRegistry registry;
  registry.Add<Plain>("A");
  registry.Add<Plain>("B");
  EXPECT_EQ(registry.size(), 2u);
  EXPECT_TRUE(registry.Has("A"));
  EXPECT_TRUE(registry.Has("B"));
  EXPECT_FALSE(registry.Has("C"));
  EXPECT_EQ(registry.Find("A"), 0u);
  EXPECT_EQ(registry.Find("B"), 1u);
  EXPECT_FALSE(registry.Find("C"));
  EXPECT_EQ(registry.spec(1).name, "B");
  EXPECT_TRUE(registry.status().ok());
}

TEST(JobRegistryTest, FactoryMakesAFreshObjectEachCall) {
  JobRegistry registry;
  registry.Add<Plain>("A");
  const JobFactory& factory = registry.spec(0).factory;
  std::unique_ptr<Job> first = factory();
  std::unique_ptr<Job> second = factory();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(first.get(), second.get());
  EXPECT_NE(dynamic_cast<Plain*>(first.get()), nullptr);
}

TEST(JobRegistryTest, OptionsStayUnsetUntilGiven) {
  JobRegistry registry;
  registry.Add<Plain>("Default");
  registry.Add<Plain>("Set").Tries(8).RetryDelay(0.001);
  const JobSpec& unset = registry.spec(*registry.Find("Default"));
  EXPECT_FALSE(unset.options().tries);
  EXPECT_FALSE(unset.options().retry_delay);
  EXPECT_TRUE(unset.deps().empty());
  const JobSpec& set = registry.spec(*registry.Find("Set"));
  EXPECT_EQ(set.options().tries, 8);
  EXPECT_EQ(set.options().retry_delay, 0.001);
}

TEST(JobRegistryTest, EachOptionIsKeptOnItsOwn) {
  JobRegistry registry;
  registry.Add<Plain>("A").Timeout(2).Cpus(3);
  registry.Add<Plain>("B").RetryBackoff(2, 60).RetryJitter(0.5).MemoryMiB(512);
  const JobOptions& a = registry.spec(*registry.Find("A")).options();
  EXPECT_EQ(a.timeout, 2);
  EXPECT_EQ(a.cpus, 3);
  EXPECT_FALSE(a.tries);
  EXPECT_FALSE(a.retry_backoff);
  EXPECT_FALSE(a.memory_mib);
  const JobOptions& b = registry.spec(*registry.Find("B")).options();
  EXPECT_EQ(b.retry_backoff, 2);
  EXPECT_EQ(b.retry_max_delay, 60);
  EXPECT_EQ(b.retry_jitter, 0.5);
  EXPECT_EQ(b.memory_mib, 512);
  EXPECT_FALSE(b.timeout);
  EXPECT_FALSE(b.cpus);
}

TEST(JobRegistryTest, DepsAppendInCallOrder) {
  JobRegistry registry;
  JobBuilder& builder = registry.Add<Plain>("Root").Deps({"B", "A"});
  registry.Add<Plain>("Other");  // The builder stays valid across later Adds.
  builder.Deps({"C"}).Deps({}).Deps({"A"});
  EXPECT_EQ(DepNames(registry, registry.spec(0)), (std::vector<std::string>{"B", "A", "C", "A"}));
}

TEST(JobRegistryTest, DepsOfEarlierJobsAppendAfterOthersWereDeclared) {
  JobRegistry registry;
  JobBuilder& first = registry.Add<Plain>("First").Deps({"X", "Y"});
  registry.Add<Plain>("Second").Deps({"Y", "Z"});
  first.Deps({"Z"});
  registry.Add<Plain>("Third").Deps({"X"});
  first.Deps({"W"});
  EXPECT_EQ(DepNames(registry, registry.spec(0)), (std::vector<std::string>{"X", "Y", "Z", "W"}));
  EXPECT_EQ(DepNames(registry, registry.spec(1)), (std::vector<std::string>{"Y", "Z"}));
  EXPECT_EQ(DepNames(registry, registry.spec(2)), (std::vector<std::string>{"X"}));
}

TEST(JobRegistryTest, ALongDependencyListMovesWhole) {
  // Appending to a job whose list is not the last one moves the list to the
  // end of the registry's array, which grows (and so moves) meanwhile.
  JobRegistry registry;
  std::vector<std::string> many;
  for (int i = 0; i < 1000; ++i) many.push_back("D" + std::to_string(i));
  JobBuilder& first = registry.Add<Plain>("First").Deps(many);
  registry.Add<Plain>("Second").Deps({"D7"});
  first.Deps({"Last"});
  many.push_back("Last");
  EXPECT_EQ(DepNames(registry, registry.spec(0)), many);
  EXPECT_EQ(DepNames(registry, registry.spec(1)), (std::vector<std::string>{"D7"}));
}

TEST(JobRegistryTest, DepsInterleavedAcrossJobsTakeLinearRoom) {
  // The plugin guide's pattern: each new job is added, then named as one
  // more dependency of a job added first.
  constexpr int kUsers = 20000;
  JobRegistry registry;
  JobBuilder& deploy = registry.Add<Plain>("Deploy");
  std::vector<std::string> expected;
  for (int i = 0; i < kUsers; ++i) {
    const std::string name = "User" + std::to_string(i);
    registry.Add<Plain>(name).Deps({"HelloDir"});
    deploy.Deps({name});
    expected.push_back(name);
  }
  EXPECT_EQ(DepNames(registry, registry.spec(0)), expected);
  EXPECT_EQ(DepNames(registry, registry.spec(kUsers)), (std::vector<std::string>{"HelloDir"}));
  // One place per dependency, plus Deploy's list: at most twice its size
  // where it is now and, summed, as much again where it was.
  EXPECT_LE(registry.dep_places(), 5u * kUsers);
}

TEST(JobRegistryTest, ADependencyNamedBeforeItsJobIsRegisteredLater) {
  JobRegistry registry;
  registry.Add<Plain>("Root").Deps({"Late", "Never"});
  EXPECT_FALSE(registry.Has("Late"));
  EXPECT_FALSE(registry.Find("Late"));
  EXPECT_EQ(registry.size(), 1u);
  registry.Add<Plain>("Late");
  EXPECT_TRUE(registry.status().ok()) << registry.status().message();
  ASSERT_TRUE(registry.Has("Late"));
  EXPECT_EQ(registry.Find("Late"), 1u);
  const std::span<const NameId> deps = registry.spec(0).deps();
  ASSERT_EQ(deps.size(), 2u);
  EXPECT_EQ(registry.SpecOf(deps[0]), 1u);
  EXPECT_EQ(registry.name(deps[1]), "Never");
  EXPECT_FALSE(registry.SpecOf(deps[1]));
  EXPECT_FALSE(registry.Has("Never"));
  registry.Add<Plain>("Late");
  EXPECT_EQ(registry.status().message(),
            "duplicate job name 'Late': registered twice by the program");
}

TEST(JobRegistryTest, ArgumentsAreAvailableToRegistration) {
  JobRegistry registry(Arguments({"x"}, {{"k", "v"}}));
  const Registry& as_sdk = registry;
  EXPECT_EQ(as_sdk.args().positional(), (std::vector<std::string>{"x"}));
  EXPECT_EQ(as_sdk.args().GetString("k"), "v");
}

TEST(JobRegistryTest, DeclaredDefaultsAreArgumentsFromTheDeclarationOn) {
  JobRegistry registry(Arguments({}, {{"given", "7"}}));
  Registry& as_sdk = registry;
  as_sdk.Declare(Param::Int("given").Default(1));
  as_sdk.Declare(Param::String("mode").Default("fast"));
  as_sdk.Declare(Param::String("optional"));
  as_sdk.Declare(Param::List("users", ";").Default("ann; bob"));
  EXPECT_EQ(as_sdk.args().GetInt("given"), 7);
  EXPECT_EQ(as_sdk.args().GetString("mode"), "fast");
  EXPECT_FALSE(as_sdk.args().Has("optional"));
  EXPECT_EQ(as_sdk.args().GetList("users"), (std::vector<std::string>{"ann", "bob"}));
  EXPECT_FALSE(registry.Defaulted("given"));
  EXPECT_TRUE(registry.Defaulted("mode"));
  EXPECT_TRUE(registry.Defaulted("users"));
  EXPECT_FALSE(registry.Defaulted("optional"));
  EXPECT_TRUE(registry.status().ok());
}

// Many declarations (a plugin that generates them): every default is an
// argument, a repeated name is still found among them, and the arguments
// check. Declaring is linear; this checks only the results.
TEST(JobRegistryTest, ManyDeclarationsKeepEveryDefault) {
  constexpr int kCount = 20000;
  JobRegistry registry(Arguments({}, {{"p7", "-7"}}));
  registry.BeginSource("a.so");
  for (int i = 0; i < kCount; ++i) {
    registry.Declare(Param::Int("p" + std::to_string(i)).Default(i));
  }
  registry.Declare(Param::List("items", ";").Default("x; y"));
  registry.BeginSource("b.so");
  registry.Declare(Param::Int("p19999").Default("+19999"));  // Agrees: the same value.
  ASSERT_TRUE(registry.status().ok()) << registry.status().message();
  EXPECT_EQ(registry.params().all().size(), kCount + 2u);
  EXPECT_EQ(registry.args().keywords().size(), kCount + 1u);
  EXPECT_EQ(registry.args().GetInt("p0"), 0);
  EXPECT_EQ(registry.args().GetInt("p7"), -7);
  EXPECT_FALSE(registry.Defaulted("p7"));
  EXPECT_EQ(registry.args().GetInt("p12345"), 12345);
  EXPECT_TRUE(registry.Defaulted("p12345"));
  EXPECT_EQ(registry.args().GetList("items"), (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(registry.CheckArguments(/*require=*/true));
  registry.Declare(Param::Int("p5000").Default(1));  // b.so: another default.
  ASSERT_FALSE(registry.status().ok());
  EXPECT_EQ(registry.status().message(),
            "parameter 'p5000' declared by a.so and by b.so with different defaults");
}

TEST(JobRegistryTest, MalformedDeclarationIsARegistrationError) {
  JobRegistry registry;
  registry.BeginSource("p.so");
  registry.Declare(Param::Bool("b").Default("maybe"));
  ASSERT_FALSE(registry.status().ok());
  EXPECT_EQ(registry.status().message(),
            "parameter 'b' declared by p.so: its default \"maybe\" is not a boolean "
            "(true/false, yes/no, on/off, 1/0)");
  EXPECT_FALSE(registry.args().Has("b"));
}

TEST(JobRegistryTest, KeysAreCheckedOnlyWhenEveryPluginDeclares) {
  JobRegistry registry(Arguments({}, {{"acount", "svc"}}));
  registry.BeginSource("a.so");
  registry.Declare(Param::String("account").Default("root"));
  const Status checked = registry.CheckArguments(/*require=*/true);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.message(),
            "argument 'acount' is not declared by any loaded plugin (did you mean 'account'?)");
  registry.BeginSource("b.so");  // Declares nothing: may read any key.
  registry.Add<Plain>("Job");
  EXPECT_TRUE(registry.CheckArguments(/*require=*/true));
}

TEST(JobRegistryTest, ProgramDeclaringNothingAcceptsAnyKey) {
  JobRegistry registry(Arguments({}, {{"anything", "1"}}));
  EXPECT_TRUE(registry.CheckArguments(/*require=*/true));
  registry.Declare(Param::Int("n").Required());
  const Status checked = registry.CheckArguments(/*require=*/false);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.message(),
            "argument 'anything' is not declared by any loaded plugin (dojobber params lists "
            "the parameters)");
}

// Names show up in one-line outputs and as JSON keys: a name that is empty,
// holds a control character or is not UTF-8 (two such names could even turn
// into one key) is refused, and shown escaped.
TEST(JobRegistryTest, NamesMustBePrintableUtf8) {
  struct Case {
    std::string name;
    std::string message;
  };
  for (const Case& c : {Case{"", "job name '' registered by p.so is empty"},
                        Case{"Line1\nLine2",
                             "job name 'Line1\\nLine2' registered by p.so "
                             "contains a control character"},
                        Case{"\x1b[31mRed",
                             "job name '\\x1b[31mRed' registered by p.so "
                             "contains a control character"},
                        Case{"Invite \xff",
                             "job name 'Invite \\xff' registered by p.so is not "
                             "valid UTF-8"}}) {
    JobRegistry registry;
    registry.BeginSource("p.so");
    registry.Add<Plain>("Fine");
    registry.Add<Plain>(c.name);
    ASSERT_FALSE(registry.status().ok()) << c.message;
    EXPECT_EQ(registry.status().message(), c.message);
  }
  JobRegistry registry;
  registry.Add<Plain>("Invite Zoë 🎬");
  EXPECT_TRUE(registry.status().ok()) << registry.status().message();
}

TEST(JobRegistryTest, DuplicateInOneSourceIsReported) {
  JobRegistry registry;
  registry.Add<Plain>("A");
  registry.Add<Plain>("A");
  ASSERT_FALSE(registry.status().ok());
  EXPECT_EQ(registry.status().message(), "duplicate job name 'A': registered twice by the program");
  EXPECT_EQ(registry.size(), 1u);
}

TEST(JobRegistryTest, DuplicateAcrossSourcesNamesBoth) {
  JobRegistry registry;
  registry.BeginSource("/plugins/first.so");
  registry.Add<Plain>("A");
  registry.BeginSource("/plugins/second.so");
  registry.Add<Plain>("A");
  ASSERT_FALSE(registry.status().ok());
  EXPECT_EQ(registry.status().message(),
            "duplicate job name 'A': registered by /plugins/first.so and by /plugins/second.so");
}

TEST(JobRegistryTest, DuplicateWithinALaterSourceNamesIt) {
  JobRegistry registry;
  registry.BeginSource("p.so");
  registry.Add<Plain>("A");
  registry.Add<Plain>("A");
  EXPECT_EQ(registry.status().message(), "duplicate job name 'A': registered twice by p.so");
}

TEST(JobRegistryTest, ProgramAndPluginDuplicateNamesTheProgram) {
  JobRegistry registry;
  registry.Add<Plain>("A");
  registry.BeginSource("p.so");
  registry.Add<Plain>("A");
  EXPECT_EQ(registry.status().message(),
            "duplicate job name 'A': registered by the program and by p.so");
}

TEST(JobRegistryTest, FirstDuplicateIsTheOneReported) {
  JobRegistry registry;
  registry.Add<Plain>("A");
  registry.Add<Plain>("B");
  registry.Add<Plain>("A");
  registry.Add<Plain>("B");
  EXPECT_EQ(registry.status().message(), "duplicate job name 'A': registered twice by the program");
}

TEST(JobRegistryTest, RejectedDuplicateBuilderDoesNotChangeTheFirstJob) {
  JobRegistry registry;
  registry.Add<Plain>("A").Deps({"X"}).Tries(2);
  registry.Add<WithCleanup>("A").Deps({"Y"}).Tries(9).RetryDelay(4);
  const JobSpec& kept = registry.spec(*registry.Find("A"));
  EXPECT_EQ(DepNames(registry, kept), (std::vector<std::string>{"X"}));
  EXPECT_EQ(kept.options().tries, 2);
  EXPECT_FALSE(kept.options().retry_delay);
  EXPECT_FALSE(kept.traits.has_cleanup);
}

TEST(JobRegistryTest, RecordsTheSourceOfEachJob) {
  JobRegistry registry;
  registry.Add<Plain>("Mine");
  registry.BeginSource("p.so");
  registry.Add<Plain>("Theirs");
  EXPECT_EQ(registry.sources(), (std::vector<std::string>{"the program", "p.so"}));
  EXPECT_EQ(registry.spec(*registry.Find("Mine")).source, 0u);
  EXPECT_EQ(registry.spec(*registry.Find("Theirs")).source, 1u);
}

TEST(JobRegistryTest, TraitsOfTellsTheKind) {
  EXPECT_EQ(TraitsOf<Plain>().kind, JobKind::kJob);
  EXPECT_EQ(TraitsOf<WithCleanup>().kind, JobKind::kJob);
  EXPECT_EQ(TraitsOf<Group>().kind, JobKind::kDummy);
  EXPECT_EQ(TraitsOf<DummyJob>().kind, JobKind::kDummy);
  EXPECT_EQ(TraitsOf<Script>().kind, JobKind::kRunonly);
  EXPECT_EQ(TraitsOf<ScriptWithCleanup>().kind, JobKind::kRunonly);
}

TEST(JobRegistryTest, TraitsOfDetectsAnOverriddenCleanup) {
  EXPECT_FALSE(TraitsOf<Plain>().has_cleanup);
  EXPECT_FALSE(TraitsOf<Group>().has_cleanup);
  EXPECT_FALSE(TraitsOf<Script>().has_cleanup);
  EXPECT_TRUE(TraitsOf<WithCleanup>().has_cleanup);
  EXPECT_TRUE(TraitsOf<InheritsCleanup>().has_cleanup);
  EXPECT_TRUE(TraitsOf<GroupWithCleanup>().has_cleanup);
  EXPECT_TRUE(TraitsOf<ScriptWithCleanup>().has_cleanup);
}

TEST(JobRegistryTest, AddRecordsTheTraitsOfTheType) {
  JobRegistry registry;
  registry.Add<Plain>("Plain");
  registry.Add<Group>("Group");
  registry.Add<ScriptWithCleanup>("Script");
  EXPECT_EQ(TraitsIn(registry, "Plain").kind, JobKind::kJob);
  EXPECT_FALSE(TraitsIn(registry, "Plain").has_cleanup);
  EXPECT_EQ(TraitsIn(registry, "Group").kind, JobKind::kDummy);
  EXPECT_EQ(TraitsIn(registry, "Script").kind, JobKind::kRunonly);
  EXPECT_TRUE(TraitsIn(registry, "Script").has_cleanup);
}

TEST(JobRegistryTest, FactoryLambdasGetTheKindOfWhatTheyMake) {
  JobRegistry registry;
  int made = 0;
  registry.Add("Plain", [&made] {
    ++made;
    return std::make_unique<Plain>();
  });
  registry.Add("Group", [] { return std::make_unique<Group>(); });
  registry.Add("Script", [] { return std::make_unique<Script>(); });
  EXPECT_EQ(made, 0);  // Registration never creates a job.
  EXPECT_EQ(TraitsIn(registry, "Plain").kind, JobKind::kJob);
  EXPECT_EQ(TraitsIn(registry, "Group").kind, JobKind::kDummy);
  EXPECT_EQ(TraitsIn(registry, "Script").kind, JobKind::kRunonly);
  ASSERT_NE(registry.spec(*registry.Find("Plain")).factory(), nullptr);
  EXPECT_EQ(made, 1);
}

TEST(JobRegistryTest, FactoryOfAFinalTypeWithoutCleanupNeedsNoCleanup) {
  JobRegistry registry;
  registry.Add("Sealed", [] { return std::make_unique<Sealed>(); });
  EXPECT_FALSE(TraitsIn(registry, "Sealed").has_cleanup);
}

TEST(JobRegistryTest, FactoryOfATypeWithCleanupHasCleanup) {
  JobRegistry registry;
  registry.Add("Cleans", [] { return std::make_unique<WithCleanup>(); });
  EXPECT_TRUE(TraitsIn(registry, "Cleans").has_cleanup);
}

TEST(JobRegistryTest, FactoryOfANonFinalTypeMayMakeADerivedCleanup) {
  // The factory's declared type has no Cleanup, but what it returns may be
  // derived from it: the registry cannot prove the Cleanup is empty.
  JobRegistry registry;
  registry.Add("Erased", []() -> std::unique_ptr<Job> { return std::make_unique<WithCleanup>(); });
  registry.Add("Derived",
               []() -> std::unique_ptr<Plain> { return std::make_unique<WithCleanup>(); });
  registry.Add("Group",
               []() -> std::unique_ptr<DummyJob> { return std::make_unique<GroupWithCleanup>(); });
  EXPECT_TRUE(TraitsIn(registry, "Erased").has_cleanup);
  EXPECT_TRUE(TraitsIn(registry, "Derived").has_cleanup);
  EXPECT_TRUE(TraitsIn(registry, "Group").has_cleanup);
  EXPECT_EQ(TraitsIn(registry, "Group").kind, JobKind::kDummy);
}

TEST(JobRegistryTest, InexactTraitsTrustOnlyFinalTypes) {
  EXPECT_TRUE(TraitsOf<Plain>(/*exact=*/false).has_cleanup);
  EXPECT_TRUE(TraitsOf<Job>(/*exact=*/false).has_cleanup);
  EXPECT_FALSE(TraitsOf<Sealed>(/*exact=*/false).has_cleanup);
  EXPECT_FALSE(TraitsOf<Sealed>().has_cleanup);
  EXPECT_EQ(TraitsOf<Group>(/*exact=*/false).kind, JobKind::kDummy);
}

}  // namespace
}  // namespace dojobber::core
