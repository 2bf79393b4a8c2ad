#ifndef DOJOBBER_CLI_REPORT_FILE_H_
#define DOJOBBER_CLI_REPORT_FILE_H_

#include <cerrno>
#include <cstring>
#include <fstream>
#include <ios>
#include <string>

#include "core/expected.h"

namespace dojobber::cli {

/// Opens a saved JSON report (`explain --report`, `report FILE`) for
/// reading. Only a regular file: reading a directory through a stream
/// throws, and opening a named pipe blocks until some process writes to it.
/// Fails with `cannot read PATH: reason`.
core::Expected<std::ifstream> OpenReportFile(const std::string& path);

/// Opens the report at `path` and calls `read(stream)`, which returns an
/// Expected<T>. Fails with `cannot read PATH: reason` when the file cannot
/// be opened or read, and with `PATH: <read's message>` when `read` fails.
template <class Read>
auto ReadReportFile(const std::string& path, const Read& read)
    -> decltype(read(std::declval<std::istream&>())) {
  auto opened = OpenReportFile(path);
  if (!opened) return opened.failure();
  std::ifstream& report = *opened;
  decltype(read(report)) result = core::Failure{""};
  try {
    result = read(report);
  } catch (const std::ios_base::failure& error) {
    return core::Failure{"cannot read " + path + ": " + error.what()};
  }
  if (report.bad()) return core::Failure{"cannot read " + path + ": " + std::strerror(errno)};
  if (!result) return core::Failure{path + ": " + result.message()};
  return result;
}

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_REPORT_FILE_H_
