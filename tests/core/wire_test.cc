#include "core/wire.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace dojobber::core::wire {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// A thread stack that holds the decoder's recursion down to kMaxDepth
// (inside nlohmann, one call per nesting level: about 450 KiB in a Debug
// build, up to 4 MiB under ASan, whose frames there are 5.7 KiB, over 1 MiB
// under TSan) but not the 100,000 levels the hostile frames below declare,
// 200 times more.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t kBoundedStack = 8 << 20;
#elif defined(__SANITIZE_THREAD__)
constexpr std::size_t kBoundedStack = 4 << 20;
#else
constexpr std::size_t kBoundedStack = 1 << 20;
#endif

// Runs `work` on a thread with a stack of `bytes`: a recursion without
// bound would crash the test binary instead of passing.
void RunOnStack(std::size_t bytes, std::function<void()> work) {
  pthread_attr_t attributes;
  ASSERT_EQ(pthread_attr_init(&attributes), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attributes, bytes), 0);
  pthread_t thread;
  const auto run = [](void* arg) -> void* {
    (*static_cast<std::function<void()>*>(arg))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attributes, run, &work), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attributes);
}

// For failure messages: dump() throws on the invalid UTF-8 these tests send.
std::string Show(const json& value) {
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  return text.size() > 300 ? text.substr(0, 300) + "..." : text;
}

// Whether `got` is what `sent` must come back as: the same bytes in every
// string and key, the same binary values and subtypes, NaN as NaN, -0.0 as
// -0.0, and the same integers (CBOR has one type for the non-negative ones,
// so a non-negative int64 comes back as uint64).
bool SameValue(const json& sent, const json& got) {
  if (sent.is_number_float() || got.is_number_float()) {
    if (!sent.is_number_float() || !got.is_number_float()) return false;
    const double a = sent.get<double>();
    const double b = got.get<double>();
    if (std::isnan(a)) return std::isnan(b);
    return a == b && std::signbit(a) == std::signbit(b);
  }
  if (sent.is_number_integer()) {
    const bool negative = !sent.is_number_unsigned() && sent.get<std::int64_t>() < 0;
    return got.is_number_integer() && got.is_number_unsigned() != negative && sent == got;
  }
  if (sent.type() != got.type()) return false;
  if (sent.is_string())
    return sent.get_ref<const std::string&>() == got.get_ref<const std::string&>();
  if (sent.is_binary()) return sent.get_binary() == got.get_binary();
  if (sent.is_array()) {
    if (sent.size() != got.size()) return false;
    for (std::size_t i = 0; i < sent.size(); ++i) {
      if (!SameValue(sent[i], got[i])) return false;
    }
    return true;
  }
  if (sent.is_object()) {
    if (sent.size() != got.size()) return false;
    for (const auto& [key, value] : sent.items()) {
      const auto found = got.find(key);
      if (found == got.end() || !SameValue(value, *found)) return false;
    }
    return true;
  }
  return sent == got;  // null, boolean
}

std::string Frame(std::string_view payload, std::uint64_t length) {
  std::string frame(kHeaderBytes, '\0');
  for (std::size_t i = 0; i < kHeaderBytes; ++i) {
    frame[i] = static_cast<char>((length >> (8 * i)) & 0xFF);
  }
  return frame.append(payload);
}
std::string Frame(std::string_view payload) { return Frame(payload, payload.size()); }

std::string Bytes(std::initializer_list<unsigned> bytes) {
  std::string text;
  for (unsigned byte : bytes) text.push_back(static_cast<char>(byte));
  return text;
}

// {"v": [[...[0]...]]}: `depth` levels counting the message object.
json Nested(std::size_t depth) {
  json value = 0;
  for (std::size_t level = 1; level < depth; ++level) {
    json array = json::array();
    array.push_back(std::move(value));
    value = std::move(array);
  }
  return {{"v", std::move(value)}};
}

// Encodes and decodes through a FrameReader fed one byte at a time.
Expected<json> RoundTrip(const json& message) {
  Expected<std::string> frame = Encode(message);
  if (!frame) return frame.failure();
  FrameReader reader;
  for (char byte : *frame) {
    reader.Feed(std::string_view(&byte, 1));
    Expected<std::optional<json>> next = reader.Next();
    if (!next) return next.failure();
    if (next->has_value()) {
      if (reader.buffered() != 0) return Failure{"bytes left after the message"};
      return std::move(**next);
    }
  }
  return Failure{"no message came out"};
}

