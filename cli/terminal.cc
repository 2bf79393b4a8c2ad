#include "cli/terminal.h"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace dojobber::cli {

bool IsTerminal(int fd) { return ::isatty(fd) == 1; }

bool DumbTerminal() {
  const char* term = std::getenv("TERM");
  return term != nullptr && std::string_view(term) == "dumb";
}

bool PlainOutputRequested() {
  const char* no_color = std::getenv("NO_COLOR");
  return (no_color != nullptr && *no_color != '\0') || DumbTerminal();
}

}  // namespace dojobber::cli
