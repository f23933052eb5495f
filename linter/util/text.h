// Small text helpers shared by the front ends, the configuration and the layouts.
#pragma once

#include <string>
#include <string_view>

namespace migsafe {

// `text` without leading and trailing whitespace (std::isspace: space, tab, CR, LF, VT, FF).
std::string_view trim(std::string_view text);
// The same as a string, for callers that keep the result.
inline std::string trimmed(std::string_view text) { return std::string(trim(text)); }

}  // namespace migsafe