// Random messages for the round-trip property, biased towards what breaks
// codecs: invalid UTF-8, empty things, deep nesting, extreme numbers.
class RandomJson {
 public:
  explicit RandomJson(std::uint32_t seed) : rng_(seed) {}

  json Message() {
    json message = json::object();
    const std::size_t entries = Below(6);
    for (std::size_t i = 0; i < entries; ++i) {
      message[Text()] = Below(40) == 0 ? Chain(Below(kMaxDepth)) : Value(3);
    }
    return message;
  }

  std::size_t Below(std::size_t bound) {
    return std::uniform_int_distribution<std::size_t>(0, bound - 1)(rng_);
  }

 private:
  json Value(int budget) {
    const std::size_t kind = Below(budget > 0 ? 10 : 7);
    if (kind < 7) return Scalar();
    json container = kind % 2 == 0 ? json::array() : json::object();
    const std::size_t size = Below(5);
    for (std::size_t i = 0; i < size; ++i) {
      if (container.is_array()) {
        container.push_back(Value(budget - 1));
      } else {
        container[Text()] = Value(budget - 1);
      }
    }
    return container;
  }

  // A scalar under `levels` arrays and objects.
  json Chain(std::size_t levels) {
    json value = Scalar();
    for (std::size_t level = 0; level < levels; ++level) {
      json container = Below(2) == 0 ? json::array() : json::object();
      if (container.is_array()) {
        container.push_back(std::move(value));
      } else {
        container[Text()] = std::move(value);
      }
      value = std::move(container);
    }
    return value;
  }

  json Scalar() {
    switch (Below(7)) {
      case 0:
        return nullptr;
      case 1:
        return Below(2) == 0;
      case 2:
        return Text();
      case 3:
        return Binary();
      case 4:
        return Integer();
      default:
        return Float();
    }
  }

  std::string Text() {
    static const std::array<std::string, 8> kOddBytes = {
        std::string(1, '\0'),
        "\xFF",
        "\xC0\xAF",
        "\xED\xA0\x80",
        "\x80",
        "\xF8\x88\x80\x80\x80",
        "\xE2\x82",                               // A sequence cut short.
        "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"};  // Valid: é€😀
    std::string text;
    switch (Below(4)) {
      case 0:
        return text;
      case 1:
        for (std::size_t n = Below(12); n > 0; --n)
          text.push_back(static_cast<char>('a' + Below(26)));
        return text;
      case 2:
        for (std::size_t n = Below(40); n > 0; --n) text.push_back(static_cast<char>(Below(256)));
        return text;
      default:
        for (std::size_t n = 1 + Below(4); n > 0; --n) text += kOddBytes[Below(kOddBytes.size())];
        return text;
    }
  }

  json Binary() {
    std::vector<std::uint8_t> bytes(Below(20));
    for (std::uint8_t& byte : bytes) byte = static_cast<std::uint8_t>(Below(256));
    static const std::array<std::uint64_t, 4> kSubtypes = {0, 42, 70000, std::uint64_t{1} << 40};
    if (Below(2) == 0) return json::binary(std::move(bytes));
    return json::binary(std::move(bytes), kSubtypes[Below(kSubtypes.size())]);
  }

  json Integer() {
    using I = std::numeric_limits<std::int64_t>;
    using U = std::numeric_limits<std::uint64_t>;
    static const std::array<json, 12> kEdges = {
        I::min(), I::max(), U::max(), 0, -1, 23, 24, -25, 255, 65536, -4294967296, 4294967295u};
    if (Below(2) == 0) return kEdges[Below(kEdges.size())];
    const std::uint64_t bits = (std::uint64_t{rng_()} << 32) | rng_();
    if (Below(2) == 0) return bits;
    return static_cast<std::int64_t>(bits);
  }

