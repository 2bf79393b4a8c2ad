#include "cli/terminal.h"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace dojobber::cli {

bool IsTerminal(int fd) { return ::isatty(fd) == 1; }

bool InForeground(int fd) {
  // A terminal that is not this process's controlling terminal has no
  // foreground for it to be out of.
  const pid_t foreground = ::tcgetpgrp(fd);
  return foreground == -1 || foreground == ::getpgrp();
}

bool DumbTerminal() {
  const char* term = std::getenv("TERM");
  return term != nullptr && std::string_view(term) == "dumb";
}

bool PlainOutputRequested() {
  const char* no_color = std::getenv("NO_COLOR");
  return (no_color != nullptr && *no_color != '\0') || DumbTerminal();
}

}  // namespace dojobber::cli
