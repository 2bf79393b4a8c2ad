#include "core/plugin_loader.h"

#include <elf.h>
#include <link.h>

#include <cstring>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

namespace fs = std::filesystem;
using testing::ScopedTempDir;

TEST(PluginLoaderTest, ValueWithASlashIsAPath) {
  auto path = ResolvePlugin("./x.so", {});
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, fs::path("./x.so"));
  EXPECT_EQ(*ResolvePlugin("/abs/y", {}), fs::path("/abs/y"));
}

TEST(PluginLoaderTest, NamesAreSearchedInOrderWithOrWithoutSuffix) {
  ScopedTempDir first;
  ScopedTempDir second;
  std::ofstream(second.path() / "movie.so") << "x";
  std::ofstream(second.path() / "other.so") << "x";
  std::ofstream(first.path() / "other.so") << "x";
  PluginSearchPath search{{first.path(), second.path()}};
  EXPECT_EQ(*ResolvePlugin("movie", search), second.path() / "movie.so");
  EXPECT_EQ(*ResolvePlugin("movie.so", search), second.path() / "movie.so");
  EXPECT_EQ(*ResolvePlugin("other", search), first.path() / "other.so");
}

TEST(PluginLoaderTest, UnknownNameSaysWhereItLooked) {
  ScopedTempDir dir;
  auto path = ResolvePlugin("nope", {{dir.path()}});
  ASSERT_FALSE(path.ok());
  EXPECT_EQ(path.message(), "plugin 'nope' not found (looked for nope.so in " +
                                dir.path().string() +
                                "; give a path such as ./nope.so to load a file from here)");
}

TEST(PluginLoaderTest, RefusesMissingAndForeignFiles) {
  ScopedTempDir dir;
  JobRegistry registry;
  PluginSet plugins;
  const fs::path missing = dir.path() / "missing.so";
  EXPECT_EQ(plugins.Load(missing, registry).message(),
            "plugin " + missing.string() + ": no such file");
  const fs::path text = dir.path() / "text.so";
  std::ofstream(text) << "not an ELF file";
  EXPECT_EQ(plugins.Load(text, registry).message(),
            "plugin " + text.string() + ": not a shared object (no ELF header)");
  EXPECT_EQ(plugins.Load(dir.path(), registry).message(),
            "plugin " + dir.path().string() + ": not a regular file");
  EXPECT_EQ(plugins.size(), 0u);
}

// A shared object's headers as this process would accept them: the ELF
// header, one program header (a segment spanning the whole file) and
// `sections` section headers at the end. Only the headers are real; the
// checks never look further.
struct FakeElf {
  ElfW(Ehdr) header{};
  ElfW(Phdr) segment{};
  std::size_t sections = 2;

  FakeElf() {
    // The class, byte order and machine of this very process.
    std::ifstream self("/proc/self/exe", std::ios::binary);
    self.read(reinterpret_cast<char*>(&header), sizeof header);
    header.e_type = ET_DYN;
    header.e_phoff = sizeof header;
    header.e_phentsize = sizeof segment;
    header.e_phnum = 1;
    header.e_shentsize = sizeof(ElfW(Shdr));
    header.e_shnum = static_cast<ElfW(Half)>(sections);
    header.e_shoff = sizeof header + sizeof segment;
    segment.p_type = PT_LOAD;
    segment.p_offset = 0;
    segment.p_filesz = Size();
  }

  std::size_t Size() const {
    return sizeof header + sizeof segment + sections * sizeof(ElfW(Shdr));
  }

