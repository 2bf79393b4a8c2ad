#ifndef DOJOBBER_CORE_NAME_INDEX_H_
#define DOJOBBER_CORE_NAME_INDEX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dojobber::core {

/// Maps names to dense indices (0, 1, 2, ...) with one flat, open-addressed
/// table: a lookup touches one slot and, on a hash match, the name itself.
/// A node-based std::unordered_map costs a cache miss per node and an
/// allocation per name, which dominates graphs of a million jobs. The names
/// live elsewhere: `*names[index]`, which must be set before the next call
/// (a pointer, 8 bytes a name where a string_view would take 16).
class NameIndex {
 public:
  explicit NameIndex(const std::vector<const std::string*>& names) : names_(names) {}

  /// The index of `name`, if present.
  std::optional<std::uint32_t> Find(std::string_view name) const;
  /// Adds `name` with index `index` unless present; returns the index it has.
  std::uint32_t Insert(std::string_view name, std::uint32_t index) {
    return Insert(name, index, Tag(name));
  }
  /// The same, for a name whose Tag is known.
  std::uint32_t Insert(std::string_view name, std::uint32_t index, std::uint32_t tag);
  /// 32 bits of the name's hash.
  static std::uint32_t Tag(std::string_view name);
  /// Starts loading the slot where a lookup of a name with this tag begins,
  /// so that looking up several names costs one memory latency, not one each.
  void Prefetch(std::uint32_t tag) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Start(tag)]);
  }
  std::size_t size() const { return size_; }

 private:
  // A slot packs 32 bits of the hash (to skip most string compares) and the
  // index + 1 (0 marks an empty slot).
  static std::uint64_t Pack(std::uint32_t tag, std::uint32_t index) {
    return (static_cast<std::uint64_t>(tag) << 32) | (static_cast<std::uint64_t>(index) + 1);
  }
  static bool Empty(std::uint64_t slot) { return (slot & 0xffffffffu) == 0; }
  static std::uint32_t IndexOf(std::uint64_t slot) {
    return static_cast<std::uint32_t>((slot & 0xffffffffu) - 1);
  }
  static std::uint32_t TagOf(std::uint64_t slot) { return static_cast<std::uint32_t>(slot >> 32); }
  std::size_t Start(std::uint32_t tag) const;
  void Grow();

  std::string_view NameOf(std::uint32_t index) const { return *names_[index]; }

  const std::vector<const std::string*>& names_;
  std::vector<std::uint64_t> slots_;  // Size is 0 or a power of two.
  int shift_ = 64;                    // 64 - log2(slots_.size()).
  std::size_t size_ = 0;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_NAME_INDEX_H_
