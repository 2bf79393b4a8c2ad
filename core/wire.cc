#include "core/wire.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <utility>
#include <vector>

// The decoder drives two nlohmann::detail classes: binary_reader, because
// json::sax_parse takes no CBOR tag handler (binary subtypes travel as tags),
// and json_sax_dom_parser, the DOM builder from_cbor itself uses. ScanCbor
// relies on where 3.11's CBOR reader recurses. Recheck all three before
// moving to another nlohmann_json version.
static_assert(NLOHMANN_JSON_VERSION_MAJOR == 3 && NLOHMANN_JSON_VERSION_MINOR == 11,
              "core/wire.cc was checked against nlohmann_json 3.11 only");

namespace dojobber::core::wire {
namespace {

using nlohmann::json;

constexpr std::size_t kReadChunk = 64 * 1024;       // A pipe's default capacity.
constexpr std::size_t kKeptCapacity = 1024 * 1024;  // A reader keeps no more once drained.

std::string TooDeep() { return "nested deeper than " + std::to_string(kMaxDepth) + " levels"; }

Failure Corrupt(const std::string& why) { return Failure{"corrupt frame: " + why}; }

Failure EndsEarly(std::size_t at) {
  return Corrupt("the CBOR payload ends early (item at byte " + std::to_string(at) + ")");
}

std::uint64_t LoadLength(const char* bytes) {
  std::uint64_t length = 0;
  for (std::size_t i = kHeaderBytes; i-- > 0;) {
    length = (length << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return length;
}

void StoreLength(std::uint64_t length, char* bytes) {
  for (std::size_t i = 0; i < kHeaderBytes; ++i) {
    bytes[i] = static_cast<char>((length >> (8 * i)) & 0xFF);
  }
}

// The head of one CBOR data item (RFC 8949, section 3).
struct ItemHead {
  unsigned major = 0;       // 0 uint, 1 negative, 2 bytes, 3 text, 4 array, 5 map, 6 tag, 7 simple.
  unsigned info = 0;        // The low five bits of the first byte.
  std::uint64_t value = 0;  // The integer, length, count or tag number.
};

Expected<ItemHead> ReadHead(std::string_view payload, std::size_t& pos) {
  const std::size_t at = pos;
  if (pos >= payload.size()) return EndsEarly(at);
  const auto first = static_cast<unsigned char>(payload[pos++]);
  const unsigned info = first & 0x1Fu;
  ItemHead head{static_cast<unsigned>(first >> 5u), info, info};
  if (head.info < 24) return head;
  if (head.info > 27) {
    std::array<char, 8> hex{};
    std::snprintf(hex.data(), hex.size(), "0x%02X", first);
    return Corrupt("CBOR byte " + std::string(hex.data()) + " at byte " + std::to_string(at) +
                   " opens an indefinite length or is reserved");
  }
  const std::size_t size = std::size_t{1} << (head.info - 24);
  if (payload.size() - pos < size) return EndsEarly(at);
  head.value = 0;
  for (std::size_t i = 0; i < size; ++i) {
    head.value = (head.value << 8) | static_cast<unsigned char>(payload[pos++]);
  }
  return head;
}

// Refuses what Encode never writes, before nlohmann reads it. Its CBOR
// reader recurses once per array/map level, which DepthLimitedBuilder stops
// at kMaxDepth, but also once per indefinite-length string chunk nested in
// another and once per tag before a tagged item, where no SAX event lets us
// stop it: 100 KB of 0x7F or 0xC6 overflow an 8 MiB stack. So only definite
// lengths pass, and tags only as binary subtypes (0xD8-0xDB, then a byte
// string). With definite lengths this walk counts items and needs no stack.
Status ScanCbor(std::string_view payload) {
  std::uint64_t pending = 1;  // Items still to read, at any level.
  std::size_t pos = 0;
  while (pending > 0) {
    const std::size_t at = pos;
    Expected<ItemHead> head = ReadHead(payload, pos);
    if (!head) return head.failure();
    --pending;
    // Each item still to read takes a byte at least; checking that keeps
    // `pending` below the payload size, so it cannot overflow either.
    const std::uint64_t left = payload.size() - pos;
    if (pending > left) return EndsEarly(at);
    const std::uint64_t spare = left - pending;
    switch (head->major) {
      case 2:
      case 3:
        if (head->value > spare) return EndsEarly(at);
        pos += static_cast<std::size_t>(head->value);
        break;
      case 4:
      case 5: {
        const std::uint64_t per_entry = head->major == 4 ? 1 : 2;
        if (head->value > spare / per_entry) return EndsEarly(at);
        pending += head->value * per_entry;
        break;
      }
      case 6:
        if (head->info < 24 || pos >= payload.size() ||
            static_cast<unsigned char>(payload[pos]) >> 5u != 2) {
          return Corrupt("CBOR tag at byte " + std::to_string(at) + " is not a binary subtype");
        }
        ++pending;
        break;
      default:  // Integers and simple values: nlohmann refuses the ones it does not know.
        break;
    }
  }
  if (pos != payload.size()) {
    return Corrupt("the payload goes on after the message (" +
                   std::to_string(payload.size() - pos) + " more bytes)");
  }
  return {};
}

// Builds the message like from_cbor does, but stops the reader (by returning
// false) on entering level kMaxDepth + 1, before it recurses any deeper.
class DepthLimitedBuilder {
 public:
  explicit DepthLimitedBuilder(json& result) : dom_(result, /*allow_exceptions_=*/false) {}

  bool null() { return dom_.null(); }
  bool boolean(bool value) { return dom_.boolean(value); }
  bool number_integer(json::number_integer_t value) { return dom_.number_integer(value); }
  bool number_unsigned(json::number_unsigned_t value) { return dom_.number_unsigned(value); }
  bool number_float(json::number_float_t value, const json::string_t& text) {
    return dom_.number_float(value, text);
  }
  bool string(json::string_t& value) { return dom_.string(value); }
  bool binary(json::binary_t& value) { return dom_.binary(value); }
  bool start_object(std::size_t size) { return Enter() && dom_.start_object(size); }
  bool key(json::string_t& value) { return dom_.key(value); }
  bool end_object() { return Leave() && dom_.end_object(); }
  bool start_array(std::size_t size) { return Enter() && dom_.start_array(size); }
  bool end_array() { return Leave() && dom_.end_array(); }
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const json::exception& error) {
    error_ = error.what();
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  bool Enter() {
    if (++depth_ <= kMaxDepth) return true;
    error_ = TooDeep();
    return false;
  }
  bool Leave() {
    --depth_;
    return true;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::size_t depth_ = 0;
  std::string error_;
};

Expected<json> DecodePayload(std::string_view payload) {
  if (Status shape = ScanCbor(payload); !shape) return shape.failure();
  json message;
  DepthLimitedBuilder builder(message);
  auto input = nlohmann::detail::input_adapter(payload.data(), payload.data() + payload.size());
  nlohmann::detail::binary_reader<json, decltype(input), DepthLimitedBuilder> reader(
      std::move(input), json::input_format_t::cbor);
  bool parsed = false;
  try {
    parsed = reader.sax_parse(json::input_format_t::cbor, &builder, /*strict=*/true,
                              json::cbor_tag_handler_t::store);
  } catch (const json::exception& error) {
    // The DOM builder throws on a count above max_size(), which ScanCbor
    // already refuses; anything else nlohmann throws is a corrupt frame too.
    return Corrupt(error.what());
  }
  if (!parsed) return Corrupt(builder.error().empty() ? "bad CBOR" : builder.error());
  if (!message.is_object()) {
    return Corrupt(std::string("the message is of type ") + message.type_name() +
                   ", not an object");
  }
  return message;
}

// Blocks SIGPIPE on this thread while it lives, so that writing to a pipe
// with no reader gives EPIPE instead of killing the process, whatever the
// process does with SIGPIPE (the CLI catches it, a child has the default).
// DiscardRaised() takes back a SIGPIPE that our write left pending.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&sigpipe_);
    sigaddset(&sigpipe_, SIGPIPE);
    ::pthread_sigmask(SIG_BLOCK, &sigpipe_, &old_mask_);
    sigset_t pending;
    sigemptyset(&pending);
    ::sigpending(&pending);
    pending_before_ = sigismember(&pending, SIGPIPE) == 1;
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;
  ~SigpipeBlock() { ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr); }

  void DiscardRaised() {
    if (pending_before_) return;  // Someone else's: leave it for them.
    const timespec no_wait{};
    while (::sigtimedwait(&sigpipe_, nullptr, &no_wait) < 0 && errno == EINTR) {
    }
  }

 private:
  sigset_t sigpipe_{};
  sigset_t old_mask_{};
  bool pending_before_ = false;
};

void AwaitReady(int fd, short events) {
  pollfd entry{fd, events, 0};
  while (::poll(&entry, 1, -1) < 0 && errno == EINTR) {
  }
}

Status WriteAll(int fd, std::string_view data, bool is_socket) {
  while (!data.empty()) {
    const ssize_t written = is_socket ? ::send(fd, data.data(), data.size(), MSG_NOSIGNAL)
                                      : ::write(fd, data.data(), data.size());
    const int error = errno;
    if (written > 0) {
      data.remove_prefix(static_cast<std::size_t>(written));
    } else if (written == 0) {
      return Failure{"cannot write to the channel: it took no bytes"};
    } else if (error == EAGAIN || error == EWOULDBLOCK) {
      AwaitReady(fd, POLLOUT);
    } else if (error == EPIPE || error == ECONNRESET) {
      return Failure{"the other side closed the channel"};
    } else if (error != EINTR) {
      return Failure{std::string("cannot write to the channel: ") + std::strerror(error)};
    }
  }
  return {};
}

}  // namespace

std::size_t Depth(const json& value, std::size_t limit) {
  if (!value.is_structured()) return 0;
  // The containers being walked, outermost first: the path to the current
  // value, so memory grows with depth (at most limit + 1), not with size.
  std::vector<std::pair<json::const_iterator, json::const_iterator>> path;
  path.emplace_back(value.cbegin(), value.cend());
  std::size_t deepest = 1;
  while (!path.empty() && deepest <= limit) {
    auto& [next, end] = path.back();
    if (next == end) {
      path.pop_back();
      continue;
    }
    const json& child = *next++;
    if (!child.is_structured()) continue;
    path.emplace_back(child.cbegin(), child.cend());
    deepest = std::max(deepest, path.size());
  }
  return deepest > limit ? limit + 1 : deepest;
}

Expected<std::string> Encode(const json& message) {
  if (!message.is_object()) {
    return Failure{std::string("cannot send a message of type ") + message.type_name() +
                   ": a message is an object"};
  }
  if (Depth(message) > kMaxDepth) return Failure{"cannot send a message " + TooDeep()};
  std::string frame(kHeaderBytes, '\0');
  // to_cbor appends to the string and copies string bytes as they are, valid
  // UTF-8 or not (checked against 3.11.2: no validation either way).
  json::to_cbor(message, frame);
  const std::uint64_t length = frame.size() - kHeaderBytes;
  if (length > kMaxPayloadBytes) {
    return Failure{"cannot send a message of " + std::to_string(length) +
                   " bytes: the limit is 2^40"};
  }
  StoreLength(length, frame.data());
  return frame;
}

void FrameReader::Feed(std::string_view bytes) {
  if (failure_) return;  // Unusable for good: keep no more bytes.
  // Consumed bytes are dropped once they are at least half the buffer, so
  // every byte is moved a bounded number of times however frames arrive.
  if (start_ == buffer_.size()) {
    buffer_.clear();
    if (buffer_.capacity() > kKeptCapacity) std::string().swap(buffer_);  // After a big message.
    start_ = 0;
  } else if (start_ >= buffer_.size() - start_) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  buffer_.append(bytes);
}

Expected<std::optional<json>> FrameReader::Next() {
  if (failure_) return *failure_;
  if (buffered() < kHeaderBytes) return std::optional<json>();
  const std::uint64_t length = LoadLength(buffer_.data() + start_);
  if (length == 0 || length > kMaxPayloadBytes) {
    return Fail(Corrupt("a payload of " + std::to_string(length) +
                        " bytes cannot be a message (1 to 2^40 bytes)"));
  }
  if (buffered() - kHeaderBytes < length) return std::optional<json>();
  const std::string_view payload(buffer_.data() + start_ + kHeaderBytes,
                                 static_cast<std::size_t>(length));
  start_ += kHeaderBytes + static_cast<std::size_t>(length);
  Expected<json> message = DecodePayload(payload);
  if (!message) return Fail(message.failure());
  return std::optional<json>(std::move(*message));
}

Failure FrameReader::Fail(Failure failure) {
  failure_ = std::move(failure);
  std::string().swap(buffer_);  // Nothing will read these bytes.
  start_ = 0;
  return *failure_;
}

Status WriteMessage(int fd, const json& message) {
  Expected<std::string> frame = Encode(message);
  if (!frame) return frame.failure();
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISSOCK(info.st_mode)) return WriteAll(fd, *frame, true);
  SigpipeBlock block;
  Status written = WriteAll(fd, *frame, false);
  if (!written) block.DiscardRaised();  // A SIGPIPE comes only with a failed write.
  return written;
}

Expected<json> ReadMessage(int fd, FrameReader& reader) {
  std::array<char, kReadChunk> chunk;  // Not zeroed: read() fills what is used.
  while (true) {
    Expected<std::optional<json>> next = reader.Next();
    if (!next) return next.failure();
    if (next->has_value()) return std::move(**next);
    const ssize_t got = ::read(fd, chunk.data(), chunk.size());
    const int error = errno;
    if (got > 0) {
      reader.Feed(std::string_view(chunk.data(), static_cast<std::size_t>(got)));
    } else if (got == 0) {
      if (reader.buffered() == 0) return Failure{"the other side closed the channel"};
      return Failure{"the other side closed the channel in the middle of a message (" +
                     std::to_string(reader.buffered()) + " bytes of it arrived)"};
    } else if (error == EAGAIN || error == EWOULDBLOCK) {
      AwaitReady(fd, POLLIN);
    } else if (error != EINTR) {
      return Failure{std::string("cannot read the channel: ") + std::strerror(error)};
    }
  }
}

}  // namespace dojobber::core::wire
