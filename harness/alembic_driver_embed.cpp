// Embeds harness/alembic_driver.py into the binary.
#include "linter/util/embedded_file.h"

MIGSAFE_EMBED_FILE(migsafe_alembic_driver, "harness/alembic_driver.py")

namespace migsafe::harness {

std::string_view alembic_driver_source() { return MIGSAFE_EMBEDDED_TEXT(migsafe_alembic_driver); }

}  // namespace migsafe::harness