  json Float() {
    using D = std::numeric_limits<double>;
    static const std::array<double, 12> kEdges = {0.0,
                                                  -0.0,
                                                  0.1,
                                                  1.5,
                                                  D::max(),
                                                  -D::max(),
                                                  D::min(),
                                                  D::denorm_min(),
                                                  D::infinity(),
                                                  -D::infinity(),
                                                  D::quiet_NaN(),
                                                  1e-300};
    if (Below(2) == 0) return kEdges[Below(kEdges.size())];
    const std::uint64_t bits = (std::uint64_t{rng_()} << 32) | rng_();
    double value = 0;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }

  std::mt19937 rng_;
};

void TakeAll(FrameReader& reader, std::vector<json>& messages) {
  while (true) {
    Expected<std::optional<json>> next = reader.Next();
    ASSERT_TRUE(next.ok()) << next.message();
    if (!next->has_value()) return;
    messages.push_back(std::move(**next));
  }
}

TEST(WireTest, FrameIsALittleEndianLengthThenCbor) {
  Expected<std::string> frame = Encode({{"a", 1}});
  ASSERT_TRUE(frame.ok()) << frame.message();
  EXPECT_EQ(*frame, Bytes({4, 0, 0, 0, 0, 0, 0, 0, 0xA1, 0x61, 'a', 0x01}));
}

TEST(WireTest, EncodeRefusesAMessageThatIsNotAnObject) {
  for (const json& message : {json::array(), json(42), json("text"), json()}) {
    Expected<std::string> frame = Encode(message);
    ASSERT_FALSE(frame.ok()) << Show(message);
    EXPECT_THAT(frame.message(), HasSubstr("a message is an object"));
  }
}

TEST(WireTest, RoundTripsStringsAndKeysThatAreNotUtf8) {
  const std::string odd = Bytes({'a', 0, 'b', 0xFF, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0x80});
  const json sent = {{"value", odd}, {odd, "key"}, {std::string(1, '\0'), std::string(3, '\0')}};
  Expected<json> got = RoundTrip(sent);
  ASSERT_TRUE(got.ok()) << got.message();
  ASSERT_TRUE((*got)["value"].is_string()) << "a string must not come back as binary";
  EXPECT_EQ((*got)["value"].get_ref<const std::string&>(), odd);
  EXPECT_TRUE(got->contains(odd));
  EXPECT_EQ((*got)[std::string(1, '\0')].get_ref<const std::string&>(), std::string(3, '\0'));
  EXPECT_TRUE(SameValue(sent, *got)) << Show(*got);
}

TEST(WireTest, RoundTripsEveryByteValue) {
  std::string all;
  for (int byte = 0; byte < 256; ++byte) all.push_back(static_cast<char>(byte));
  Expected<json> got = RoundTrip({{"all", all}, {all, all}});
  ASSERT_TRUE(got.ok()) << got.message();
  EXPECT_EQ((*got)["all"].get_ref<const std::string&>(), all);
  EXPECT_EQ((*got)[all].get_ref<const std::string&>(), all);
}

TEST(WireTest, RoundTripsNumberExtremes) {
  using I = std::numeric_limits<std::int64_t>;
  using U = std::numeric_limits<std::uint64_t>;
  using D = std::numeric_limits<double>;
  const json sent = {
      {"int", {I::min(), I::max(), -1, 0, 1}},
      {"uint", {U::max(), U::min()}},
      {"float", {0.0, -0.0, 0.1, D::max(), D::lowest(), D::min(), D::denorm_min(), D::epsilon()}},
      {"special", {D::infinity(), -D::infinity(), D::quiet_NaN()}},
  };
  Expected<json> got = RoundTrip(sent);
  ASSERT_TRUE(got.ok()) << got.message();
  EXPECT_TRUE(SameValue(sent, *got)) << Show(*got);
  EXPECT_EQ((*got)["int"][0].get<std::int64_t>(), I::min());
  EXPECT_EQ((*got)["uint"][0].get<std::uint64_t>(), U::max());
  EXPECT_TRUE(std::signbit((*got)["float"][1].get<double>()));
  EXPECT_TRUE(std::isnan((*got)["special"][2].get<double>()));
}

