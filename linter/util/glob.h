// Glob patterns for `exclude` (config and --exclude), with gitignore-like anchoring.
#pragma once

#include <string_view>

namespace migsafe {

// Matches a forward-slash path against a pattern:
//   `*` any run of characters except '/', `?` one character except '/', `[abc]`/`[a-z]`/`[!a]` a class,
//   `**` as a whole component any number of components (`a/**/b`, `legacy/**`, `**/*.py`).
// A pattern without a '/' (other than a trailing one) matches the last component or any directory
// component ("*.py", "legacy"); a pattern with a '/' is anchored at the start of `path`. A trailing '/'
// or a pattern naming a directory also matches everything below it ("migrations/legacy").
// A leading "./" in either is ignored.
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace migsafe
