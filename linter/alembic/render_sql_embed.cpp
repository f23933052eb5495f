// Embeds linter/alembic/render_sql.py into the binary.
#include "linter/util/embedded_file.h"

MIGSAFE_EMBED_FILE(migsafe_render_sql_helper, "linter/alembic/render_sql.py")

namespace migsafe::alembic {

std::string_view render_sql_helper_source() { return MIGSAFE_EMBEDDED_TEXT(migsafe_render_sql_helper); }

}  // namespace migsafe::alembic
