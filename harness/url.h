// Connection strings the user gives (--database-url): passwords never reach output or logs.
#pragma once

#include <string>

namespace migsafe::harness {

// Replaces the password of a postgres:// URL or a key=value conninfo (and a `password` query
// parameter) with "***".
std::string mask_connection_string(const std::string& text);

}  // namespace migsafe::harness
