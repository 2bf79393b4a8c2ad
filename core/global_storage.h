#ifndef DOJOBBER_CORE_GLOBAL_STORAGE_H_
#define DOJOBBER_CORE_GLOBAL_STORAGE_H_

#include <functional>
#include <shared_mutex>

#include <dojobber/storage.h>

namespace dojobber::core {

/// The run's global storage: a JSON object behind a reader/writer lock.
///
/// Update is all or nothing: the function works on a copy, which replaces
/// the storage only when the function returns, so an Update that throws
/// changes nothing (as it does for a try in its own process, whose Update
/// is committed only when its function returns). The keyed calls change
/// the storage in place, without that copy.
class LockedGlobalStorage final : public GlobalStorage {
 public:
  LockedGlobalStorage() : data_(nlohmann::json::object()) {}
  explicit LockedGlobalStorage(nlohmann::json initial)
      : data_(initial.is_object() ? std::move(initial) : nlohmann::json::object()) {}

  void Update(const std::function<void(nlohmann::json&)>& fn) override;
  void Read(const std::function<void(const nlohmann::json&)>& fn) const override;
  void Set(std::string_view key, nlohmann::json value) override;
  bool Erase(std::string_view key) override;
  std::int64_t Add(std::string_view key, std::int64_t delta) override;

 private:
  mutable std::shared_mutex mutex_;
  nlohmann::json data_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_GLOBAL_STORAGE_H_
