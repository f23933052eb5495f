#pragma once

#include "harness/pg_connection.h"
#include "harness/schema.h"

namespace migsafe::harness {

// Canonical schema of the connection's database (see pg_snapshot.cpp for what is included).
Schema snapshot_postgres(PgConnection& connection);

}  // namespace migsafe::harness
