#include "core/global_storage.h"

#include <mutex>
#include <string>
#include <utility>

namespace dojobber::core {

void LockedGlobalStorage::Update(const std::function<void(nlohmann::json&)>& fn) {
  std::unique_lock lock(mutex_);
  nlohmann::json copy = data_;
  fn(copy);  // May throw: the storage is then as it was.
  // A job may replace the whole value; the storage stays an object.
  data_ = copy.is_object() ? std::move(copy) : nlohmann::json::object();
}

void LockedGlobalStorage::Read(const std::function<void(const nlohmann::json&)>& fn) const {
  std::shared_lock lock(mutex_);
  fn(data_);
}

void LockedGlobalStorage::Set(std::string_view key, nlohmann::json value) {
  std::unique_lock lock(mutex_);
  data_[std::string(key)] = std::move(value);
}

bool LockedGlobalStorage::Erase(std::string_view key) {
  std::unique_lock lock(mutex_);
  return data_.erase(std::string(key)) > 0;
}

std::int64_t LockedGlobalStorage::Add(std::string_view key, std::int64_t delta) {
  std::unique_lock lock(mutex_);
  nlohmann::json& slot = data_[std::string(key)];
  // Throws nlohmann::json::type_error for a value that is not an integer,
  // before anything changes (a new key is null until the sum is stored).
  const std::int64_t sum = (slot.is_null() ? 0 : slot.get<std::int64_t>()) + delta;
  slot = sum;
  return sum;
}

}  // namespace dojobber::core
