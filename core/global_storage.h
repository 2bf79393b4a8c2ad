#ifndef DOJOBBER_CORE_GLOBAL_STORAGE_H_
#define DOJOBBER_CORE_GLOBAL_STORAGE_H_

#include <functional>
#include <shared_mutex>

#include <dojobber/storage.h>

namespace dojobber::core {

/// The run's global storage: a JSON object behind a reader/writer lock.
class LockedGlobalStorage final : public GlobalStorage {
 public:
  LockedGlobalStorage() : data_(nlohmann::json::object()) {}
  explicit LockedGlobalStorage(nlohmann::json initial)
      : data_(initial.is_object() ? std::move(initial) : nlohmann::json::object()) {}

  void Update(const std::function<void(nlohmann::json&)>& fn) override;
  void Read(const std::function<void(const nlohmann::json&)>& fn) const override;

 private:
  mutable std::shared_mutex mutex_;
  nlohmann::json data_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_GLOBAL_STORAGE_H_
