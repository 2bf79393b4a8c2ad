#include "cli/same_file.h"

#include <filesystem>
#include <system_error>

namespace dojobber::cli {
namespace {

namespace fs = std::filesystem;

// `path` absolute, normal, with every symbolic link on it followed, also a
// last one whose target does not exist yet (weakly_canonical leaves that
// one as written). A loop of links stops after 40, as the kernel does.
std::optional<fs::path> Resolve(const std::string& path) {
  std::error_code ec;
  fs::path resolved = fs::absolute(path, ec).lexically_normal();
  if (ec) return std::nullopt;
  for (int links = 0; links < 40; ++links) {
    resolved = fs::weakly_canonical(resolved, ec);
    if (ec) return std::nullopt;
    if (!fs::is_symlink(fs::symlink_status(resolved, ec)) || ec) break;
    const fs::path target = fs::read_symlink(resolved, ec);
    if (ec) return std::nullopt;
    resolved = (target.is_absolute() ? target : resolved.parent_path() / target).lexically_normal();
  }
  return resolved;
}

}  // namespace

bool SameRegularFile(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  const std::optional<fs::path> first = Resolve(a);
  const std::optional<fs::path> second = Resolve(b);
  if (!first || !second) return false;
  std::error_code ec;
  const fs::file_status status = fs::status(*first, ec);
  const bool regular_or_new = !fs::exists(status) || fs::is_regular_file(status);
  if (*first == *second) return regular_or_new;
  // Two names of one inode: hard links.
  return fs::is_regular_file(status) && fs::equivalent(*first, *second, ec) && !ec;
}

std::optional<std::string> SameFileClash(
    const std::vector<std::pair<std::string, std::string>>& files) {
  for (std::size_t i = 0; i < files.size(); ++i) {
    for (std::size_t j = i + 1; j < files.size(); ++j) {
      if (SameRegularFile(files[i].second, files[j].second)) {
        return files[i].first + " and " + files[j].first +
               " name the same file: " + files[j].second;
      }
    }
  }
  return std::nullopt;
}

}  // namespace dojobber::cli
