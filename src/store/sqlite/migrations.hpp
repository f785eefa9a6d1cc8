// Versioned schema migrations. The schema is an ordered list of SQL scripts:
// script i (0-based) takes the database from version i to i + 1, and each is
// applied in its own BEGIN IMMEDIATE transaction together with its row in
// schema_migrations, so two processes opening a fresh file at once apply it
// exactly once. Append only: a released script never changes.
#pragma once

#include <cstdint>
#include <span>

#include "core/status.hpp"
#include "store/sqlite/connection.hpp"

namespace ls::sqlite {

std::span<const char* const> migrationScripts();
std::int64_t latestSchemaVersion();

// The highest applied version; 0 for a database without schema_migrations.
Result<std::int64_t> readSchemaVersion(Connection& conn);

// Brings the schema up to latestSchemaVersion(). A database written by a newer
// binary (higher version) is refused with kUnavailable and touched not at all.
Status migrate(Connection& conn);

// For read-only connections, which cannot migrate: OK only at exactly the latest version.
Status checkSchemaIsLatest(Connection& conn);

}  // namespace ls::sqlite
