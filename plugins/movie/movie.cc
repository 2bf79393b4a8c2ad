// The movie example: getting friends together to watch a movie, the running
// example of the original Python DoJobber, ported job for job: names,
// dependencies (in order), tries, delays and failure messages are a contract
// that the tests rely on.
//
// WatchMovie                          the usual root
// `-- StartMovie
//     |-- FriendsArrive
//     |   `-- InviteFriends           grows one "Invite <name>" per friend
//     |       |-- DetermineDetails
//     |       |   |-- ValidateMovie   fails unless `movie` is available
//     |       |   `-- PickTimeAndDate
//     |       |-- Invite Wendell Bagg --> DetermineDetails
//     |       `-- Invite Lawyer Cat   --> DetermineDetails
//     |-- PrepareRoom
//     |   |-- CleanCouch              has a Cleanup
//     |   `-- FluffPillows            runonly
//     |-- TurnOnTV                    fails unless battery_state=charged
//     |   `-- FindTVRemote
//     |-- InsertDVD
//     |   `-- ValidateMovie           (above)
//     |-- SitOnCouch                  fails unless couch_space=true
//     |   `-- PrepareRoom             (above)
//     `-- Food
//         |-- Popcorn                 succeeds on its 5th try
//         |   `-- PopcornBowl         succeeds on its 8th try
//         `-- Pizza                   runonly, succeeds on its 3rd try
//
// With the default arguments TurnOnTV and SitOnCouch fail; this succeeds:
//
//     dojobber run --plugin movie --root WatchMovie -v
//         --arg battery_state=charged --arg couch_space=true
//
// The arguments are declared parameters (`dojobber params --plugin movie`),
// so the jobs read them without fallbacks: the declarations hold the
// defaults.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <dojobber/dojobber.h>

namespace {

using dojobber::Context;
using dojobber::Error;

constexpr std::string_view kDefaultMovie = "Noises Off";
constexpr std::array<std::string_view, 3> kMovies = {"Noises Off", "MST3K", "Babylon 5"};
constexpr std::array<std::string_view, 2> kStartTimes = {"2024-04-08 18:18 UTC",
                                                         "2099-09-14 16:57 UTC"};
constexpr std::string_view kStartKey = "Start-DateTime";

// The flaky jobs succeed on their last try by default, so a default run shows
// retries without failing; each `*_success_try` default is the job's tries.
constexpr int kBowlTries = 8;
constexpr int kPopcornTries = 5;
constexpr int kPizzaTries = 3;

/// Whether this try's local storage holds `key` set to true.
bool LocalFlag(Context& ctx, std::string_view key) {
  const nlohmann::json& local = ctx.local();
  auto it = local.find(key);
  return it != local.end() && *it == true;
}

// --- The room ---

/// Shows local storage: Check passes only after this try's Run, so every try
/// runs. Its Cleanup leaves a trace that tests can observe.
class CleanCouch : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    if (!LocalFlag(ctx, kRanKey)) throw Error("I fail unless run runs....");
  }
  void Run(Context& ctx) override { ctx.local()[kRanKey] = true; }
  void Cleanup(Context& ctx) override {
    ctx.log() << "Putting the feather duster away.\n";
    const std::string& path = ctx.args().GetString("cleanup_log");
    if (path.empty()) return;
    std::ofstream out(path, std::ios::app);
    out << "CleanCouch cleanup (try " << ctx.try_number() << ")\n";
    if (!out) throw Error("cannot append to cleanup_log file '" + path + "'");
  }

 private:
  static constexpr std::string_view kRanKey = "run_ran";
};

class FluffPillows : public dojobber::RunonlyJob {
 public:
  void Run(Context& ctx) override { ctx.log() << "Pillows fluffed.\n"; }
};

class PrepareRoom : public dojobber::DummyJob {};

class SitOnCouch : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    if (!ctx.args().GetBool("couch_space")) throw Error("No space on couch.");
  }
  void Run(Context&) override {}
};

// --- The TV and the movie ---

class FindTVRemote : public dojobber::Job {
 public:
  void Check(Context&) override {}
  void Run(Context&) override {}
};

class TurnOnTV : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    if (ctx.args().GetString("battery_state") != "charged") {
      throw Error("Remote batteries are dead.");
    }
  }
  void Run(Context&) override {}
};

/// Nothing to run: an unknown movie stays unknown.
class ValidateMovie : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    const std::string& movie = ctx.args().GetString("movie");
    if (std::find(kMovies.begin(), kMovies.end(), movie) == kMovies.end()) {
      throw Error(movie + " not one of the available movies.");
    }
  }
  void Run(Context&) override {}
};

