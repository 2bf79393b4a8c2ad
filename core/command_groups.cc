#include "core/command_groups.h"

#include <signal.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <thread>

namespace dojobber::core {
namespace {

// The table of the whole process: lock-free, as a signal handler reads it.
// A group that finds it full is still tracked by its try, only not killed
// by KillAllCommandGroups().
constexpr std::size_t kTableSize = 4096;
std::array<std::atomic<pid_t>, kTableSize> live_groups{};
static_assert(std::atomic<pid_t>::is_always_lock_free);

void Enter(pid_t group) {
  for (std::atomic<pid_t>& slot : live_groups) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, group)) return;
  }
}

void Leave(pid_t group) {
  for (std::atomic<pid_t>& slot : live_groups) {
    pid_t expected = group;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

}  // namespace

TryCommands::~TryCommands() {
  for (pid_t group : groups_) Leave(group);
}

bool TryCommands::Started(pid_t group) {
  if (group <= 1) return false;  // Never a group that names all or init.
  std::lock_guard lock(mutex_);
  if (cancelled_) return false;
  groups_.push_back(group);
  Enter(group);
  return true;
}

void TryCommands::Ended(pid_t group) {
  std::lock_guard lock(mutex_);
  const auto found = std::find(groups_.begin(), groups_.end(), group);
  if (found == groups_.end()) return;
  groups_.erase(found);
  Leave(group);
}

void TryCommands::Cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  for (pid_t group : groups_) ::kill(-group, SIGTERM);
}

std::vector<pid_t> TryCommands::groups() const {
  std::lock_guard lock(mutex_);
  return groups_;
}

void EndProcessGroups(const std::vector<pid_t>& groups, double grace_seconds) {
  if (groups.empty()) return;
  for (pid_t group : groups) ::kill(-group, SIGTERM);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(grace_seconds);
  // A group is gone once no process has its id: kill(..., 0) says ESRCH.
  const auto any_left = [&] {
    return std::any_of(groups.begin(), groups.end(),
                       [](pid_t group) { return ::kill(-group, 0) == 0; });
  };
  while (any_left() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (pid_t group : groups) {
    if (::kill(-group, 0) == 0) ::kill(-group, SIGKILL);
  }
}

void KillAllCommandGroups() {
  for (const std::atomic<pid_t>& slot : live_groups) {
    const pid_t group = slot.load();
    if (group > 1) ::kill(-group, SIGKILL);
  }
}

}  // namespace dojobber::core