TEST(WireTest, RoundTripsBinaryValuesWithAndWithoutSubtype) {
  const json sent = {
      {"empty", json::binary({})},
      {"bytes", json::binary({0, 0xFF, 0x7F, 0x80})},
      {"subtype 0", json::binary({1, 2}, 0)},
      {"subtype 255", json::binary({3}, 255)},
      {"subtype 2^40", json::binary({}, std::uint64_t{1} << 40)},
  };
  Expected<json> got = RoundTrip(sent);
  ASSERT_TRUE(got.ok()) << got.message();
  for (const auto& [key, value] : sent.items()) {
    ASSERT_TRUE((*got)[key].is_binary()) << key;
    EXPECT_EQ((*got)[key].get_binary(), value.get_binary()) << key;
  }
  EXPECT_FALSE((*got)["bytes"].get_binary().has_subtype());
  EXPECT_EQ((*got)["subtype 2^40"].get_binary().subtype(), std::uint64_t{1} << 40);
}

TEST(WireTest, RoundTripsEmptyAndPlainValues) {
  const json sent = {{"", ""},
                     {"array", json::array()},
                     {"object", json::object()},
                     {"null", nullptr},
                     {"true", true},
                     {"false", false},
                     {"nested", {{"a", {1, "two", {{"three", 3.5}}}}}}};
  Expected<json> got = RoundTrip(sent);
  ASSERT_TRUE(got.ok()) << got.message();
  EXPECT_TRUE(SameValue(sent, *got)) << Show(*got);
  EXPECT_EQ(*got, sent);
  EXPECT_EQ(RoundTrip(json::object()).value(), json::object());
}

// The property: whatever the message, however the bytes are cut, several
// frames back to back come out as sent, byte for byte.
TEST(WireTest, RoundTripsRandomMessagesInAnyFragmentation) {
  RandomJson random(20240611);
  FrameReader reader;
  std::size_t messages = 0;
  for (int round = 0; round < 1500; ++round) {
    std::vector<json> sent;
    std::string stream;
    for (std::size_t count = 1 + random.Below(3); count > 0; --count) {
      sent.push_back(random.Message());
      Expected<std::string> frame = Encode(sent.back());
      ASSERT_TRUE(frame.ok()) << frame.message() << ": " << Show(sent.back());
      stream += *frame;
    }
    static const std::array<std::size_t, 4> kLargestPiece = {1, 7, 100, 1 << 20};
    const std::size_t largest = kLargestPiece[random.Below(kLargestPiece.size())];
    std::vector<json> got;
    for (std::size_t pos = 0; pos < stream.size();) {
      const std::size_t piece = 1 + random.Below(std::min(largest, stream.size() - pos));
      reader.Feed(std::string_view(stream).substr(pos, piece));
      pos += piece;
      ASSERT_NO_FATAL_FAILURE(TakeAll(reader, got));
    }
    ASSERT_EQ(got.size(), sent.size()) << "round " << round;
    EXPECT_EQ(reader.buffered(), 0u);
    for (std::size_t i = 0; i < sent.size(); ++i) {
      ASSERT_TRUE(SameValue(sent[i], got[i]))
          << "round " << round << ": " << Show(sent[i]) << " came back as " << Show(got[i]);
    }
    messages += sent.size();
  }
  EXPECT_GE(messages, 2500u);
}

// No size cap: 100 MB, far above any pipe buffer or 32-bit-length trouble
// spot below 4 GiB. Sanitizer builds, ten times slower per byte, use 16 MB:
// the same code paths (the same 5-byte CBOR string header, hundreds of
// pipe-fulls), at a cost CI can pay twice.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr std::size_t kVeryLarge = std::size_t{16} << 20;
#else
constexpr std::size_t kVeryLarge = std::size_t{100} << 20;
#endif

// `size` bytes of every value, in a pattern whose period (4099, a prime) is
// no power of two, so that a piece moved to the wrong place shows.
std::string Blob(std::size_t size) {
  std::string text;
  for (std::size_t i = 0; i < 4099; ++i) text.push_back(static_cast<char>((i * 131) & 0xFF));
  while (text.size() < size) text.append(text, 0, std::min(text.size(), size - text.size()));
  text.resize(size);
  return text;
}

