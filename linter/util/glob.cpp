#include "linter/util/glob.h"

#include <string>
#include <vector>

namespace migsafe {

namespace {

std::vector<std::string_view> components(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t slash = text.find('/', start);
    if (slash == std::string_view::npos) slash = text.size();
    if (slash > start) parts.push_back(text.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

// One component against one pattern component: *, ?, [...] classes.
bool match_component(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0;
  std::size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star_p = p++;
      star_t = t;
      continue;
    }
    if (p < pattern.size() && pattern[p] == '[') {
      std::size_t close = pattern.find(']', p + 2);
      if (close != std::string_view::npos) {
        bool negate = pattern[p + 1] == '!' || pattern[p + 1] == '^';
        bool found = false;
        for (std::size_t i = p + 1 + (negate ? 1 : 0); i < close; ++i) {
          if (i + 2 < close && pattern[i + 1] == '-') {
            if (text[t] >= pattern[i] && text[t] <= pattern[i + 2]) found = true;
            i += 2;
          } else if (pattern[i] == text[t]) {
            found = true;
          }
        }
        if (found != negate) {
          p = close + 1;
          ++t;
          continue;
        }
      } else if (pattern[p] == text[t]) {  // a lone '[' is literal
        ++p;
        ++t;
        continue;
      }
    } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
      continue;
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// Pattern components against path components; `**` spans zero or more components. A pattern used up
// before the path still matches: a directory pattern covers everything below it.
bool match_components(const std::vector<std::string_view>& pattern, std::size_t p,
                      const std::vector<std::string_view>& path, std::size_t t) {
  if (p == pattern.size()) return true;  // everything below a matched directory
  if (pattern[p] == "**") {
    for (std::size_t skip = t; skip <= path.size(); ++skip) {
      if (match_components(pattern, p + 1, path, skip)) return true;
    }
    return false;
  }
  if (t == path.size()) return false;
  return match_component(pattern[p], path[t]) && match_components(pattern, p + 1, path, t + 1);
}

std::string_view strip_dot_slash(std::string_view text) {
  while (text.size() >= 2 && text.substr(0, 2) == "./") text.remove_prefix(2);
  return text;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  pattern = strip_dot_slash(pattern);
  path = strip_dot_slash(path);
  std::string_view body = pattern;
  while (!body.empty() && body.back() == '/') body.remove_suffix(1);
  if (body.empty()) return false;
  std::vector<std::string_view> path_parts = components(path);
  std::vector<std::string_view> pattern_parts = components(body);
  bool anchored = body.find('/') != std::string_view::npos;
  if (!anchored) {
    // "*.py" or "legacy": any component, and everything below a matching directory.
    for (std::string_view part : path_parts) {
      if (match_component(body, part)) return true;
    }
    return false;
  }
  if (body.front() == '/') pattern_parts = components(body.substr(1));
  return match_components(pattern_parts, 0, path_parts, 0);
}

}  // namespace migsafe
