#include "core/text_format.h"

#include <locale.h>
#include <wchar.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <cwchar>

namespace dojobber::core {
namespace {

// Length of the valid UTF-8 sequence at the start of `text`, or 0.
std::size_t Utf8SequenceLength(std::string_view text) {
  const auto lead = static_cast<unsigned char>(text[0]);
  std::size_t length = 0;
  std::uint32_t min = 0;
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    min = 0x10000;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  std::uint32_t code = lead & (0x7Fu >> length);
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[i]);
    if ((next & 0xC0) != 0x80) return 0;
    code = (code << 6) | (next & 0x3Fu);
  }
  const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
  return code < min || code > 0x10FFFF || surrogate ? 0 : length;
}

// Whether the valid UTF-8 sequence at the start of `text`, `length` bytes
// long, is a control character: C0, DEL or C1 (U+0080 to U+009F).
bool IsControl(std::string_view text, std::size_t length) {
  const auto lead = static_cast<unsigned char>(text[0]);
  if (length == 1) return lead < 0x20 || lead == 0x7F;
  return length == 2 && lead == 0xC2 && static_cast<unsigned char>(text[1]) < 0xA0;
}

}  // namespace

std::string FormatDuration(double seconds) {
  if (!(seconds >= 0)) seconds = 0;
  std::array<char, 32> buffer{};
  // Beyond 1e15 s (31 million years) the text would not fit the buffer; no
  // measured time comes near.
  std::snprintf(buffer.data(), buffer.size(), "%.3fs", std::min(seconds, 1e15));
  return buffer.data();
}

std::string FormatSeconds(double seconds) {
  std::array<char, 32> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), seconds);
  if (ec != std::errc()) return "?";
  return std::string(buffer.data(), end);
}

std::string FormatUtcTime(std::chrono::system_clock::time_point time) {
  const auto whole = std::chrono::floor<std::chrono::seconds>(time);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(time - whole).count();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(whole);
  std::tm utc{};
  if (::gmtime_r(&seconds, &utc) == nullptr) return "1970-01-01T00:00:00.000Z";
  std::array<char, 64> buffer{};
  const std::size_t length = std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%S", &utc);
  std::array<char, 8> fraction{};
  std::snprintf(fraction.data(), fraction.size(), ".%03dZ", static_cast<int>(millis));
  return std::string(buffer.data(), length) + fraction.data();
}

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  while (!text.empty()) {
    // Copy the longest run that needs no escaping in one go.
    std::size_t plain = 0;
    while (plain < text.size()) {
      const auto byte = static_cast<unsigned char>(text[plain]);
      if (byte < 0x20 || byte >= 0x80 || byte == '"' || byte == '\\') break;
      ++plain;
    }
    out.append(text.data(), plain);
    text.remove_prefix(plain);
    if (text.empty()) break;
    const char c = text[0];
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
      const std::size_t length = Utf8SequenceLength(text);
      if (length == 0) {
        out += "\\ufffd";
        text.remove_prefix(1);
      } else {
        out.append(text.substr(0, length));
        text.remove_prefix(length);
      }
      continue;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
    text.remove_prefix(1);
  }
  out += '"';
}

std::string_view JobNameProblem(std::string_view name) {
  if (name.empty()) return "is empty";
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t length = Utf8SequenceLength(name.substr(i));
    if (length == 0) return "is not valid UTF-8";
    if (IsControl(name.substr(i), length)) return "contains a control character";
    i += length;
  }
  return "";
}

bool HasControlCharacter(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = std::max<std::size_t>(1, Utf8SequenceLength(text.substr(i)));
    if (IsControl(text.substr(i), length)) return true;
    i += length;
  }
  return false;
}

std::string Printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = Utf8SequenceLength(text.substr(i));
    if (length != 0 && !IsControl(text.substr(i), length)) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\r' && text.substr(i + 1, 1) == "\n") {
      ++i;  // A CRLF line end reads as one `\n`, as from LF alone.
      continue;
    }
    if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\t') {
      out += "\\t";
    } else {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
    ++i;  // A C1 control's second byte is escaped on its own turn.
  }
  return out;
}

std::size_t DisplayWidth(std::string_view text) {
  // wcwidth and mbrtowc follow the thread's LC_CTYPE: use C.UTF-8 here, and
  // give the thread back its own locale after. Made once, kept to the end.
  static const locale_t kUtf8 = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{});
  const std::string shown = Printable(text);
  if (kUtf8 == locale_t{}) {
    return static_cast<std::size_t>(std::count_if(shown.begin(), shown.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // Lead bytes: characters.
    }));
  }
  const locale_t previous = ::uselocale(kUtf8);
  std::size_t width = 0;
  std::mbstate_t state{};
  for (std::size_t i = 0; i < shown.size();) {
    wchar_t wide = 0;
    const std::size_t length = std::mbrtowc(&wide, shown.data() + i, shown.size() - i, &state);
    // Printable leaves only whole, valid characters; NUL was escaped too.
    if (length == 0 || length > shown.size() - i) {
      state = std::mbstate_t{};
      ++width;
      ++i;
      continue;
    }
    const int columns = ::wcwidth(wide);
    width += columns < 0 ? 1 : static_cast<std::size_t>(columns);
    i += length;
  }
  ::uselocale(previous);
  return width;
}

std::string PadToWidth(std::string_view text, std::size_t width) {
  std::string padded = Printable(text);
  const std::size_t shown = DisplayWidth(padded);
  if (shown < width) padded.append(width - shown, ' ');
  return padded;
}

}  // namespace dojobber::core