TEST(WireTest, RoundTripsAVeryLargeString) {
  const json sent = {{"result", Blob(kVeryLarge)}};
  Expected<std::string> frame = Encode(sent);
  ASSERT_TRUE(frame.ok()) << frame.message();
  EXPECT_EQ(frame->size(), kHeaderBytes + 1 + 7 + 5 + kVeryLarge);
  FrameReader reader;
  std::optional<json> got;
  const std::size_t piece = 1 << 20;
  for (std::size_t pos = 0; pos < frame->size(); pos += piece) {
    ASSERT_FALSE(got.has_value()) << "a message came out before its last byte";
    reader.Feed(std::string_view(*frame).substr(pos, piece));
    Expected<std::optional<json>> next = reader.Next();
    ASSERT_TRUE(next.ok()) << next.message();
    got = std::move(*next);
  }
  ASSERT_TRUE(got.has_value());
  // Not EXPECT_EQ: a failure would print 100 MB.
  EXPECT_TRUE((*got)["result"].get_ref<const std::string&>() ==
              sent["result"].get_ref<const std::string&>());
}

// A writer thread and a reader on the two ends of `fds`; the message after
// the big one proves the stream stays in step.
void Carry(std::size_t size, std::array<int, 2> fds) {
  const json sent = {{"result", Blob(size)}};
  Status first;
  Status second;
  std::thread writer([&] {
    first = WriteMessage(fds[1], sent);
    second = WriteMessage(fds[1], {{"after", 1}});
    ::close(fds[1]);
  });
  FrameReader reader;
  Expected<json> big = ReadMessage(fds[0], reader);
  Expected<json> after = ReadMessage(fds[0], reader);
  Expected<json> end = ReadMessage(fds[0], reader);
  ::close(fds[0]);  // First: a writer stuck on a full channel gets EPIPE.
  writer.join();
  ASSERT_TRUE(first.ok()) << first.message();
  ASSERT_TRUE(second.ok()) << second.message();
  ASSERT_TRUE(big.ok()) << big.message();
  EXPECT_TRUE((*big)["result"].get_ref<const std::string&>() ==
              sent["result"].get_ref<const std::string&>());
  ASSERT_TRUE(after.ok()) << after.message();
  EXPECT_EQ(*after, json({{"after", 1}}));
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.message(), "the other side closed the channel");
}

TEST(WireChannelTest, CarriesAVeryLargeStringThroughAPipe) {
  std::array<int, 2> fds{};
  ASSERT_EQ(::pipe2(fds.data(), O_CLOEXEC), 0);
  Carry(kVeryLarge, fds);
}

// Big enough for send() to take it in pieces. (Decoding runs at about
// 100 MB/s, 10 MB/s in a debug build: one 100 MB test per path is enough.)
TEST(WireChannelTest, CarriesAFourMegabyteStringThroughASocket) {
  std::array<int, 2> fds{};
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds.data()), 0);
  Carry((std::size_t{4} << 20) + 7, fds);
}

TEST(WireTest, DepthCountsLevelsOfArraysAndObjects) {
  EXPECT_EQ(Depth(json(1)), 0u);
  EXPECT_EQ(Depth(json("text")), 0u);
  EXPECT_EQ(Depth(json::binary({1, 2})), 0u);
  EXPECT_EQ(Depth(json::array()), 1u);
  EXPECT_EQ(Depth(json::object()), 1u);
  EXPECT_EQ(Depth(json::parse("[[1]]")), 2u);
  EXPECT_EQ(Depth(json::parse(R"({"a": 1, "b": {"c": [[], 2]}, "d": []})")), 4u);
  EXPECT_EQ(Depth(Nested(kMaxDepth)), kMaxDepth);
}

TEST(WireTest, DepthStopsCountingAboveTheLimit) {
  EXPECT_EQ(Depth(Nested(1000), 10), 11u);
  EXPECT_EQ(Depth(Nested(10), 10), 10u);
  EXPECT_EQ(Depth(Nested(1000)), kMaxDepth + 1);
  EXPECT_EQ(Depth(json::array(), 0), 1u);
  EXPECT_EQ(Depth(json(1), 0), 0u);
}

