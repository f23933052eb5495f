// Embeds linter/alembic/render_sql.py into the binary, so an installed migsafe needs no data files.
#include <string_view>

// MIGSAFE_SOURCE_DIR is a compile definition of migsafe_core (root CMakeLists.txt).
__asm__(".section .rodata\n"
        ".global migsafe_render_sql_helper_begin\n"
        ".global migsafe_render_sql_helper_end\n"
        "migsafe_render_sql_helper_begin:\n"
        ".incbin \"" MIGSAFE_SOURCE_DIR "/linter/alembic/render_sql.py\"\n"
        "migsafe_render_sql_helper_end:\n"
        ".previous\n");

extern "C" const char migsafe_render_sql_helper_begin[];
extern "C" const char migsafe_render_sql_helper_end[];

namespace migsafe::alembic {

std::string_view render_sql_helper_source() {
  return {migsafe_render_sql_helper_begin,
          static_cast<std::size_t>(migsafe_render_sql_helper_end - migsafe_render_sql_helper_begin)};
}

}  // namespace migsafe::alembic
