#include "core/global_storage.h"

#include <mutex>

namespace dojobber::core {

void LockedGlobalStorage::Update(const std::function<void(nlohmann::json&)>& fn) {
  std::unique_lock lock(mutex_);
  fn(data_);
  // A job may have replaced the whole value; storage stays an object.
  if (!data_.is_object()) data_ = nlohmann::json::object();
}

void LockedGlobalStorage::Read(const std::function<void(const nlohmann::json&)>& fn) const {
  std::shared_lock lock(mutex_);
  fn(data_);
}

}  // namespace dojobber::core
