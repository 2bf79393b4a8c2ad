#include "cli/error_output.h"

#include <unistd.h>

#include <iostream>
#include <new>
#include <string>

#include "core/text_format.h"

namespace dojobber::cli {

void PrintError(std::string_view message) noexcept {
  try {
    const std::string line = "dojobber: " + core::Printable(message) + '\n';
    std::cerr.write(line.data(), static_cast<std::streamsize>(line.size()));
    std::cerr.flush();
  } catch (...) {
    // Only allocation can fail above (std::cerr does not throw).
    constexpr std::string_view kLine = "dojobber: out of memory\n";
    (void)!::write(STDERR_FILENO, kLine.data(), kLine.size());
  }
}

int Fail(std::string_view message, int code) noexcept {
  PrintError(message);
  return code;
}

}  // namespace dojobber::cli
