#ifndef DOJOBBER_STORAGE_H_
#define DOJOBBER_STORAGE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

namespace dojobber {

/// The run's global storage: one JSON object shared by every job for the
/// whole run. Every member takes the storage's lock for its own duration, so
/// the plain calls are safe when jobs run in parallel. Use Update() for a
/// read-modify-write that must not interleave with other jobs:
///
///     ctx.global().Set("Start-DateTime", "2099-09-14 16:57 UTC");
///     if (!ctx.global().Contains("Start-DateTime")) throw dojobber::Error("no date");
///     std::int64_t n = ctx.global().Add("pizza_failcount", 1);   // atomic
///     ctx.global().Update([](nlohmann::json& all) { all["seen"].push_back("me"); });
///
/// Values returned are copies; nothing hands out a reference that outlives the
/// lock.
///
/// Cost: in-process, each call is a lock and a copy of what it returns. In a
/// try that runs in its own process (`--executor isolate`, a cluster node)
/// each call is one round trip to the orchestrator, which holds the storage:
/// Contains, Get, Value, Set, Erase and Add carry one value, while Read,
/// Update and Snapshot carry the whole storage (Update twice: there and
/// back). Prefer the keyed calls for large storages.
class GlobalStorage {
 public:
  virtual ~GlobalStorage() = default;

  /// Calls `fn` with exclusive access to the whole storage object, all or
  /// nothing: when `fn` throws, the storage stays as it was. `fn` must
  /// work on the object it is given only: calling another member of this
  /// storage from inside it would wait for the lock it holds, forever.
  virtual void Update(const std::function<void(nlohmann::json&)>& fn) = 0;
  /// Calls `fn` with shared (read-only) access to the whole storage object;
  /// the same rule applies.
  virtual void Read(const std::function<void(const nlohmann::json&)>& fn) const = 0;

  /// Whether `key` is set.
  virtual bool Contains(std::string_view key) const {
    bool found = false;
    Read([&](const nlohmann::json& all) { found = all.contains(key); });
    return found;
  }
  /// A copy of the value at `key`, or null when it is not set.
  virtual nlohmann::json Get(std::string_view key) const {
    nlohmann::json value;
    Read([&](const nlohmann::json& all) {
      auto it = all.find(key);
      if (it != all.end()) value = *it;
    });
    return value;
  }
  /// The value at `key` converted to T, or `fallback` when it is not set.
  /// Throws nlohmann::json::type_error when the stored value is not a T.
  template <class T>
  T Value(std::string_view key, T fallback) const {
    nlohmann::json value = Get(key);
    return value.is_null() ? fallback : value.get<T>();
  }
  /// Sets `key` to `value`.
  virtual void Set(std::string_view key, nlohmann::json value) {
    Update([&](nlohmann::json& all) { all[std::string(key)] = std::move(value); });
  }
  /// Removes `key`; returns whether it was set.
  virtual bool Erase(std::string_view key) {
    bool erased = false;
    Update([&](nlohmann::json& all) { erased = all.erase(std::string(key)) > 0; });
    return erased;
  }
  /// Adds `delta` to the integer at `key` (0 when unset) and returns the sum,
  /// in one atomic step.
  virtual std::int64_t Add(std::string_view key, std::int64_t delta) {
    std::int64_t sum = 0;
    Update([&](nlohmann::json& all) {
      nlohmann::json& slot = all[std::string(key)];
      sum = (slot.is_null() ? 0 : slot.get<std::int64_t>()) + delta;
      slot = sum;
    });
    return sum;
  }
  /// A copy of the whole storage object.
  nlohmann::json Snapshot() const {
    nlohmann::json copy;
    Read([&](const nlohmann::json& all) { copy = all; });
    return copy;
  }
};

}  // namespace dojobber

#endif  // DOJOBBER_STORAGE_H_
