#include "cli/report_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <ios>
#include <system_error>

namespace dojobber::cli {

core::Expected<std::ifstream> OpenReportFile(const std::string& path) {
  auto unreadable = [&path](const std::string& reason) {
    return core::Failure{"cannot read " + path + ": " + reason};
  };
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (std::filesystem::is_directory(status)) return unreadable(std::strerror(EISDIR));
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    return unreadable("not a regular file");
  }
  std::ifstream report(path, std::ios::binary);
  if (!report) return unreadable(std::strerror(errno));
  return report;
}

}  // namespace dojobber::cli