class InsertDVD : public dojobber::Job {
 public:
  void Check(Context&) override {}
  void Run(Context&) override {}
};

/// Shows global storage: the picked time is read later by every Invite job.
class PickTimeAndDate : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    if (!ctx.global().Contains(kStartKey)) throw Error("No start date and time picked yet.");
  }
  void Run(Context& ctx) override {
    std::mt19937 generator(std::random_device{}());
    std::uniform_int_distribution<std::size_t> pick(0, kStartTimes.size() - 1);
    const std::string_view start = kStartTimes[pick(generator)];
    ctx.global().Set(kStartKey, start);
    ctx.log() << "Picked " << start << ".\n";
  }
};

// --- Food ---
// Counters live in global storage because each try gets a fresh object and
// fresh local storage; only global storage remembers earlier tries.

class PopcornBowl : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    if (ctx.global().Value<std::int64_t>("bowl_failcount", 0) <
        ctx.args().GetInt("bowl_success_try")) {
      throw Error("Dishwasher cycle not done yet.");
    }
  }
  void Run(Context& ctx) override { ctx.global().Add("bowl_failcount", 1); }
};

class Popcorn : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    if (ctx.global().Value<std::int64_t>("pop_failcount", 0) <
        ctx.args().GetInt("pop_success_try")) {
      throw Error("Still popping...");
    }
  }
  void Run(Context& ctx) override { ctx.global().Add("pop_failcount", 1); }
};

class Pizza : public dojobber::RunonlyJob {
 public:
  void Run(Context& ctx) override {
    if (ctx.global().Add("pizza_failcount", 1) < ctx.args().GetInt("pizza_success_try")) {
      throw Error("Giordano's did not arrive yet.");
    }
  }
};

class Food : public dojobber::DummyJob {};

// --- Friends ---

class DetermineDetails : public dojobber::DummyJob {};

/// One invitation, created at start-up for each friend (a dynamic job).
class Invite final : public dojobber::Job {
 public:
  Invite(std::string name, std::string email) : name_(std::move(name)), email_(std::move(email)) {}

  void Check(Context& ctx) override {
    if (!LocalFlag(ctx, kSentKey)) throw Error("Invite not sent yet.");
  }
  void Run(Context& ctx) override {
    const std::string start = ctx.global().Value<std::string>(kStartKey, "");
    if (start.empty()) throw Error("No start date and time picked yet.");
    const std::string to = name_ + " <" + email_ + ">";
    const std::string message =
        "Come and watch " + ctx.args().GetString("movie") + " at " + start + " with me!";
    ctx.log() << "To: " << to << ": " << message << '\n';
    ctx.SetResult({{"to", to}, {"message", message}});
    ctx.local()[kSentKey] = true;
  }

 private:
  static constexpr std::string_view kSentKey = "sent";
  std::string name_;
  std::string email_;
};

class InviteFriends : public dojobber::DummyJob {};

class FriendsArrive : public dojobber::Job {
 public:
  void Check(Context&) override {}
  void Run(Context&) override {}
};

// --- The show ---

class StartMovie : public dojobber::Job {
 public:
  void Check(Context&) override {}
  void Run(Context&) override {}
};

class WatchMovie : public dojobber::Job {
 public:
  void Check(Context&) override {}
  void Run(Context&) override {}
};

// --- The `friends` argument ---

struct Friend {
  std::string name;
  std::string email;
};

/// Parses one `Name <email>` item of the `friends` list.
Friend ParseFriend(std::string_view entry) {
  constexpr std::string_view kSpace = " \t\r\n";
  const std::size_t open = entry.find('<');
  if (open != std::string_view::npos && entry.size() > open + 2 && entry.back() == '>') {
    std::string_view name = entry.substr(0, open);  // The item has no blanks around it.
    while (!name.empty() && kSpace.find(name.back()) != std::string_view::npos) {
      name.remove_suffix(1);
    }
    const std::string_view email = entry.substr(open + 1, entry.size() - open - 2);
    if (!name.empty() && name.find('>') == std::string_view::npos &&
        email.find_first_of("<> \t") == std::string_view::npos) {
      return {std::string(name), std::string(email)};
    }
  }
  throw dojobber::ArgumentError(
      "argument 'friends': expected \"Name <email>\" entries separated by commas, got \"" +
      std::string(entry) + "\"");
}

