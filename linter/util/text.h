// Small text helpers shared by the front ends, the configuration and the layouts.
#pragma once

#include <string>
#include <string_view>

namespace migsafe {

// ASCII-only case folding: what std::tolower does in the "C" locale migsafe runs in, without a library
// call per byte (these run for every token and every name a rule looks up).
constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// `text` lower-cased (ASCII).
inline std::string ascii_lowered(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = ascii_lower(c);
  return result;
}

// True when `text` equals `lower_case`, which is already lower case, ignoring ASCII case.
inline bool equals_folded(std::string_view text, std::string_view lower_case) {
  if (text.size() != lower_case.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (ascii_lower(text[i]) != lower_case[i]) return false;
  }
  return true;
}

// `text` without leading and trailing whitespace (std::isspace: space, tab, CR, LF, VT, FF).
std::string_view trim(std::string_view text);
// The same as a string, for callers that keep the result.
inline std::string trimmed(std::string_view text) { return std::string(trim(text)); }

}  // namespace migsafe
