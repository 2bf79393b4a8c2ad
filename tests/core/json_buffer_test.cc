#include "core/json_buffer.h"

#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/text_format.h"

namespace dojobber::core {
namespace {

TEST(JsonBufferTest, WritesNothingUntilFlushed) {
  std::ostringstream stream;
  JsonBuffer out(stream);
  out.Raw("{\"a\":");
  out.Integer(-12);
  EXPECT_EQ(stream.str(), "");
  out.Flush();
  EXPECT_EQ(stream.str(), "{\"a\":-12");
}

TEST(JsonBufferTest, WritesEachKindOfValue) {
  std::ostringstream stream;
  JsonBuffer out(stream);
  out.Raw('[');
  out.Bool(true);
  out.Raw(',');
  out.Bool(false);
  out.Raw(',');
  out.Integer(std::numeric_limits<std::uint64_t>::max());
  out.Raw(',');
  out.Integer(std::numeric_limits<std::int64_t>::min());
  out.Raw(',');
  out.Number(0.25);
  out.Raw(',');
  out.String("plain");
  out.Raw(std::string_view("]"));
  out.Flush();
  EXPECT_EQ(stream.str(), "[true,false,18446744073709551615,-9223372036854775808,0.25,\"plain\"]");
}

TEST(JsonBufferTest, EscapesStringsAsAppendJsonStringDoes) {
  for (const std::string& text :
       std::vector<std::string>{"quote \" and \\", "line\nbreak\t\r", std::string("nul\0", 4),
                                "caf\xc3\xa9", "bad \xff byte", ""}) {
    std::ostringstream stream;
    JsonBuffer out(stream);
    out.String(text);
    out.Flush();
    std::string expected;
    AppendJsonString(expected, text);
    EXPECT_EQ(stream.str(), expected);
  }
}

// Pieces larger than the buffer, and many pieces that fill it again and
// again, all arrive whole and in order.
TEST(JsonBufferTest, KeepsOrderAcrossFullBuffers) {
  std::ostringstream stream;
  JsonBuffer out(stream);
  std::string expected;
  const std::string big(200000, 'x');
  for (int i = 0; i < 30000; ++i) {
    out.String("job");
    out.Integer(i);
    out.Number(0.5 + i);
    expected += "\"job\"" + std::to_string(i) + std::to_string(i) + ".5";
    if (i % 10000 == 0) {
      out.Raw(std::string_view(big));
      out.String(big);
      expected += big + '"' + big + '"';
    }
  }
  out.Flush();
  EXPECT_EQ(stream.str(), expected);
}

}  // namespace
}  // namespace dojobber::core
