#include "core/plugin_loader.h"

#include <dlfcn.h>
#include <elf.h>

#include <array>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

#include <dojobber/plugin.h>

#include "core/invoker.h"

namespace dojobber::core {
namespace fs = std::filesystem;
namespace {

Failure PluginFailure(const fs::path& path, const std::string& cause) {
  return Failure{"plugin " + path.string() + ": " + cause};
}

// The ELF class, data encoding and machine of this process: a plugin must
// match all three.
constexpr unsigned char kNativeClass = sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32;
constexpr unsigned char kNativeData =
    std::endian::native == std::endian::little ? ELFDATA2LSB : ELFDATA2MSB;
#if defined(__x86_64__)
constexpr Elf64_Half kNativeMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr Elf64_Half kNativeMachine = EM_AARCH64;
#elif defined(__i386__)
constexpr Elf64_Half kNativeMachine = EM_386;
#elif defined(__riscv)
constexpr Elf64_Half kNativeMachine = EM_RISCV;
#elif defined(__powerpc64__)
constexpr Elf64_Half kNativeMachine = EM_PPC64;
#elif defined(__s390x__)
constexpr Elf64_Half kNativeMachine = EM_S390;
#else
constexpr Elf64_Half kNativeMachine = EM_NONE;  // Unknown here: dlopen alone judges.
#endif
using NativeEhdr = std::conditional_t<kNativeClass == ELFCLASS64, Elf64_Ehdr, Elf32_Ehdr>;
using NativePhdr = std::conditional_t<kNativeClass == ELFCLASS64, Elf64_Phdr, Elf32_Phdr>;
using NativeShdr = std::conditional_t<kNativeClass == ELFCLASS64, Elf64_Shdr, Elf32_Shdr>;

std::string ClassName(unsigned char elf_class) {
  switch (elf_class) {
    case ELFCLASS32:
      return "32-bit";
    case ELFCLASS64:
      return "64-bit";
    default:
      return "unknown ELF class " + std::to_string(elf_class);
  }
}

// Whether [offset, offset + count * size) lies within the first `file_size`
// bytes, without overflow.
bool Within(std::uint64_t offset, std::uint64_t count, std::uint64_t size,
            std::uint64_t file_size) {
  if (offset > file_size) return false;
  if (size != 0 && count > (file_size - offset) / size) return false;
  return true;
}

std::string Truncated(std::string_view what, std::uint64_t file_size) {
  return "truncated or damaged: " + std::string(what) + " lie past its end (" +
         std::to_string(file_size) + " bytes)";
}

// Reads `count` bytes at `offset` into `out`; false when the file is shorter.
bool ReadAt(std::ifstream& file, std::uint64_t offset, void* out, std::size_t count) {
  file.clear();
  file.seekg(static_cast<std::streamoff>(offset));
  file.read(static_cast<char*>(out), static_cast<std::streamsize>(count));
  return file.gcount() == static_cast<std::streamsize>(count);
}

}  // namespace

Status CheckSharedObject(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) return PluginFailure(path, "no such file");
  if (!fs::is_regular_file(status)) return PluginFailure(path, "not a regular file");
  const std::uintmax_t size = fs::file_size(path, ec);
  std::ifstream file(path, std::ios::binary);
  if (ec || !file) return PluginFailure(path, "cannot be read");

  // Every check below keeps dlopen from mapping bytes the file does not
  // have: touching such a page raises SIGBUS inside the loader, with no
  // message. A copy cut short (a full disk, an interrupted transfer) looks
  // like that, and so does a file for another system.
  std::array<unsigned char, EI_NIDENT> ident{};
  if (!ReadAt(file, 0, ident.data(), ident.size()) ||
      std::memcmp(ident.data(), ELFMAG, SELFMAG) != 0) {
    return PluginFailure(path, "not a shared object (no ELF header)");
  }
  if (ident[EI_CLASS] != kNativeClass) {
    return PluginFailure(path, "built for " + ClassName(ident[EI_CLASS]) +
                                   " systems, but this dojobber is " + ClassName(kNativeClass));
  }
  if (ident[EI_DATA] != kNativeData) {
    return PluginFailure(path, "built for another byte order than this system's");
  }
  NativeEhdr header{};
  if (!ReadAt(file, 0, &header, sizeof header)) {
    return PluginFailure(path, Truncated("its ELF header would", size));
  }
  if (header.e_type != ET_DYN) {
    return PluginFailure(path,
                         "not a shared object (ELF type " + std::to_string(header.e_type) + ")");
  }
  if (kNativeMachine != EM_NONE && header.e_machine != kNativeMachine) {
    return PluginFailure(path, "built for another machine (ELF machine " +
                                   std::to_string(header.e_machine) + ", this system's is " +
                                   std::to_string(kNativeMachine) + ")");
  }
  if (header.e_phnum == 0 || header.e_phentsize != sizeof(NativePhdr)) {
    return PluginFailure(path, "damaged: it has no valid program headers");
  }
  if (!Within(header.e_phoff, header.e_phnum, sizeof(NativePhdr), size)) {
    return PluginFailure(path, Truncated("its program headers", size));
  }
  if (header.e_shnum != 0 && (header.e_shentsize != sizeof(NativeShdr) ||
                              !Within(header.e_shoff, header.e_shnum, sizeof(NativeShdr), size))) {
    return PluginFailure(path, Truncated("its section headers", size));
  }
  for (std::size_t i = 0; i < header.e_phnum; ++i) {
    NativePhdr segment{};
    if (!ReadAt(file, header.e_phoff + i * sizeof segment, &segment, sizeof segment)) {
      return PluginFailure(path, Truncated("its program headers", size));
    }
    if (segment.p_type != PT_NULL && !Within(segment.p_offset, segment.p_filesz, 1, size)) {
      return PluginFailure(path, Truncated("parts of its segments", size));
    }
  }
  return {};
}

