// Embeds a file of the source tree into the binary (.incbin), so that an installed migsafe needs no data
// files. Use once per file, at namespace scope of a .cpp, and list the .cpp with its file in
// MIGSAFE_EMBEDDED_FILES (root CMakeLists.txt) so the object is rebuilt when the file changes.
// MIGSAFE_SOURCE_DIR is a compile definition of migsafe_core.
#pragma once

#include <cstddef>
#include <string_view>

#define MIGSAFE_EMBED_FILE(symbol, relative_path)                          \
  __asm__(".section .rodata\n"                                             \
          ".global " #symbol "_begin\n"                                    \
          ".global " #symbol "_end\n" #symbol "_begin:\n"                  \
          ".incbin \"" MIGSAFE_SOURCE_DIR "/" relative_path "\"\n" #symbol \
          "_end:\n"                                                        \
          ".previous\n");                                                  \
  extern "C" const char symbol##_begin[];                                  \
  extern "C" const char symbol##_end[];

// The embedded bytes of `symbol`.
#define MIGSAFE_EMBEDDED_TEXT(symbol) \
  std::string_view(symbol##_begin, static_cast<std::size_t>(symbol##_end - symbol##_begin))
