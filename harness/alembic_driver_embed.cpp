// Embeds harness/alembic_driver.py into the binary, so an installed migsafe needs no data files.
#include <string_view>

// MIGSAFE_SOURCE_DIR is a compile definition of migsafe_core (root CMakeLists.txt).
__asm__(".section .rodata\n"
        ".global migsafe_alembic_driver_begin\n"
        ".global migsafe_alembic_driver_end\n"
        "migsafe_alembic_driver_begin:\n"
        ".incbin \"" MIGSAFE_SOURCE_DIR "/harness/alembic_driver.py\"\n"
        "migsafe_alembic_driver_end:\n"
        ".previous\n");

extern "C" const char migsafe_alembic_driver_begin[];
extern "C" const char migsafe_alembic_driver_end[];

namespace migsafe::harness {

std::string_view alembic_driver_source() {
  return {migsafe_alembic_driver_begin,
          static_cast<std::size_t>(migsafe_alembic_driver_end - migsafe_alembic_driver_begin)};
}

}  // namespace migsafe::harness
