// Writing a report or baseline file so that a reader never sees half of it and a failure leaves the
// previous file in place: the text goes to a temporary file beside the target, which then replaces it
// by rename(2). Streaming to that file rather than rendering into memory first keeps a large report
// (tens of MB of JSON for a long history) out of the peak memory.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>

namespace migsafe {

// Calls `write` with a stream and installs what it wrote at `target` (parent directories are created).
// A target that exists and is not a regular file (/dev/null, /dev/stdout, a FIFO) is written directly.
// Returns false when the file cannot be created, written or renamed (the target is then unchanged and
// no temporary file is left); exceptions from `write` propagate after the temporary file is removed.
bool write_file_atomically(const std::filesystem::path& target, const std::function<void(std::ostream&)>& write);

}  // namespace migsafe
