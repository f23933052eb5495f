// Runs a job on a thread with a large stack. libpg_query's parser, its protobuf output and protobuf-c's
// unpacking all recurse once per expression level; a default 8 MB stack overflows at a few thousand
// levels (measured: `SELECT 1 + 1 + ... ` with 5,000 terms crashed protobuf_c_message_unpack), while
// the grammar itself accepts up to ~10,000. The stack is reserved, not committed: only touched pages
// cost memory.
#pragma once

#include <cstddef>
#include <functional>

namespace migsafe {

// Runs `job` to completion on a new thread with `stack_bytes` of stack and rethrows its exception.
// Falls back to the calling thread when no such thread can be created.
void run_with_large_stack(std::size_t stack_bytes, const std::function<void()>& job);

}  // namespace migsafe
