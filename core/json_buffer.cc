#include "core/json_buffer.h"

#include "core/text_format.h"

namespace dojobber::core {

JsonBuffer::JsonBuffer(std::ostream& out) : out_(out), buffer_(new char[kSize]) {}

void JsonBuffer::String(std::string_view text) {
  // Names and messages rarely need escaping: copy those in one go.
  bool plain = true;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x80 || byte == '"' || byte == '\\') {
      plain = false;
      break;
    }
  }
  if (!plain) {
    escaped_.clear();
    AppendJsonString(escaped_, text);
    Raw(std::string_view(escaped_));
    return;
  }
  Room(text.size() + 2);
  if (text.size() + 2 > kSize) {
    Raw('"');
    Raw(text);
    Raw('"');
    return;
  }
  char* out = buffer_.get() + used_;
  out[0] = '"';
  if (!text.empty()) std::memcpy(out + 1, text.data(), text.size());  // data() may be null.
  out[text.size() + 1] = '"';
  used_ += text.size() + 2;
}

void JsonBuffer::Flush() {
  out_.write(buffer_.get(), static_cast<std::streamsize>(used_));
  used_ = 0;
}

void JsonBuffer::Spill(std::string_view text) {
  Flush();
  if (text.size() >= kSize) {
    out_.write(text.data(), static_cast<std::streamsize>(text.size()));
    return;
  }
  std::memcpy(buffer_.get(), text.data(), text.size());
  used_ = text.size();
}

}  // namespace dojobber::core
