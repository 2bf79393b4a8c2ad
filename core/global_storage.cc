#include "core/global_storage.h"

#include <mutex>

namespace dojobber::core {

void LockedGlobalStorage::Update(const std::function<void(nlohmann::json&)>& fn) {
  std::unique_lock lock(mutex_);
  // A job may replace the whole value, and may throw after doing so; either
  // way the storage stays an object for every job after it.
  struct KeepObject {
    nlohmann::json& data;
    ~KeepObject() {
      if (!data.is_object()) data = nlohmann::json::object();
    }
  } keep{data_};
  fn(data_);
}

void LockedGlobalStorage::Read(const std::function<void(const nlohmann::json&)>& fn) const {
  std::shared_lock lock(mutex_);
  fn(data_);
}

}  // namespace dojobber::core
