#ifndef DOJOBBER_CLI_SAME_FILE_H_
#define DOJOBBER_CLI_SAME_FILE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dojobber::cli {

/// Whether the paths `a` and `b` name one file however spelled: `x`, `./x`,
/// `d/../x`, through a symbolic link (also one whose target does not exist
/// yet, which writing through it would create) or a hard link (both exist
/// and are one inode). Empty paths and special files (a device such as
/// /dev/null, a pipe) are never "the same": writing both is harmless.
bool SameRegularFile(const std::string& a, const std::string& b);

/// The first two of `files` (option name, path) that name one file, as
/// "OPTION1 and OPTION2 name the same file: PATH2"; nothing when none do.
/// Empty paths are skipped.
std::optional<std::string> SameFileClash(
    const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_SAME_FILE_H_