TEST(WireTest, DepthOfAHundredThousandLevelsNeedsNoRecursion) {
  const json deep = Nested(100'000);
  RunOnStack(kBoundedStack, [&] { EXPECT_EQ(Depth(deep, 1'000'000), 100'000u); });
}

TEST(WireTest, RoundTripsExactlyMaxDepth) {
  const json sent = Nested(kMaxDepth);
  ASSERT_EQ(Depth(sent), kMaxDepth);
  Expected<json> got = RoundTrip(sent);
  ASSERT_TRUE(got.ok()) << got.message();
  EXPECT_EQ(*got, sent);
}

TEST(WireTest, EncodeRefusesOneLevelMoreThanMaxDepth) {
  Expected<std::string> frame = Encode(Nested(kMaxDepth + 1));
  ASSERT_FALSE(frame.ok());
  EXPECT_EQ(frame.message(), "cannot send a message nested deeper than 512 levels");
}

Expected<std::optional<json>> ReadOne(std::string_view bytes) {
  FrameReader reader;
  reader.Feed(bytes);
  return reader.Next();
}

// {"a": {"a": ... {"a": 0}}}, `depth` objects, built by hand: Encode would refuse it.
std::string NestedObjectsPayload(std::size_t depth) {
  std::string payload;
  for (std::size_t level = 0; level < depth; ++level) payload += Bytes({0xA1, 0x61, 'a'});
  payload.push_back('\0');
  return payload;
}

TEST(FrameReaderTest, TakesAMessageAtExactlyMaxDepthBuiltByHand) {
  RunOnStack(kBoundedStack, [] {
    Expected<std::optional<json>> next = ReadOne(Frame(NestedObjectsPayload(kMaxDepth)));
    ASSERT_TRUE(next.ok()) << next.message();
    ASSERT_TRUE(next->has_value());
    EXPECT_EQ(Depth(**next), kMaxDepth);
  });
}

TEST(FrameReaderTest, RefusesOneLevelMoreThanMaxDepth) {
  RunOnStack(kBoundedStack, [] {
    Expected<std::optional<json>> next = ReadOne(Frame(NestedObjectsPayload(kMaxDepth + 1)));
    ASSERT_FALSE(next.ok());
    EXPECT_EQ(next.message(), "corrupt frame: nested deeper than 512 levels");
  });
}

TEST(FrameReaderTest, RefusesAHundredThousandLevelsWithoutRecursion) {
  std::string arrays(100'000, '\x81');  // [[[...[0]...]]]
  arrays.push_back('\0');
  RunOnStack(kBoundedStack, [&] {
    for (const std::string& payload : {arrays, NestedObjectsPayload(100'000)}) {
      Expected<std::optional<json>> next = ReadOne(Frame(payload));
      ASSERT_FALSE(next.ok());
      EXPECT_EQ(next.message(), "corrupt frame: nested deeper than 512 levels");
    }
  });
}

// nlohmann's CBOR reader also recurses once per indefinite-length chunk
// nested in another and once per tag, with no SAX event to stop it; 100,000
// of them crash it on an 8 MiB stack. Such frames never reach it.
TEST(FrameReaderTest, RefusesNestingNlohmannWouldFollowWithoutASaxEvent) {
  const std::string object_then = Bytes({0xA1, 0x61, 'a'});
  RunOnStack(kBoundedStack, [&] {
    for (unsigned byte : {0x7Fu, 0x5Fu, 0xC6u, 0xD8u}) {
      std::string payload = object_then + std::string(100'000, static_cast<char>(byte));
      payload.push_back('\0');
      Expected<std::optional<json>> next = ReadOne(Frame(payload));
      ASSERT_FALSE(next.ok()) << byte;
      EXPECT_THAT(next.message(), HasSubstr("corrupt frame: CBOR ")) << byte;
    }
  });
}

TEST(FrameReaderTest, WaitsForAWholeFrame) {
  Expected<std::string> frame = Encode({{"phase", "run"}});
  ASSERT_TRUE(frame.ok());
  FrameReader reader;
  for (std::size_t i = 0; i + 1 < frame->size(); ++i) {
    reader.Feed(frame->substr(i, 1));
    Expected<std::optional<json>> next = reader.Next();
    ASSERT_TRUE(next.ok()) << next.message();
    ASSERT_FALSE(next->has_value()) << "after " << i + 1 << " bytes";
    EXPECT_EQ(reader.buffered(), i + 1);
  }
  reader.Feed(frame->substr(frame->size() - 1));
  Expected<std::optional<json>> next = reader.Next();
  ASSERT_TRUE(next.ok()) << next.message();
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ(**next, json({{"phase", "run"}}));
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(FrameReaderTest, KeepsThePartOfTheNextFrame) {
  const std::string first = Encode({{"n", 1}}).value();
  const std::string second = Encode({{"n", 2}}).value();
  FrameReader reader;
  reader.Feed(first + second.substr(0, 5));
  std::vector<json> got;
  TakeAll(reader, got);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(reader.buffered(), 5u);
  reader.Feed(second.substr(5));
  TakeAll(reader, got);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1], json({{"n", 2}}));
}

TEST(FrameReaderTest, TakesOutTenThousandSmallFramesInOrder) {
  std::string stream;
  for (int n = 0; n < 10'000; ++n) stream += Encode({{"n", n}, {"phase", "check"}}).value();
  FrameReader reader;
  std::vector<json> got;
  // Pieces that end mid-frame, so that the reader both consumes and compacts.
  for (std::size_t pos = 0; pos < stream.size(); pos += 4099) {
    reader.Feed(std::string_view(stream).substr(pos, 4099));
    ASSERT_NO_FATAL_FAILURE(TakeAll(reader, got));
    EXPECT_LT(reader.buffered(), 100u);
  }
  ASSERT_EQ(got.size(), 10'000u);
  for (int n = 0; n < 10'000; ++n) ASSERT_EQ(got[static_cast<std::size_t>(n)]["n"], n);
}

TEST(FrameReaderTest, RefusesGarbage) {
  const std::vector<std::string> payloads = {
      Bytes({0xFF, 0xFE, 0xFD}),       // A break byte where a value starts.
      Bytes({0xA1, 0x61, 'a', 0xF7}),  // `undefined`, which JSON has no value for.
      Bytes({0xA1, 0x01, 0x02}),       // An integer key.
      Bytes({0xA1, 0x61, 'a'}),        // A key without its value.
      Bytes({0xA0, 0x00}),             // Bytes after the message.
      Bytes({0xBB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}),  // 2^64 - 1 entries.
      Bytes({0xA1, 0x7B, 0, 0, 0, 1, 0, 0, 0, 0, 0}),                 // A 4 GiB key.
  };
  for (const std::string& payload : payloads) {
    Expected<std::optional<json>> next = ReadOne(Frame(payload));
    ASSERT_FALSE(next.ok()) << Show(
        json::binary(std::vector<std::uint8_t>(payload.begin(), payload.end())));
    EXPECT_THAT(next.message(), HasSubstr("corrupt frame: "));
  }
}

TEST(FrameReaderTest, RefusesAMessageThatIsNotAnObject) {
  for (const std::string& payload : {Bytes({0x81, 0x01}), Bytes({0x61, 'x'}), Bytes({0xF6})}) {
    Expected<std::optional<json>> next = ReadOne(Frame(payload));
    ASSERT_FALSE(next.ok());
    EXPECT_THAT(next.message(), HasSubstr(", not an object"));
  }
}

TEST(FrameReaderTest, RefusesALengthThatCannotBeAFrame) {
  for (std::uint64_t length :
       {kMaxPayloadBytes + 1, std::numeric_limits<std::uint64_t>::max(), std::uint64_t{0}}) {
    // The header alone is enough to refuse it: no waiting for 2^64 bytes.
    Expected<std::optional<json>> next = ReadOne(Frame("", length));
    ASSERT_FALSE(next.ok()) << length;
    EXPECT_THAT(next.message(), HasSubstr("cannot be a message (1 to 2^40 bytes)"));
  }
  Expected<std::optional<json>> largest = ReadOne(Frame("", kMaxPayloadBytes));
  ASSERT_TRUE(largest.ok()) << largest.message();
  EXPECT_FALSE(largest->has_value()) << "2^40 bytes is a frame still to come";
}

TEST(FrameReaderTest, StaysFailedAfterACorruptFrame) {
  FrameReader reader;
  reader.Feed(Frame(Bytes({0xFF})));
  Expected<std::optional<json>> first = reader.Next();
  ASSERT_FALSE(first.ok());
  reader.Feed(Encode({{"good", true}}).value());
  Expected<std::optional<json>> again = reader.Next();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.message(), first.message());
  EXPECT_EQ(reader.buffered(), 0u) << "a failed reader keeps no bytes";
}

struct PipeEnds {
  PipeEnds() { EXPECT_EQ(::pipe2(fds.data(), O_CLOEXEC), 0); }
  ~PipeEnds() {
    for (int fd : fds) {
      if (fd >= 0) ::close(fd);
    }
  }
  void Close(int end) {
    ::close(fds[static_cast<std::size_t>(end)]);
    fds[static_cast<std::size_t>(end)] = -1;
  }
  int read() const { return fds[0]; }
  int write() const { return fds[1]; }
  std::array<int, 2> fds{-1, -1};
};

void WriteRaw(int fd, const std::string& bytes) {
  ASSERT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
}

TEST(WireChannelTest, ReadMessageFailsWhenThePeerClosesFirst) {
  PipeEnds pipe;
  pipe.Close(1);
  FrameReader reader;
  Expected<json> got = ReadMessage(pipe.read(), reader);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.message(), "the other side closed the channel");
}

TEST(WireChannelTest, ReadMessageFailsOnAHeaderCutShortByEndOfFile) {
  PipeEnds pipe;
  WriteRaw(pipe.write(), Bytes({3, 0, 0}));
  pipe.Close(1);
  FrameReader reader;
  Expected<json> got = ReadMessage(pipe.read(), reader);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.message(),
            "the other side closed the channel in the middle of a message (3 bytes of it arrived)");
}

TEST(WireChannelTest, ReadMessageFailsOnACorruptFrame) {
  PipeEnds pipe;
  WriteRaw(pipe.write(), Frame(Bytes({0x81, 0x01})));
  FrameReader reader;
  Expected<json> got = ReadMessage(pipe.read(), reader);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.message(), "corrupt frame: the message is of type array, not an object");
}

TEST(WireChannelTest, ReadMessageKeepsWhatFollowsForTheNextCall) {
  PipeEnds pipe;
  WriteRaw(pipe.write(), Encode({{"n", 1}}).value() + Encode({{"n", 2}}).value());
  pipe.Close(1);
  FrameReader reader;
  Expected<json> first = ReadMessage(pipe.read(), reader);
  Expected<json> second = ReadMessage(pipe.read(), reader);
  ASSERT_TRUE(first.ok()) << first.message();
  ASSERT_TRUE(second.ok()) << second.message();
  EXPECT_EQ((*first)["n"], 1);
  EXPECT_EQ((*second)["n"], 2);
}

TEST(WireChannelTest, WriteMessageRefusesWhatEncodeRefuses) {
  PipeEnds pipe;
  Status written = WriteMessage(pipe.write(), Nested(kMaxDepth + 1));
  ASSERT_FALSE(written.ok());
  EXPECT_THAT(written.message(), HasSubstr("nested deeper than 512 levels"));
}

bool SigpipePending() {
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  return sigismember(&pending, SIGPIPE) == 1;
}

// With SIGPIPE at its default, death, as in a child process: the write
// fails with a message, no SIGPIPE is left pending, the mask is as it was.
TEST(WireChannelTest, WriteMessageToAClosedPipeFailsWithoutSigpipe) {
  struct sigaction old_action {};
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  ASSERT_EQ(sigaction(SIGPIPE, &default_action, &old_action), 0);
  PipeEnds pipe;
  pipe.Close(0);
  Status written = WriteMessage(pipe.write(), {{"phase", "run"}});
  const bool pending = SigpipePending();
  sigset_t mask;
  pthread_sigmask(SIG_SETMASK, nullptr, &mask);
  sigaction(SIGPIPE, &old_action, nullptr);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.message(), "the other side closed the channel");
  EXPECT_FALSE(pending);
  EXPECT_FALSE(sigismember(&mask, SIGPIPE));
}

TEST(WireChannelTest, WriteMessageToAClosedSocketFailsWithoutSigpipe) {
  struct sigaction old_action {};
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  ASSERT_EQ(sigaction(SIGPIPE, &default_action, &old_action), 0);
  std::array<int, 2> fds{};
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds.data()), 0);
  ::close(fds[1]);
  Status written = WriteMessage(fds[0], {{"phase", "run"}});
  ::close(fds[0]);
  sigaction(SIGPIPE, &old_action, nullptr);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.message(), "the other side closed the channel");
}

}  // namespace
}  // namespace dojobber::core::wire