namespace {

// The plugin being opened, for OnThrowWhileOpening: loading happens on one
// thread, before any worker exists.
const fs::path* opening = nullptr;
PluginSet::FatalLoadHandler opening_handler = nullptr;

[[noreturn]] void OnThrowWhileOpening() {
  std::string cause = "its static initialization threw";
  if (const std::exception_ptr thrown = std::current_exception()) {
    try {
      std::rethrow_exception(thrown);
    } catch (const std::exception& e) {
      const char* message = e.what();
      if (message != nullptr) cause += std::string(": ") + message;
    } catch (...) {  // NOLINT: any other type has no message to add.
    }
  }
  opening_handler(PluginFailure(*opening, cause).message);
  std::abort();  // The handler broke its contract.
}

// dlopen runs the plugin's static initializers under the dynamic loader's
// lock, which an exception leaving them never releases: the process would
// hang in exit() or abort without a word. noexcept turns such an exception
// into std::terminate, where `handler` ends the process at once.
boost::dll::shared_library Open(const fs::path& path, std::error_code& ec,
                                PluginSet::FatalLoadHandler handler) noexcept {
  if (handler == nullptr) return {path, ec, boost::dll::load_mode::rtld_now};
  opening = &path;
  opening_handler = handler;
  const std::terminate_handler previous = std::set_terminate(OnThrowWhileOpening);
  boost::dll::shared_library library(path, ec, boost::dll::load_mode::rtld_now);
  std::set_terminate(previous);
  opening = nullptr;
  return library;
}

bool SameFile(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

}  // namespace

Expected<fs::path> ResolvePlugin(std::string_view value, const PluginSearchPath& search) {
  if (value.empty()) return Failure{"empty --plugin value"};
  if (value.find('/') != std::string_view::npos) return fs::path(value);
  std::string file(value);
  if (!file.ends_with(".so")) file += ".so";
  std::string looked_in;
  for (const fs::path& dir : search.dirs) {
    fs::path candidate = dir / file;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate;
    looked_in += (looked_in.empty() ? "" : ", ") + dir.string();
  }
  return Failure{"plugin '" + std::string(value) + "' not found (looked for " + file + " in " +
                 (looked_in.empty() ? "no folders" : looked_in) + "; give a path such as ./" +
                 file + " to load a file from here)"};
}

Status PluginSet::Load(const fs::path& path, JobRegistry& registry, ValueStop value_stop) {
  if (Status file = CheckSharedObject(path); !file) return file;
  for (const Loaded& loaded : plugins_) {
    if (SameFile(loaded.path, path)) return PluginFailure(path, "given twice");
  }
  std::error_code ec;
  boost::dll::shared_library library = Open(path, ec, fatal_load_handler_);
  if (ec) {
    const char* cause = ::dlerror();
    return PluginFailure(path, std::string("cannot be loaded: ") + (cause ? cause : ec.message()));
  }
  if (!library.has(kPluginEntryPoint)) {
    return PluginFailure(
        path, std::string("not a dojobber plugin (no ") + kPluginEntryPoint + " entry point)");
  }
  using Entry = const PluginInfo*();
  const PluginInfo* info = library.get_alias<Entry>(kPluginEntryPoint)();
  if (Status valid = CheckPluginInfo(info, path); !valid) return valid;
  plugins_.push_back({path, std::move(library)});  // Registration may fail half way.
  return RegisterJobs(info->register_jobs, path.string(), "plugin " + path.string(), registry,
                      value_stop);
}

Status CheckPluginInfo(const PluginInfo* info, const fs::path& source) {
  if (info == nullptr || info->abi == nullptr || info->register_jobs == nullptr) {
    return PluginFailure(source, "its entry point returned no plugin information");
  }
  if (std::strcmp(info->abi, kAbi) != 0) {
    return PluginFailure(source, std::string("built for SDK ABI '") + info->abi +
                                     "', but this dojobber uses '" + kAbi +
                                     "'; rebuild the plugin");
  }
  return {};
}

Status RegisterJobs(const std::function<void(Registry&)>& register_jobs, const std::string& source,
                    std::string_view label, JobRegistry& registry, ValueStop value_stop) {
  registry.BeginSource(source);
  CallOutcome registered = CallRegistration(register_jobs, registry);
  if (!registered.ok) {
    // Most likely registration read a declared value that is missing or
    // does not convert: say that, as a run with it would.
    const Status values = registry.params().Check(registry.args().keywords(),
                                                  /*check_keys=*/false, /*require=*/true);
    if (!values) return value_stop == ValueStop::kKeep ? registry.status() : values;
    return Failure{std::string(label) + ": registration failed: " + registered.error};
  }
  return registry.status();
}

}  // namespace dojobber::core
