// PostgreSQL's parse-tree node structs (nodes/parsenodes.h), as libpg_query's raw parser builds them.
//
// The SQL front end reads the parser's own tree instead of libpg_query's JSON rendering of it: the JSON
// output costs about twice the parse itself, and decoding it again costs more (docs/sql-front-end.md).
// The struct definitions come from the server headers of the same PostgreSQL major version as
// libpg_query's grammar (postgresql-server-dev-<major>, checked below and in CMakeLists.txt).
//
// Include this header last in a .cpp file: PostgreSQL's headers define macros for common names
// (printf, snprintf, Min, Max, ERROR, ...). The ones that would clash with C++ code are undefined here.
#pragma once

#include <pg_query.h>

namespace migsafe::pg {
// libpg_query's PostgreSQL version; the server headers define the same macros with their own values.
inline constexpr int kParserVersionNum = PG_VERSION_NUM;
}  // namespace migsafe::pg
#undef PG_MAJORVERSION
#undef PG_VERSION
#undef PG_VERSION_NUM

extern "C" {
#include "postgres.h"
#include "nodes/parsenodes.h"
#include "nodes/pg_list.h"
#include "nodes/value.h"
#include <pg_query/pg_query_internal.h>
}

#undef printf
#undef fprintf
#undef sprintf
#undef snprintf
#undef vprintf
#undef vfprintf
#undef vsnprintf
#undef strerror
#undef strerror_r
#undef Min
#undef Max
#undef Abs
#undef gettext
#undef dgettext
#undef ngettext
#undef _
#undef DEBUG
#undef LOG
#undef INFO
#undef NOTICE
#undef WARNING
#undef ERROR
#undef FATAL
#undef PANIC

// The structs must be those libpg_query was compiled with: the same major version of PostgreSQL.
static_assert(migsafe::pg::kParserVersionNum / 10000 == PG_VERSION_NUM / 10000,
              "the PostgreSQL server headers are not those of libpg_query's major version");