  // Writes the headers, padded or cut to `size` bytes (default: Size()).
  fs::path Write(const fs::path& path, std::size_t size = 0) const {
    std::string bytes(Size(), '\0');
    std::memcpy(bytes.data(), &header, sizeof header);
    std::memcpy(bytes.data() + sizeof header, &segment, sizeof segment);
    bytes.resize(size == 0 ? Size() : size, '\0');
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
};

std::string Cause(const fs::path& path) {
  const Status status = CheckSharedObject(path);
  if (status) return "";
  const std::string prefix = "plugin " + path.string() + ": ";
  EXPECT_TRUE(status.message().starts_with(prefix)) << status.message();
  return status.message().substr(prefix.size());
}

TEST(CheckSharedObjectTest, AcceptsWholeHeaders) {
  ScopedTempDir dir;
  EXPECT_EQ(Cause(FakeElf().Write(dir.path() / "ok.so")), "");
}

TEST(CheckSharedObjectTest, RefusesAFileCutShort) {
  ScopedTempDir dir;
  const FakeElf elf;
  // Inside the section headers, the program headers, the ELF header.
  EXPECT_EQ(Cause(elf.Write(dir.path() / "a.so", elf.Size() - 1)),
            "truncated or damaged: its section headers lie past its end (" +
                std::to_string(elf.Size() - 1) + " bytes)");
  EXPECT_EQ(Cause(elf.Write(dir.path() / "b.so", sizeof(ElfW(Ehdr)) + 8)),
            "truncated or damaged: its program headers lie past its end (" +
                std::to_string(sizeof(ElfW(Ehdr)) + 8) + " bytes)");
  EXPECT_EQ(Cause(elf.Write(dir.path() / "c.so", 20)),
            "truncated or damaged: its ELF header would lie past its end (20 bytes)");
}

TEST(CheckSharedObjectTest, RefusesASegmentPastTheEnd) {
  ScopedTempDir dir;
  FakeElf elf;
  elf.segment.p_filesz = elf.Size() + 1;
  EXPECT_EQ(Cause(elf.Write(dir.path() / "seg.so")),
            "truncated or damaged: parts of its segments lie past its end (" +
                std::to_string(elf.Size()) + " bytes)");
  elf.segment.p_offset = ~ElfW(Off){0};  // No overflow either.
  elf.segment.p_filesz = 2;
  EXPECT_THAT(Cause(elf.Write(dir.path() / "wrap.so")), ::testing::HasSubstr("segments"));
}

TEST(CheckSharedObjectTest, RefusesHeaderCountsThatOverflow) {
  ScopedTempDir dir;
  FakeElf elf;
  elf.header.e_shoff = ~ElfW(Off){0} - 8;
  EXPECT_THAT(Cause(elf.Write(dir.path() / "sh.so")), ::testing::HasSubstr("section headers"));
}

TEST(CheckSharedObjectTest, RefusesAnotherSystemsObject) {
  ScopedTempDir dir;
  FakeElf elf;
  elf.header.e_ident[EI_CLASS] = sizeof(void*) == 8 ? ELFCLASS32 : ELFCLASS64;
  EXPECT_THAT(Cause(elf.Write(dir.path() / "class.so")),
              ::testing::HasSubstr(sizeof(void*) == 8 ? "built for 32-bit systems" : "64-bit"));
  elf = FakeElf();
  elf.header.e_ident[EI_DATA] =
      elf.header.e_ident[EI_DATA] == ELFDATA2LSB ? ELFDATA2MSB : ELFDATA2LSB;
  EXPECT_EQ(Cause(elf.Write(dir.path() / "order.so")),
            "built for another byte order than this system's");
  elf = FakeElf();
  const ElfW(Half) native = elf.header.e_machine;
  elf.header.e_machine = native == EM_S390 ? EM_X86_64 : EM_S390;
  EXPECT_EQ(Cause(elf.Write(dir.path() / "machine.so")),
            "built for another machine (ELF machine " + std::to_string(elf.header.e_machine) +
                ", this system's is " + std::to_string(native) + ")");
  elf = FakeElf();
  elf.header.e_type = ET_REL;
  EXPECT_EQ(Cause(elf.Write(dir.path() / "object.o")), "not a shared object (ELF type 1)");
}

}  // namespace
}  // namespace dojobber::core
