// hello: deploys a small pretend service, "hello", into a folder of your
// choice. Every job is idempotent: run it again and nothing changes; change
// an argument and only what depends on it is redone.
//
// Deploy                      DummyJob, the root
// |-- HelloService            "restarts" hello when its config changed
// |   `-- HelloConfig         writes hello.conf from the `greeting` argument
// |       `-- HelloDir        creates <prefix>/hello
// `-- HelloUser <name>        one per name in `users` (jobs made at start-up)
//     `-- HelloDir            (above)
//
// Keyword arguments: prefix (required), greeting (default "Hello"),
// users (optional, comma-separated names).
//
//     dojobber run --plugin ./build/hello.so --root Deploy
//         --arg prefix=/tmp/demo --arg greeting=Hi --arg users=ann,bob

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <dojobber/dojobber.h>

namespace {

namespace fs = std::filesystem;
using dojobber::Context;
using dojobber::Error;

// --- Helpers shared by the jobs ---

fs::path ServiceDir(const Context& ctx) {
  return fs::path(ctx.args().GetString("prefix")) / "hello";  // Throws when missing.
}
fs::path ConfigFile(const Context& ctx) { return ServiceDir(ctx) / "hello.conf"; }
fs::path MarkerFile(const Context& ctx) { return ServiceDir(ctx) / "running"; }
std::string Greeting(const Context& ctx) { return ctx.args().GetString("greeting", "Hello"); }

/// The content of a regular file, or nothing when there is none.
std::optional<std::string> ReadFile(const fs::path& path) {
  if (!fs::is_regular_file(path)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw Error("cannot read " + path.string());
  return text.str();
}

void WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw Error("cannot write " + path.string());
}

// --- The jobs ---

class HelloDir : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    const fs::path dir = ServiceDir(ctx);
    if (!fs::is_directory(dir)) throw Error(dir.string() + " is not a directory");
  }
  void Run(Context& ctx) override { fs::create_directories(ServiceDir(ctx)); }
};

/// hello.conf holds exactly one line, `greeting = <greeting>`.
class HelloConfig : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    const fs::path file = ConfigFile(ctx);
    const std::optional<std::string> content = ReadFile(file);
    if (!content) throw Error(file.string() + " does not exist");
    if (*content != Wanted(ctx)) {
      throw Error(file.string() + " does not set greeting = " + Greeting(ctx));
    }
    ctx.SetResult({{"path", file.string()}, {"bytes", content->size()}});
  }
  void Run(Context& ctx) override {
    // Write a staging file, then rename it over the config: readers see the
    // old file or the new one, never half of one.
    const fs::path file = ConfigFile(ctx);
    fs::path staging = file;
    staging += ".new";
    ctx.local()["staging"] = staging.string();
    WriteFile(staging, Wanted(ctx));
    fs::rename(staging, file);
    ctx.log() << "wrote " << file.string() << '\n';
  }
  /// Removes a staging file that a failed Run left behind.
  void Cleanup(Context& ctx) override {
    if (!ctx.local().contains("staging")) return;  // This try did not Run.
    std::error_code ec;
    fs::remove(ctx.local()["staging"].get<std::string>(), ec);
    if (ec) ctx.log() << "could not remove the staging file: " << ec.message() << '\n';
  }

 private:
  static std::string Wanted(const Context& ctx) { return "greeting = " + Greeting(ctx) + "\n"; }
};

/// The marker file `running` holds the config hello was last started with.
class HelloService : public dojobber::Job {
 public:
  void Check(Context& ctx) override {
    const fs::path marker = MarkerFile(ctx);
    const std::optional<std::string> running = ReadFile(marker);
    if (!running) throw Error("hello is not running (no " + marker.string() + ")");
    if (running != ReadFile(ConfigFile(ctx))) {
      throw Error("hello runs with an old config and needs a restart");
    }
  }
  void Run(Context& ctx) override {
    const std::optional<std::string> config = ReadFile(ConfigFile(ctx));
    if (!config) throw Error("no config to start hello with");
    ctx.log() << "restarting hello\n";
    WriteFile(MarkerFile(ctx), *config);
  }
};

/// One user's greeting file, users/<name>. Made at start-up, one per user.
class HelloUser : public dojobber::Job {
 public:
  explicit HelloUser(std::string user) : user_(std::move(user)) {}

  void Check(Context& ctx) override {
    const fs::path file = File(ctx);
    const std::optional<std::string> content = ReadFile(file);
    if (!content) throw Error(file.string() + " does not exist");
    if (*content != Wanted(ctx)) throw Error(file.string() + " holds an old greeting");
  }
  void Run(Context& ctx) override {
    fs::create_directories(File(ctx).parent_path());
    WriteFile(File(ctx), Wanted(ctx));
  }

 private:
  fs::path File(const Context& ctx) const { return ServiceDir(ctx) / "users" / user_; }
  std::string Wanted(const Context& ctx) const { return Greeting(ctx) + ", " + user_ + "!\n"; }

  std::string user_;
};

class Deploy : public dojobber::DummyJob {};

/// The names in the `users` argument. A bad name fails the plugin's
/// registration, so nothing runs.
std::vector<std::string> UsersFrom(const dojobber::Arguments& args) {
  const std::string text = args.GetString("users", "");
  std::vector<std::string> users;
  std::istringstream in(text);
  for (std::string user; std::getline(in, user, ',');) {
    if (user.empty()) continue;
    if (user.find_first_of("/ ") != std::string::npos || user == "." || user == "..") {
      throw dojobber::ArgumentError("argument 'users': \"" + user + "\" is not a user name");
    }
    users.push_back(user);
  }
  return users;
}

}  // namespace

DOJOBBER_PLUGIN(registry) {
  const std::vector<std::string> users = UsersFrom(registry.args());

  registry.Add<HelloDir>("HelloDir");
  registry.Add<HelloConfig>("HelloConfig").Deps({"HelloDir"});
  // A real service may take a moment to come up: give it more tries.
  registry.Add<HelloService>("HelloService").Deps({"HelloConfig"}).Tries(5).RetryDelay(0.5);
  dojobber::JobBuilder& deploy = registry.Add<Deploy>("Deploy").Deps({"HelloService"});
  for (const std::string& user : users) {
    const std::string name = "HelloUser " + user;
    registry.Add(name, [user] { return std::make_unique<HelloUser>(user); }).Deps({"HelloDir"});
    deploy.Deps({name});  // Deps appends.
  }
}
