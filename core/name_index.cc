#include "core/name_index.h"

#include <functional>

namespace dojobber::core {
std::uint32_t NameIndex::Tag(std::string_view name) {
  const std::size_t hash = std::hash<std::string_view>{}(name);
  return static_cast<std::uint32_t>(hash ^ (hash >> 32));
}

// Fibonacci hashing of the tag picks the first slot, so growing the table
// never needs the names again.
std::size_t NameIndex::Start(std::uint32_t tag) const {
  return static_cast<std::size_t>((tag * 0x9E3779B97F4A7C15ULL) >> shift_);
}

std::optional<std::uint32_t> NameIndex::Find(std::string_view name) const {
  if (slots_.empty()) return std::nullopt;
  const std::uint32_t tag = Tag(name);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = Start(tag);; i = (i + 1) & mask) {
    const std::uint64_t slot = slots_[i];
    if (Empty(slot)) return std::nullopt;
    if (TagOf(slot) == tag && NameOf(IndexOf(slot)) == name) return IndexOf(slot);
  }
}

std::uint32_t NameIndex::Insert(std::string_view name, std::uint32_t index, std::uint32_t tag) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = Start(tag);; i = (i + 1) & mask) {
    const std::uint64_t slot = slots_[i];
    if (Empty(slot)) {
      slots_[i] = Pack(tag, index);
      ++size_;
      return index;
    }
    if (TagOf(slot) == tag && NameOf(IndexOf(slot)) == name) return IndexOf(slot);
  }
}

void NameIndex::Grow() {
  std::vector<std::uint64_t> old = std::move(slots_);
  const std::size_t capacity = old.empty() ? 64 : old.size() * 2;
  slots_.assign(capacity, 0);
  shift_ = 64;
  for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
  const std::size_t mask = capacity - 1;
  for (std::uint64_t slot : old) {
    if (Empty(slot)) continue;
    std::size_t i = Start(TagOf(slot));
    while (!Empty(slots_[i])) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

}  // namespace dojobber::core