/// The invitees, from the declared `friends` list (empty for none).
std::vector<Friend> FriendsFrom(const dojobber::Arguments& args) {
  std::vector<Friend> friends;
  std::set<std::string, std::less<>> names;
  for (const std::string& entry : args.GetList("friends")) {
    Friend invitee = ParseFriend(entry);
    // Caught here so the message names the argument, not a duplicate job.
    if (!names.insert(invitee.name).second) {
      throw dojobber::ArgumentError("argument 'friends': \"" + invitee.name +
                                    "\" is listed more than once");
    }
    friends.push_back(std::move(invitee));
  }
  return friends;
}

/// The keyword arguments the jobs read. Only the names and defaults are the
/// original's; no allowed values are declared, so that an unknown movie or
/// a flat battery fails its job as in the original, not the command line.
void DeclareParams(dojobber::Registry& registry) {
  using dojobber::Param;
  registry.Declare(Param::String("movie")
                       .Default(kDefaultMovie)
                       .Help("the movie; ValidateMovie fails unless it is Noises Off, MST3K or "
                             "Babylon 5"));
  registry.Declare(Param::String("battery_state")
                       .Default("dead")
                       .Help("the TV remote's batteries; TurnOnTV fails unless \"charged\""));
  registry.Declare(Param::Bool("couch_space")
                       .Default(false)
                       .Help("whether there is room on the couch; SitOnCouch fails if not"));
  registry.Declare(Param::Int("bowl_success_try")
                       .Default(kBowlTries)
                       .Help("the try on which PopcornBowl's dishwasher is done"));
  registry.Declare(Param::Int("pop_success_try")
                       .Default(kPopcornTries)
                       .Help("the try on which Popcorn is done popping"));
  registry.Declare(
      Param::Int("pizza_success_try").Default(kPizzaTries).Help("the try on which Pizza arrives"));
  registry.Declare(
      Param::List("friends")
          .Default("Wendell Bagg <bagg@example.com>, Lawyer Cat <lawyercat@example.com>")
          .Help("\"Name <email>\" items, one Invite job each; empty for none"));
  registry.Declare(Param::String("cleanup_log")
                       .Default("")
                       .Help("a file CleanCouch's Cleanup appends a line to; empty for none"));
}

}  // namespace

DOJOBBER_PLUGIN(registry) {
  DeclareParams(registry);
  // Parsed before any job is registered, so a bad `friends` registers none.
  const std::vector<Friend> friends = FriendsFrom(registry.args());
  std::vector<std::string> invite_deps = {"DetermineDetails"};
  for (const Friend& invitee : friends) invite_deps.push_back("Invite " + invitee.name);

  registry.Add<CleanCouch>("CleanCouch");
  registry.Add<FindTVRemote>("FindTVRemote");
  registry.Add<FluffPillows>("FluffPillows");
  registry.Add<PickTimeAndDate>("PickTimeAndDate");
  registry.Add<ValidateMovie>("ValidateMovie");
  registry.Add<InsertDVD>("InsertDVD").Deps({"ValidateMovie"});
  registry.Add<PrepareRoom>("PrepareRoom").Deps({"CleanCouch", "FluffPillows"});
  registry.Add<PopcornBowl>("PopcornBowl").Tries(kBowlTries).RetryDelay(0.001);
  registry.Add<Pizza>("Pizza").Tries(kPizzaTries);
  registry.Add<Popcorn>("Popcorn").Deps({"PopcornBowl"}).Tries(kPopcornTries);
  registry.Add<Food>("Food").Deps({"Popcorn", "Pizza"});
  registry.Add<SitOnCouch>("SitOnCouch").Deps({"PrepareRoom"});
  registry.Add<DetermineDetails>("DetermineDetails").Deps({"ValidateMovie", "PickTimeAndDate"});
  registry.Add<InviteFriends>("InviteFriends").Deps(std::move(invite_deps));
  for (const Friend& invitee : friends) {
    registry
        .Add("Invite " + invitee.name,
             [invitee] { return std::make_unique<Invite>(invitee.name, invitee.email); })
        .Deps({"DetermineDetails"});
  }
  registry.Add<FriendsArrive>("FriendsArrive").Deps({"InviteFriends"});
  registry.Add<TurnOnTV>("TurnOnTV").Deps({"FindTVRemote"});
  registry.Add<StartMovie>("StartMovie")
      .Deps({"FriendsArrive", "PrepareRoom", "TurnOnTV", "InsertDVD", "SitOnCouch", "Food"});
  registry.Add<WatchMovie>("WatchMovie").Deps({"StartMovie"});
}
