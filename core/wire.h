#ifndef DOJOBBER_CORE_WIRE_H_
#define DOJOBBER_CORE_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/expected.h"

/// The framing of the messages a try exchanges with the process that runs it
/// (a child process, a Slurm job step over srun's stdin/stdout): see
/// docs/protocol.md, "Framing". Binary safe: any bytes in a string, a key or
/// a binary value arrive as they were sent.
namespace dojobber::core::wire {

/// Protocol version carried in the first message of every exchange.
inline constexpr int kVersion = 2;
/// Deepest nesting of arrays/objects accepted in any value (results, storage).
/// The message object itself is one level: a value inside it may nest
/// kMaxDepth - 1 levels.
inline constexpr std::size_t kMaxDepth = 512;
/// Bytes in a frame header: the payload length, uint64 little-endian.
inline constexpr std::size_t kHeaderBytes = 8;
/// Largest payload accepted, in bytes (1 TiB). A header that declares more is
/// taken for a corrupt frame (stray bytes read as a length), not a message.
inline constexpr std::uint64_t kMaxPayloadBytes = std::uint64_t{1} << 40;

/// Nesting depth of `value` (a scalar is 0, [] is 1, [[1]] is 2), computed
/// without recursion; stops counting once above `limit` and returns limit+1.
std::size_t Depth(const nlohmann::json& value, std::size_t limit = kMaxDepth);

/// One frame: an 8-byte little-endian payload length, then the payload, the
/// message (a JSON object) encoded as CBOR. Fails (no exception) when the
/// message nests deeper than kMaxDepth or is not an object.
Expected<std::string> Encode(const nlohmann::json& message);

/// Incremental decoder: feed bytes as they arrive, in any fragmentation,
/// take whole messages out. Memory: the bytes of the frames not yet taken
/// out. Thread-compatible.
class FrameReader {
 public:
  void Feed(std::string_view bytes);
  /// The next whole message; std::nullopt when more bytes are needed; a
  /// Failure for a corrupt frame (bad CBOR, not an object, deeper than
  /// kMaxDepth, length that cannot be a frame). After a failure the reader
  /// is unusable (every later call returns the failure again). Decoding
  /// recurses once per nesting level inside nlohmann_json: a message at
  /// kMaxDepth needs under 64 KiB of stack in an optimized build, about
  /// 450 KiB in a debug build, up to 4 MiB under sanitizers.
  Expected<std::optional<nlohmann::json>> Next();
  /// Bytes fed but not yet consumed by a whole frame.
  std::size_t buffered() const { return buffer_.size() - start_; }

 private:
  Failure Fail(Failure failure);

  std::string buffer_;
  std::size_t start_ = 0;           // Where the first unconsumed byte is in buffer_.
  std::optional<Failure> failure_;  // Set once a frame was corrupt.
};

/// Blocking helpers for a file descriptor (pipe, socket): retry on EINTR and
/// partial writes/reads. WriteMessage fails with a one-line message on a
/// closed peer (EPIPE; the caller's process ignores SIGPIPE or not: use
/// send(MSG_NOSIGNAL) when the fd is a socket, and write() otherwise) or any
/// error. ReadMessage blocks until one whole message arrived; a Failure at
/// end of file ("the other side closed the channel") or on a corrupt frame.
///
/// On a descriptor that is not a socket, WriteMessage blocks SIGPIPE on the
/// calling thread while it writes and discards the SIGPIPE its own write
/// raised, so a closed reader never kills the process. Bytes read past the
/// message stay in `reader` for the next call: use one reader per descriptor.
Status WriteMessage(int fd, const nlohmann::json& message);
Expected<nlohmann::json> ReadMessage(int fd, FrameReader& reader);

}  // namespace dojobber::core::wire

#endif  // DOJOBBER_CORE_WIRE_H_
