#ifndef DOJOBBER_CLI_ERROR_OUTPUT_H_
#define DOJOBBER_CLI_ERROR_OUTPUT_H_

#include <string_view>

namespace dojobber::cli {

/// Writes `message` to stderr as one line, `dojobber: <message>`. Every error
/// and warning of the command line goes through here: control characters and
/// bytes that are not UTF-8 in it (from a path, an option value, a plugin's
/// exception) are escaped as core::Printable does, so the line stays one line
/// and cannot drive the terminal. Never throws: without the memory to escape
/// the message, it says "out of memory" instead.
void PrintError(std::string_view message) noexcept;

/// PrintError(message), then returns `code` (an ExitCode).
int Fail(std::string_view message, int code) noexcept;

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_ERROR_OUTPUT_H_
