// Versioned schema migrations for PostgreSQL, its own list (version 1 is the
// schema of SQLite's version 3: the same tables, columns, constraints and
// indexes). All scripts still missing are applied in one transaction under
// a transaction-level advisory lock, with their rows in schema_migrations, so
// two processes starting at once on a fresh database apply each exactly once
// (the second waits, then finds the work done). PostgreSQL's DDL is
// transactional: a failed migration leaves nothing behind. Append only: a
// released script never changes.
#pragma once

#include <cstdint>
#include <span>

#include "core/status.hpp"
#include "store/postgres/connection.hpp"

namespace ls::postgres {

std::span<const char* const> migrationScripts();
std::int64_t latestSchemaVersion();

// The highest applied version; 0 for a database without schema_migrations.
Result<std::int64_t> readSchemaVersion(Connection& conn);

// Brings the schema up to latestSchemaVersion(). A database written by a newer
// binary (higher version) is refused with kUnavailable and touched not at all.
Status migrate(Connection& conn);

}  // namespace ls::postgres
