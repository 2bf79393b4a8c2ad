#ifndef DOJOBBER_CORE_JSON_BUFFER_H_
#define DOJOBBER_CORE_JSON_BUFFER_H_

#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace dojobber::core {

/// The room the shortest form of a double needs
/// (`-2.2250738585072014e-308`, 24 characters) and some spare.
inline constexpr std::size_t kShortestNumberSize = 32;

/// Writes `value` in the shortest form that reads back exactly (fixed or
/// scientific, whichever is shorter: std::to_chars) at `out`, which has room
/// for kShortestNumberSize characters; returns the end of what it wrote.
inline char* WriteShortest(char* out, double value) {
  return std::to_chars(out, out + kShortestNumberSize, value).ptr;
}

/// JSON text written to a stream through one fixed buffer, for reports of a
/// million jobs: each piece is copied straight into the buffer (no string
/// temporaries, no growth), which goes to the stream whenever it fills and
/// at Flush(). Nothing here checks the JSON's shape: the caller writes it.
class JsonBuffer {
 public:
  explicit JsonBuffer(std::ostream& out);
  JsonBuffer(const JsonBuffer&) = delete;
  JsonBuffer& operator=(const JsonBuffer&) = delete;

  /// Writes a literal as it is (JSON punctuation, keys): its length is known
  /// when compiled.
  template <std::size_t N>
  void Raw(const char (&text)[N]) {
    Raw(std::string_view(text, N - 1));
  }
  /// Writes `text` as it is.
  void Raw(std::string_view text) {
    if (text.empty()) return;  // Its data() may be null, which memcpy may not take.
    if (text.size() > kSize - used_) {
      Spill(text);
      return;
    }
    std::memcpy(buffer_.get() + used_, text.data(), text.size());
    used_ += text.size();
  }
  void Raw(char c) {
    if (used_ == kSize) Flush();
    buffer_[used_++] = c;
  }
  /// A JSON string literal, quotes included, as AppendJsonString writes it.
  void String(std::string_view text);
  void Bool(bool value) {
    if (value) {
      Raw("true");
    } else {
      Raw("false");
    }
  }
  template <std::integral Integral>
  void Integer(Integral value) {
    constexpr std::size_t kLongest = 20;  // -9223372036854775808, 18446744073709551615
    Room(kLongest);
    char* const out = buffer_.get() + used_;
    used_ += static_cast<std::size_t>(std::to_chars(out, out + kLongest, value).ptr - out);
  }
  /// The shortest form that reads back exactly (WriteShortest).
  void Number(double value) {
    Room(kShortestNumberSize);
    used_ = static_cast<std::size_t>(WriteShortest(buffer_.get() + used_, value) - buffer_.get());
  }
  /// Hands everything written so far to the stream.
  void Flush();

 private:
  static constexpr std::size_t kSize = std::size_t{1} << 16;

  void Room(std::size_t size) {
    if (size > kSize - used_) Flush();
  }
  void Spill(std::string_view text);

  std::ostream& out_;
  std::unique_ptr<char[]> buffer_;
  std::size_t used_ = 0;
  std::string escaped_;  // Scratch for strings that need escaping.
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_JSON_BUFFER_H_
