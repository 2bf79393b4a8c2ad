#ifndef DOJOBBER_CORE_COMPACT_VECTOR_H_
#define DOJOBBER_CORE_COMPACT_VECTOR_H_

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace dojobber::core {

/// A std::vector in one pointer, null while empty: 8 bytes where the vector
/// takes 24. Every job's report holds its earlier tries for the whole run,
/// and nearly every job of a million-job run succeeds on its first try, so
/// the list is nearly always empty.
///
/// It offers the part of std::vector's interface that reports use (append,
/// size, index, iterate); iterators are plain pointers. Copies are deep; a
/// moved-from CompactVector is empty.
template <class T>
class CompactVector {
 public:
  CompactVector() noexcept = default;
  CompactVector(const CompactVector& other)
      : items_(other.items_ ? std::make_unique<std::vector<T>>(*other.items_) : nullptr) {}
  CompactVector(CompactVector&& other) noexcept = default;
  CompactVector& operator=(const CompactVector& other) {
    // Copied before the old one goes: safe on itself.
    items_ = other.items_ ? std::make_unique<std::vector<T>>(*other.items_) : nullptr;
    return *this;
  }
  CompactVector& operator=(CompactVector&& other) noexcept = default;
  ~CompactVector() = default;

  bool empty() const noexcept { return items_ == nullptr; }
  std::size_t size() const noexcept { return items_ ? items_->size() : 0; }
  /// The item at `index`, which is below size().
  T& operator[](std::size_t index) noexcept { return (*items_)[index]; }
  const T& operator[](std::size_t index) const noexcept { return (*items_)[index]; }

  // Null (and null + 0, which is null) while empty.
  T* begin() noexcept { return items_ ? items_->data() : nullptr; }
  T* end() noexcept { return begin() + size(); }
  const T* begin() const noexcept { return items_ ? items_->data() : nullptr; }
  const T* end() const noexcept { return begin() + size(); }

  void push_back(T item) {
    if (items_) {
      items_->push_back(std::move(item));
      return;
    }
    auto items = std::make_unique<std::vector<T>>();  // Kept only once it holds the item.
    items->push_back(std::move(item));
    items_ = std::move(items);
  }

 private:
  /// Null while empty, never an empty vector: nothing removes items.
  std::unique_ptr<std::vector<T>> items_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_COMPACT_VECTOR_H_
