// Jobs that look for the `run --lock` file among the descriptors of the
// process they run in, or of a command they start: nothing dojobber starts
// may keep the lock after dojobber has ended. Argument: lock=<path>.
#include <dojobber/dojobber.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace {

std::string LockPath(dojobber::Context& ctx) {
  return std::filesystem::canonical(ctx.args().GetString("lock")).string();
}

// Under --isolate: the try's own process, forked from the fork server.
class ForkedHasNoLock : public dojobber::Job {
 public:
  void Check(dojobber::Context& ctx) override {
    const std::string lock = LockPath(ctx);
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
      std::error_code ec;
      if (std::filesystem::read_symlink(entry.path(), ec).string() == lock) {
        ctx.Fail("this process holds the lock file as descriptor " +
                 entry.path().filename().string());
        return;
      }
    }
  }
  void Run(dojobber::Context&) override {}
};

// A command the job starts (fork and exec): it lists its own descriptors.
class ExecedHasNoLock : public dojobber::Job {
 public:
  void Check(dojobber::Context& ctx) override {
    const std::string lock = LockPath(ctx);
    FILE* pipe = ::popen("ls -l /proc/self/fd/", "r");
    if (pipe == nullptr) return ctx.Fail("cannot start ls");
    std::string listing;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) listing += buffer;
    ::pclose(pipe);
    if (listing.find("fd/") == std::string::npos && listing.find(" -> ") == std::string::npos) {
      return ctx.Fail("ls listed nothing");
    }
    if (listing.find(lock) != std::string::npos) ctx.Fail("the command holds the lock file");
  }
  void Run(dojobber::Context&) override {}
};

}  // namespace

DOJOBBER_PLUGIN(registry) {
  registry.Add<ForkedHasNoLock>("ForkedHasNoLock").Tries(1);
  registry.Add<ExecedHasNoLock>("ExecedHasNoLock").Tries(1);
}
