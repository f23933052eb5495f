// UTF-8 encoding shared by the reporters (control pictures) and the Python reader (string escapes).
#pragma once

#include <string>

namespace migsafe {

// Appends `code_point` to `out` as UTF-8 (1 to 4 bytes).
void append_utf8(std::string& out, char32_t code_point);

}  // namespace migsafe
