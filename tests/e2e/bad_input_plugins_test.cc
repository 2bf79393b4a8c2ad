// Bad plugin files: each refuses the run before anything is loaded or
// executed, with exit status 2 and one "dojobber: ..." line naming the file
// and what is wrong, and writes nothing (no report, no temporary) into the
// directory it runs in. A file that dlopen would crash on (cut short, built
// for another system) is caught by its ELF headers before it is mapped.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/hardening_support.h"

namespace dojobber::e2e {
namespace {

namespace fs = std::filesystem;

class BadInputPlugins : public testing::Test {
 protected:
  // `dojobber run --plugin <plugin> --report report.json` in the run
  // directory, which must stay as it was; the plugin file lives elsewhere.
  testing::AssertionResult Refused(const fs::path& plugin,
                                   std::initializer_list<std::string_view> needles) {
    const std::vector<std::string> before = run_dir_.Entries();
    ProcessOptions options;
    options.cwd = run_dir_.path();
    const ProcessResult result =
        RunDojobber({"run", "--plugin", plugin.string(), "--root", "WatchMovie",
                     "--default-retry-delay", "0", "--report", "report.json"},
                    options);
    return IsRefusedLeavingNothing(result, run_dir_, before, needles);
  }

  // A copy of a real plugin in the files directory.
  fs::path Copy(const std::string& name) {
    const fs::path copy = files_ / name;
    fs::copy_file(TestPlugin("sdk_sample"), copy);
    return copy;
  }

  // Overwrites `bytes` at `offset` of `path`.
  static void Patch(const fs::path& path, std::streamoff offset, const std::string& bytes) {
    std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(offset);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(file.good());
  }

  TempDir run_dir_;
  TempDir files_;
};

// The ABI this dojobber uses, from `dojobber --version`.
std::string HostAbi() {
  const ProcessResult version = RunDojobber({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  for (const std::string& line : Lines(version.out)) {
    if (line.starts_with("plugin ABI: ")) return line.substr(12);
  }
  ADD_FAILURE() << "no ABI in --version output:\n" << version.out;
  return "?";
}

TEST_F(BadInputPlugins, MissingFile) {
  const fs::path path = files_ / "missing.so";
  EXPECT_TRUE(Refused(path, {path.string(), "no such file"}));
}

TEST_F(BadInputPlugins, Directory) {
  EXPECT_TRUE(Refused(files_.path(), {files_.path().string(), "not a regular file"}));
}

TEST_F(BadInputPlugins, EmptyFile) {
  const fs::path path = files_ / "empty.so";
  WriteFile(path, "");
  EXPECT_TRUE(Refused(path, {path.string(), "not a shared object"}));
}

TEST_F(BadInputPlugins, TextFile) {
  const fs::path path = files_ / "x.so";
  WriteFile(path, "this is not a shared object\n");
  EXPECT_TRUE(Refused(path, {path.string(), "not a shared object"}));
}

// As an interrupted copy or a full disk leaves it: dlopen would map pages
// past the end of the file and die of SIGBUS.
TEST_F(BadInputPlugins, TruncatedSharedObject) {
  ASSERT_GT(fs::file_size(TestPlugin("sdk_sample")), 40000u);
  for (const std::uintmax_t size : {1000u, 4096u, 20000u, 40000u}) {
    SCOPED_TRACE(size);
    const fs::path path = Copy("cut" + std::to_string(size) + ".so");
    fs::resize_file(path, size);
    EXPECT_TRUE(Refused(path, {path.string(), "truncated"}));
  }
}

TEST_F(BadInputPlugins, WrongElfClass) {
  const fs::path path = Copy("class32.so");
  Patch(path, 4, std::string(1, '\x01'));  // e_ident[EI_CLASS] = ELFCLASS32.
  EXPECT_TRUE(Refused(path, {path.string(), "32-bit"}));
}

TEST_F(BadInputPlugins, WrongMachine) {
  const fs::path path = Copy("machine.so");
  // e_machine (offset 18, little-endian): EM_S390, which no test machine is.
  Patch(path, 18, std::string("\x16\x00", 2));
  EXPECT_TRUE(Refused(path, {path.string(), "another machine"}));
}

TEST_F(BadInputPlugins, NoEntryPoint) {
  const fs::path path = TestPlugin("no_entry");
  EXPECT_TRUE(Refused(path, {path.string(), "not a dojobber plugin", "dojobber_plugin_v1"}));
}

TEST_F(BadInputPlugins, WrongAbiNamesBothAbis) {
  const fs::path path = TestPlugin("bad_abi");
  EXPECT_TRUE(Refused(path, {path.string(), "'dojobber-sdk-0;test-runtime;test-json'", HostAbi()}));
}

TEST_F(BadInputPlugins, ThrowingRegistration) {
  const fs::path path = TestPlugin("throwing_registration");
  EXPECT_TRUE(Refused(path, {path.string(), "cannot reach inventory"}));
}

// The exception leaves dlopen with the loader's lock held: dojobber must
// still say what happened and end, not abort or hang in exit().
TEST_F(BadInputPlugins, ThrowingStaticInitializer) {
  const fs::path path = TestPlugin("throwing_static_init");
#if DOJOBBER_SANITIZED
  // Under ASan the terminate handler does not see the exception (no
  // current exception), so the line names the plugin and the cause only.
  EXPECT_TRUE(Refused(path, {path.string(), "static initialization threw"}));
#else
  EXPECT_TRUE(
      Refused(path, {path.string(), "static initialization threw: cannot reach the database"}));
#endif
}

}  // namespace
}  // namespace dojobber::e2e
