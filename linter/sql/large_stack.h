// Runs a job on a thread with a large stack, for statements nested beyond what every real migration
// needs. The raw parser itself parses 10,000 levels on an 8 MB stack (it was libpg_query's JSON output,
// no longer used, that recursed once per level); the large stack is kept as a margin for the recursive
// walks over the tree (translators, bounded) and for calling threads with small stacks. The stack is
// reserved, not committed: only touched pages cost memory.
//
// Each calling thread gets one such thread, kept for the calling thread's lifetime: creating a thread
// with a 256 MB stack per file costs 0.1-0.2 ms (mapping, page faults on the fresh stack, unmapping),
// as much as parsing a small file, and the kept thread also keeps its per-thread parser buffers warm.
#pragma once

#include <cstddef>
#include <functional>

namespace migsafe {

// Runs `job` to completion on the calling thread's large-stack thread (at least `stack_bytes` of stack)
// and rethrows its exception. Runs it directly when called on such a thread already, and falls back to
// the calling thread when no thread can be created.
void run_with_large_stack(std::size_t stack_bytes, const std::function<void()>& job);

}  // namespace migsafe
